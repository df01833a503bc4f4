import { ProfileError } from '../model/errors';

/** How deep a profile file's JSON may nest: the export format needs 7 levels; js-yaml allows 100. */
export const MAX_JSON_DEPTH = 100;

/**
 * Checks what `JSON.parse` lets through silently: a key given twice in one object (the parser keeps
 * the last, so a layer's values or manifests could vanish unnoticed), and nesting deeper than
 * {@link MAX_JSON_DEPTH} (which overflows the stack of every recursive reader downstream). Throws a
 * ProfileError naming the file, the place (`spec.template.packs[0]`) and the line and column. Text
 * that is not valid JSON is left to the parser, which reports it.
 */
export function checkJsonStructure(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch {
    return; // a syntax error is the first thing to fix; the parser's message says where
  }
  checkValidJsonStructure(text, file);
}

/** {@link checkJsonStructure} for text the caller has already parsed as JSON without error. */
export function checkValidJsonStructure(text: string, file: string): void {
  const found = scan(text);
  if (found === undefined) return;
  const { line, column } = lineAndColumn(text, found.index);
  const at = `line ${line}, column ${column}`;
  const where = found.path === '' ? 'the top-level object' : found.path.length > 60 ? `${found.path.slice(0, 57)}...` : found.path;
  const message =
    found.problem === 'depth'
      ? `nests more than ${MAX_JSON_DEPTH} levels deep at ${where} (${at}); a profile never needs that many`
      : `has the key ${JSON.stringify(found.key)} twice in ${where} (${at}); JSON readers keep only the last one, so remove the other`;
  throw new ProfileError({ file, message });
}

interface Found {
  readonly problem: 'depth' | 'duplicate';
  readonly index: number;
  readonly path: string;
  readonly key?: string;
}

interface Frame {
  readonly kind: 'object' | 'array';
  readonly keys: Set<string>;
  /** In an object: the key of the value being read; in an array: the index. */
  at: string | number;
  expectingKey: boolean;
}

function pathOf(stack: readonly Frame[]): string {
  let out = '';
  // The innermost frame's own key names where the problem is only for its parent, so it is left out.
  for (let i = 0; i + 1 < stack.length; i++) {
    const f = stack[i];
    out += typeof f.at === 'number' ? `[${f.at}]` : /^[A-Za-z_$][\w$]*$/.test(f.at) ? `${out === '' ? '' : '.'}${f.at}` : `[${JSON.stringify(f.at)}]`;
  }
  return out;
}

/** A single pass over the text; returns the first problem, or undefined (also for invalid JSON). */
function scan(text: string): Found | undefined {
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_JSON_DEPTH) return { problem: 'depth', index: i, path: pathOf([...stack, { kind: 'array', keys: new Set(), at: 0, expectingKey: false }]) };
      stack.push({ kind: c === '{' ? 'object' : 'array', keys: new Set(), at: c === '{' ? '' : 0, expectingKey: c === '{' });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top === undefined) return undefined;
      if (top.kind === 'object') top.expectingKey = true;
      else top.at = (top.at as number) + 1;
      i++;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      const top = stack[stack.length - 1];
      if (top !== undefined && top.kind === 'object' && top.expectingKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return undefined;
        }
        if (top.keys.has(key)) return { problem: 'duplicate', index: i, path: pathOf(stack), key };
        top.keys.add(key);
        top.at = key;
        top.expectingKey = false;
      }
      i = end + 1;
    } else {
      i++;
    }
  }
  return undefined;
}

/** The index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}
