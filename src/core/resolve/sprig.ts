/**
 * Sprig pipelines in Palette macros: `{{ .spectro.system.kubernetes.version | substr 0 4 }}`.
 * Palette renders macros with Go's text/template and Sprig's functions; this module reads such an
 * action (a pipeline of function calls, or the direct form `{{ upper .spectro.macro.x }}`) and
 * evaluates it with the same semantics: in a pipeline the piped value is the LAST argument
 * (`trimPrefix "v"`, `replace "a" "b"`, `substr 0 4`), `substr` and `trunc` count bytes as Go
 * does, `default` replaces Sprig's "empty" values, and case mapping is Go's, one code point at a
 * time. Where Sprig would panic (`substr` out of range) or write something that is not text (a
 * cut through a multi-byte character, the error text `b64dec` returns for bad input), this module
 * reports a failure instead.
 *
 * Macros known at synthesis are evaluated here; profile variables, which Terraform sets later, are
 * translated into Terraform expressions by `sprig-terraform.ts`.
 */

/**
 * A value as Sprig's functions see it: a string, an integer or a boolean from the template, or
 * `null` for a missing value (Go's nil).
 */
export type GoValue = string | number | boolean | null;

/** One argument of a call: a `.field` reference or a literal. */
export type Operand = { readonly kind: 'field'; readonly name: string } | { readonly kind: 'literal'; readonly value: string | number | boolean; readonly text: string };

/** One command of a pipeline: a call `name args...`, or (first command only) a lone operand. */
export interface Command {
  /** The function called, or undefined for a lone operand. */
  readonly function?: string;
  readonly args: readonly Operand[];
}

/** A parsed action: commands joined by `|`, each given the previous one's value as its last argument. */
export interface Pipeline {
  readonly commands: readonly Command[];
}

/** Why a pipeline cannot be evaluated (or translated): a phrase to follow the expression it is about. */
export interface SprigFailure {
  readonly failure: string;
  /** The call refused, for a failure inside a Sprig function (a panic, bytes that are not text). */
  readonly call?: { readonly function: string; readonly args: readonly GoValue[] };
}

/** The type of a Sprig function's parameter, as text/template checks it. */
type ParamType = 'string' | 'int' | 'any';

interface SprigFunction {
  /** Fixed parameters, the piped value being the last. */
  readonly params: readonly ParamType[];
  /** Whether more arguments of any type may follow (Go's `...interface{}`). */
  readonly variadic?: boolean;
  /** How it is written in a pipeline, for messages. */
  readonly usage: string;
  /** The result, or a failure where Sprig panics or writes something that is not text. */
  apply(args: readonly GoValue[]): GoValue | SprigFailure;
}

const TO_STRING: SprigFunction = { params: ['any'], usage: 'toString', apply: ([v]) => stringValue(v) };

const FUNCTIONS: Readonly<Record<string, SprigFunction>> = {
  upper: { params: ['string'], usage: 'upper', apply: ([s]) => goUpper(s as string) },
  lower: { params: ['string'], usage: 'lower', apply: ([s]) => goLower(s as string) },
  title: { params: ['string'], usage: 'title', apply: ([s]) => goTitle(s as string) },
  trim: { params: ['string'], usage: 'trim', apply: ([s]) => goTrimSpace(s as string) },
  trimPrefix: { params: ['string', 'string'], usage: 'trimPrefix "PREFIX"', apply: ([p, s]) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s) },
  trimSuffix: {
    params: ['string', 'string'],
    usage: 'trimSuffix "SUFFIX"',
    apply: ([x, s]) => ((s as string).endsWith(x as string) ? (s as string).slice(0, (s as string).length - (x as string).length) : s),
  },
  replace: { params: ['string', 'string', 'string'], usage: 'replace "OLD" "NEW"', apply: ([o, n, s]) => goReplaceAll(s as string, o as string, n as string) },
  substr: { params: ['int', 'int', 'string'], usage: 'substr START END', apply: ([start, end, s]) => substring(start as number, end as number, s as string) },
  trunc: { params: ['int', 'string'], usage: 'trunc COUNT', apply: ([c, s]) => trunc(c as number, s as string) },
  default: { params: ['any'], variadic: true, usage: 'default "VALUE"', apply: ([d, ...given]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]) },
  quote: { params: [], variadic: true, usage: 'quote', apply: (args) => args.filter((a) => a !== null).map((a) => goQuote(stringValue(a))).join(' ') },
  squote: { params: [], variadic: true, usage: 'squote', apply: (args) => args.filter((a) => a !== null).map((a) => `'${stringValue(a)}'`).join(' ') },
  b64enc: { params: ['string'], usage: 'b64enc', apply: ([s]) => Buffer.from(s as string, 'utf8').toString('base64') },
  b64dec: { params: ['string'], usage: 'b64dec', apply: ([s]) => base64Decode(s as string) },
  // Declared apart: in an object literal, a `toString` key takes Object's contextual type.
  toString: TO_STRING,
};

