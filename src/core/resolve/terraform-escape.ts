/**
 * Terraform reads every string of a JSON configuration, map keys included, as a template: `${...}`
 * and `%{...}` would be evaluated. User values must reach Helm and the cluster unchanged, so both
 * sequences are escaped (`$${`, `%%{`), which Terraform turns back into the literal text.
 *
 * CDKTF itself reads `${TfToken[`, `#{TfToken[` and `&{TfToken[` in any string as its own tokens
 * (and fails, or substitutes another value), and `$${TfToken[` still contains the first. So each
 * `$` right before `{TfToken[` is written as the interpolation `${"$"}`, and an empty interpolation
 * `${""}` separates `#` or `&` from it: Terraform evaluates both to the original text, CDKTF sees
 * no token.
 */
export function escapeTemplate(text: string): string {
  return text.replace(/(\$+)(?=\{TfToken\[)|([#&])(?=\{TfToken\[)|\$\{|%\{/g, (match: string, dollars?: string, sign?: string) => {
    if (dollars !== undefined) return '${"$"}'.repeat(dollars.length);
    if (sign !== undefined) return sign + '${""}';
    return match === '${' ? '$${' : '%%{';
  });
}

/**
 * A quoted HCL string holding `text` literally, for an expression inside a template (a variable's
 * validation, a Sprig function's argument, a map key in `yamlencode`). Backslash, quote and every
 * control character become HCL escapes (`\n`, `\u0001`); `${`, `%{` and CDKTF's token markers are
 * then escaped as {@link escapeTemplate} does, since a quoted HCL string is itself a template.
 */
export function hclString(text: string): string {
  return `"${hclLiteral(text)}"`;
}

/** Text inside a quoted HCL template, meaning exactly `text`: escapes, then `${` and `%{` escaped as Terraform needs. */
export function hclLiteral(text: string): string {
  const escaped = text.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '"') return '\\"';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return escapeTemplate(escaped);
}

/** Escapes every string and map key inside a JSON-like value. */
export function escapeDeep(value: unknown): unknown {
  return mapStringsDeep(value, escapeTemplate);
}

/** A copy of a JSON-like value with `f` applied to every string and map key in it. */
export function mapStringsDeep(value: unknown, f: (text: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStringsDeep(v, f));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), mapStringsDeep(v, f)]));
  }
  return value;
}

/** Escapes the keys and values of a string map. */
export function escapeMap(record: Readonly<Record<string, string>>): Record<string, string> {
  return escapeDeep(record) as Record<string, string>;
}

/** The map, or undefined when it is empty: an attribute left out rather than written as `{}`. */
export function nonEmpty(record: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}
