/**
 * Text from input made safe to print or store: no control characters reach a terminal, and no
 * password given in a URL reaches a message, the plan output or the lock file.
 */

const USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#@"']*@/g;

/** `https://user:secret@host/x` becomes `https://***@host/x`, wherever it occurs in `text`. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

// C0 controls but tab and newline, DEL and C1 controls: ESC[2K erases a line, CR rewrites it.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Whether `text` holds a control character other than tab and newline. */
export function hasControlCharacters(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

/** `text` with each control character but tab and newline written as `\u001b`, visibly and harmlessly. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A line as the CLI prints it: control characters escaped, credentials in URLs redacted. */
export function printable(line: string): string {
  return escapeControlCharacters(redactCredentials(line));
}