/** The Sprig functions a macro or a profile variable may be piped to. */
export const SPRIG_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

/** The supported functions as written in a pipeline, for messages: `upper, ..., substr START END, ...`. */
export function supportedFunctions(): string {
  return SPRIG_FUNCTIONS.map((name) => FUNCTIONS[name].usage).join(', ');
}

const TEMPLATE_KEYWORDS: ReadonlySet<string> = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil']);

/**
 * Reads the body of a `{{ ... }}` action as a pipeline. Supported: `.field` references (letters,
 * digits, `_` and `-` between dots), Go string literals ("..." with Go's escapes, `raw`), decimal
 * integers and `true`/`false`; calls of the functions in SPRIG_FUNCTIONS. Anything else
 * (parentheses, `$variables`, template keywords, other functions) is a failure saying what is not
 * supported.
 */
export function parsePipeline(body: string): Pipeline | SprigFailure {
  const tokens = tokenize(body);
  if ('failure' in tokens) return tokens;
  const commands: Command[] = [];
  let current: Token[] = [];
  const segments: Token[][] = [];
  for (const token of tokens) {
    if (token.kind === 'pipe') {
      segments.push(current);
      current = [];
    } else current.push(token);
  }
  segments.push(current);
  for (const [i, segment] of segments.entries()) {
    if (segment.length === 0) return { failure: 'has an empty command (a "|" with nothing on one side)' };
    const [first, ...rest] = segment;
    if (first.kind === 'word') {
      if (TEMPLATE_KEYWORDS.has(first.text)) return { failure: `uses the template keyword "${first.text}", which is not supported around a .spectro name` };
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, first.text)) {
        return { failure: `calls "${first.text}", which is not a supported function; supported: ${supportedFunctions()}` };
      }
      const args: Operand[] = [];
      for (const token of rest) {
        if (token.kind === 'word') return { failure: `gives "${token.text}" as an argument of ${first.text}; write a quoted string ("${token.text}") or a .field` };
        args.push((token as OperandToken).operand);
      }
      commands.push({ function: first.text, args });
      continue;
    }
    const operand = (first as OperandToken).operand;
    if (i > 0) return { failure: `pipes to ${operand.kind === 'field' ? operand.name : operand.text}, which is not a function; supported: ${supportedFunctions()}` };
    if (rest.length > 0) return { failure: `gives arguments to ${operand.kind === 'field' ? operand.name : operand.text}, which is not a function` };
    commands.push({ args: [operand] });
  }
  return { commands };
}

/** The `.field` names a pipeline reads, in order of appearance. */
export function pipelineFields(pipeline: Pipeline): string[] {
  return pipeline.commands.flatMap((c) => c.args.flatMap((a) => (a.kind === 'field' ? [a.name] : [])));
}

/** Whether a pipeline calls `name`. */
export function callsFunction(pipeline: Pipeline, name: string): boolean {
  return pipeline.commands.some((c) => c.function === name);
}

/**
 * Evaluates a pipeline as text/template with Sprig would and returns the text it prints, or a
 * failure: an argument of the wrong type or number (text/template's errors), a missing value where a
 * string is needed, a Sprig panic, or a result that is not text.
 */
export function evaluatePipeline(pipeline: Pipeline, lookup: (field: string) => GoValue): { readonly value: string } | SprigFailure {
  let piped: GoValue | undefined;
  for (const command of pipeline.commands) {
    const args = command.args.map((a) => (a.kind === 'field' ? lookup(a.name) : a.value));
    if (command.function === undefined) {
      piped = args[0];
      continue;
    }
    if (piped !== undefined) args.push(piped);
    const fn = FUNCTIONS[command.function];
    const checked = checkArguments(command.function, fn, args);
    if (checked !== undefined) return checked;
    const result = fn.apply(args);
    if (result !== null && typeof result === 'object') return { failure: `${command.function}: ${result.failure}`, call: { function: command.function, args } };
    piped = result;
  }
  if (piped === null || piped === undefined) return { failure: 'has no value (Go prints "<no value>"); give a default with | default "VALUE"' };
  return { value: stringValue(piped) };
}

/** text/template's checks of a call: the number of arguments and each one's type. */
function checkArguments(name: string, fn: SprigFunction, args: readonly GoValue[]): SprigFailure | undefined {
  const fixed = fn.params.length;
  if (fn.variadic === true ? args.length < fixed : args.length !== fixed) {
    const wanted = fn.variadic === true ? `at least ${fixed}` : `${fixed}`;
    return { failure: `${name} takes ${wanted} argument${fixed === 1 && fn.variadic !== true ? '' : 's'} (the piped value last), found ${args.length}; write ${fn.usage}` };
  }
  for (const [i, type] of fn.params.entries()) {
    const arg = args[i];
    if (type === 'any') continue;
    const position = i === args.length - 1 ? 'its last argument (the piped value)' : `argument ${i + 1}`;
    if (arg === null) return { failure: `${name} needs a ${type === 'int' ? 'number' : 'string'} as ${position}, found no value; give a default first (| default "VALUE" | ${name})` };
    if (type === 'string' && typeof arg !== 'string') return { failure: `${name} needs a string as ${position}, found ${goTypeName(arg)} ${stringValue(arg)}` };
    if (type === 'int' && typeof arg !== 'number') return { failure: `${name} needs an integer as ${position}, found ${goTypeName(arg)} ${JSON.stringify(arg)}; write ${fn.usage}` };
  }
  return undefined;
}

function goTypeName(value: GoValue): string {
  return typeof value === 'number' ? 'int' : typeof value === 'boolean' ? 'bool' : 'string';
}

/** Sprig's `strval` / Go's `%v`: a string as it is, numbers and booleans as Go prints them. */
function stringValue(value: GoValue): string {
  if (value === null) return '<nil>';
  return String(value);
}

/** Sprig's `empty`: nil, "", 0 and false are empty. */
function isEmpty(value: GoValue): boolean {
  return value === null || value === '' || value === 0 || value === false;
}

// ---------------------------------------------------------------------------------------------
// Lexing

type OperandToken = { readonly kind: 'operand'; readonly operand: Operand };
type Token = { readonly kind: 'pipe' } | { readonly kind: 'word'; readonly text: string } | OperandToken;

const FIELD = /^(?:\.[A-Za-z0-9_-]+)+/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const NUMBER = /^[+-]?[0-9][0-9A-Za-z_.+-]*/;

function tokenize(body: string): Token[] | SprigFailure {
  const tokens: Token[] = [];
  let rest = body;
  while (rest.length > 0) {
    const space = /^[ \t\r\n]+/.exec(rest);
    if (space !== null) {
      rest = rest.slice(space[0].length);
      continue;
    }
    const c = rest[0];
    if (c === '|') {
      tokens.push({ kind: 'pipe' });
      rest = rest.slice(1);
    } else if (c === '"' || c === '`') {
      const literal = readString(rest);
      if ('failure' in literal) return literal;
      tokens.push({ kind: 'operand', operand: { kind: 'literal', value: literal.value, text: rest.slice(0, literal.length) } });
      rest = rest.slice(literal.length);
    } else if (FIELD.test(rest)) {
      const name = FIELD.exec(rest)![0];
      tokens.push({ kind: 'operand', operand: { kind: 'field', name } });
      rest = rest.slice(name.length);
    } else if (NUMBER.test(rest)) {
      const text = NUMBER.exec(rest)![0];
      if (!/^[+-]?(0|[1-9][0-9]*)$/.test(text)) return { failure: `has the number ${text}; only decimal integers such as 4 or -2 are supported` };
      const value = Number(text);
      if (!Number.isSafeInteger(value)) return { failure: `has the number ${text}, beyond the integers supported (at most 2^53 - 1 either way)` };
      tokens.push({ kind: 'operand', operand: { kind: 'literal', value: value === 0 ? 0 : value, text } });
      rest = rest.slice(text.length);
    } else if (WORD.test(rest)) {
      const text = WORD.exec(rest)![0];
      if (text === 'true' || text === 'false') tokens.push({ kind: 'operand', operand: { kind: 'literal', value: text === 'true', text } });
      else tokens.push({ kind: 'word', text });
      rest = rest.slice(text.length);
    } else {
      const what = c === '(' || c === ')' ? 'parentheses' : c === '$' ? 'template variables ($x)' : `"${String.fromCodePoint(rest.codePointAt(0)!)}"`;
      return { failure: `uses ${what}, which ${what.endsWith('s') || what.startsWith('template') ? 'are' : 'is'} not supported in a .spectro expression; write {{ .spectro.<name> | function "argument" ... }}` };
    }
  }
  return tokens;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** A Go string literal at the start of `text`: its value and how many characters it spans. */
function readString(text: string): { value: string; length: number } | SprigFailure {
  if (text[0] === '`') {
    const end = text.indexOf('`', 1);
    if (end < 0) return { failure: 'has a raw string (`...`) that is not closed' };
    // Go drops carriage returns from raw strings.
    return { value: text.slice(1, end).replace(/\r/g, ''), length: end + 1 };
  }
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return { value, length: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = text[++i];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
      continue;
    }
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const digits = hex > 0 ? text.slice(i + 1, i + 1 + hex) : /^[0-7]{3}/.exec(text.slice(i))?.[0];
    const code = digits === undefined || (hex > 0 && !new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) ? NaN : parseInt(digits, hex > 0 ? 16 : 8);
    // \x and octal escapes are single bytes: beyond ASCII they would build text that is not UTF-8.
    const byteEscape = e === 'x' || hex === 0;
    if (Number.isNaN(code) || (byteEscape && code > 0x7f) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return { failure: `has the escape \\${e ?? ''}${digits ?? ''} in a string, which is not a valid Go escape for text (byte escapes must stay below \\x80)` };
    }
    value += String.fromCodePoint(code);
    i += byteEscape && hex === 0 ? 2 : hex;
  }
  return { failure: 'has a string ("...") that is not closed on its line' };
}

// ---------------------------------------------------------------------------------------------
// Sprig's functions, with Go's semantics

/** UTF-8 length of a string, as Go's len(). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Go's s[start:end] on UTF-8 bytes; a failure when the cut is not on a character boundary. */
function byteSlice(s: string, start: number, end: number, what: string): string | SprigFailure {
  const bytes = Buffer.from(s, 'utf8');
  const isBoundary = (i: number): boolean => i === 0 || i === bytes.length || (bytes[i] & 0xc0) !== 0x80;
  if (start === end) return '';
  if (!isBoundary(start) || !isBoundary(end)) {
    return { failure: `${what} cuts through a multi-byte character of ${JSON.stringify(s)} (Sprig counts bytes, not characters), which would leave text that is not UTF-8` };
  }
  return bytes.subarray(start, end).toString('utf8');
}

/** Sprig's `substr`: `substring(start, end, s)` on bytes, failing where Go panics. */
function substring(start: number, end: number, s: string): string | SprigFailure {
  const length = byteLength(s);
  const outOfRange = (from: number, to: number): SprigFailure => ({
    failure: `${start} ${end} is out of range for ${JSON.stringify(s)} (${length} bytes): Sprig slices s[${from}:${to}], which panics`,
  });
  if (start < 0) {
    if (end < 0 || end > length) return outOfRange(0, end);
    return byteSlice(s, 0, end, `${start} ${end}`);
  }
  if (end < 0 || end > length) {
    if (start > length) return { failure: `${start} ${end} is out of range for ${JSON.stringify(s)} (${length} bytes): Sprig slices s[${start}:], which panics` };
    return byteSlice(s, start, length, `${start} ${end}`);
  }
  if (start > end) return outOfRange(start, end);
  return byteSlice(s, start, end, `${start} ${end}`);
}

/** Sprig's `trunc`: the first `c` bytes, or with a negative count the last `-c`. */
function trunc(c: number, s: string): string | SprigFailure {
  const length = byteLength(s);
  if (c < 0 && length + c > 0) return byteSlice(s, length + c, length, String(c));
  if (c >= 0 && length > c) return byteSlice(s, 0, c, String(c));
  return s;
}

/** Go's strings.Replace(s, old, new, -1): an empty `old` matches before every character and at the end. */
function goReplaceAll(s: string, old: string, replacement: string): string {
  if (old !== '') return s.split(old).join(replacement);
  return [...s].map((c) => replacement + c).join('') + replacement;
}

/** Sprig's `b64dec` on valid input (Go's StdEncoding, which skips CR and LF); a failure otherwise. */
function base64Decode(s: string): string | SprigFailure {
  const text = s.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    return { failure: `${JSON.stringify(s)} is not base64 (Sprig would write the text of its error, such as "illegal base64 data at input byte 0", in its place)` };
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64'));
  } catch {
    return { failure: `${JSON.stringify(s)} decodes to bytes that are not UTF-8 text` };
  }
}

/** Go's unicode.IsSpace. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\p{White_Space}]$/u;

function isGoSpace(c: string): boolean {
  return GO_SPACE.test(c);
}

/** Go's strings.TrimSpace (unlike String.prototype.trim: U+0085 is space, U+FEFF is not). */
function goTrimSpace(s: string): string {
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && isGoSpace(chars[start])) start++;
  while (end > start && isGoSpace(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

/**
 * Go's simple case mappings for the code points where JavaScript's full mapping gives several
 * characters (ß -> SS) or differs: Go maps one code point to one, and keeps a code point without a
 * simple mapping. Checked against Go for every code point (test/sprig.test.ts).
 */
const UPPER_EXCEPTIONS: ReadonlyMap<number, number> = new Map([
  // Greek with ypogegrammeni: full upper is two characters (ᾀ -> ἈΙ), the simple one ᾈ.
  ...[0x1f80, 0x1f90, 0x1fa0].flatMap((first) => Array.from({ length: 8 }, (_, i): [number, number] => [first + i, first + i + 8])),
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
const LOWER_EXCEPTIONS: ReadonlyMap<number, number> = new Map([[0x130, 0x69]]); // İ -> i, not i̇
/** Title case differs from upper case for the Latin digraphs (ǆ -> ǅ) and Georgian (kept as is). */
const TITLE_EXCEPTIONS: ReadonlyMap<number, number> = new Map([
  ...UPPER_EXCEPTIONS,
  ...[0x1c4, 0x1c7, 0x1ca, 0x1f1].flatMap((first) => [0, 1, 2].map((i): [number, number] => [first + i, first + 1])),
  ...Array.from({ length: 0x100 - 0xd0 }, (_, i): [number, number] => [0x10d0 + i, 0x10d0 + i]).filter(([c]) => c <= 0x10fa || c >= 0x10fd),
]);

function mapCodePoint(c: string, exceptions: ReadonlyMap<number, number>, full: (c: string) => string): string {
  const code = c.codePointAt(0)!;
  const exception = exceptions.get(code);
  if (exception !== undefined) return String.fromCodePoint(exception);
  const mapped = full(c);
  return mapped.length === c.length || [...mapped].length === 1 ? mapped : c;
}

/** Go's strings.ToUpper: unicode.ToUpper on each code point. */
export function goUpper(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  return [...s].map((c) => mapCodePoint(c, UPPER_EXCEPTIONS, (x) => x.toUpperCase())).join('');
}

/** Go's strings.ToLower: unicode.ToLower on each code point (no final sigma, İ -> i). */
export function goLower(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return [...s].map((c) => mapCodePoint(c, LOWER_EXCEPTIONS, (x) => x.toLowerCase())).join('');
}

const GO_LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

/** Go's strings.Title's separators: ASCII other than letters, digits and '_'; beyond ASCII, spaces. */
function isTitleSeparator(c: string): boolean {
  if (c.charCodeAt(0) <= 0x7f && c.length === 1) return !/[A-Za-z0-9_]/.test(c);
  if (GO_LETTER_OR_DIGIT.test(c)) return false;
  return isGoSpace(c);
}

/** Go's strings.Title: each code point after a separator is mapped by unicode.ToTitle. */
export function goTitle(s: string): string {
  let previous = ' ';
  let out = '';
  for (const c of s) {
    out += isTitleSeparator(previous) ? mapCodePoint(c, TITLE_EXCEPTIONS, (x) => x.toUpperCase()) : c;
    previous = c;
  }
  return out;
}

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's `%q` of a string (strconv.Quote): Go's escapes, not JSON's. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (GO_PRINTABLE.test(c)) out += c;
    else out += goEscape(c.codePointAt(0)!);
  }
  return `${out}"`;
}

const CONTROL_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

function goEscape(code: number): string {
  if (code in CONTROL_ESCAPES) return CONTROL_ESCAPES[code];
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}
