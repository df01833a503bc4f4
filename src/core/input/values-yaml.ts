import * as yaml from 'js-yaml';
import { ProfileError } from '../model/errors';
import { FloatScalar, NullScalar, UINT64_KEY, UnrepresentableScalar, checkParsed, parseYaml, yamlReason } from './yaml';

/**
 * Reading YAML with the meaning Kubernetes, kubectl and Helm give it. They read manifests and values
 * through sigs.k8s.io/yaml, that is go-yaml v2, a YAML 1.1 reader: `yes`, `no`, `on`, `off`, `y`, `n`
 * are booleans, `0644` is the octal integer 420, `1_000` is 1000, `0x10` is 16, while timestamps
 * (`2001-12-14`) and sexagesimal numbers (`190:20:30`) stay strings. This schema resolves plain
 * scalars exactly as go-yaml v2's `resolve` does (checked against it by the property test in
 * test/kubernetes-yaml.test.ts, with go-yaml itself as the reader), so that what this library writes
 * (JSON documents, Helm values) is what those tools would have read from the user's text.
 *
 * Two kinds of scalar cannot be carried that way and are refused, naming where they are: integers
 * beyond 2^53 (JavaScript numbers would round them, and the helm provider reads values as float64)
 * and `.inf` / `.nan` (JSON, and so the Kubernetes API, has no such numbers).
 */

const TRUE = /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;

const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string) => TRUE.test(data) || FALSE.test(data),
  construct: (data: string) => TRUE.test(data),
  predicate: (x: unknown) => typeof x === 'boolean',
  represent: { lowercase: (x: object) => (x.valueOf() ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

/** go-yaml v2 reads a scalar as a number only when it starts with a digit or a sign (or a dot, below). */
const NUMBER_START = /^[-+0-9]/;
/** Go's `strconv.ParseInt(s, 0, 64)` forms, after go-yaml removed every `_`. */
const GO_INT = /^[-+]?(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml v2's `yamlStyleFloat`, after every `_` was removed. */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's `strconv.ParseFloat` accepts of a scalar starting with a dot (no `_` removal there). */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const INFINITY_OR_NAN = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

function goInt(data: string): bigint | undefined {
  if (!NUMBER_START.test(data)) return undefined;
  const plain = data.replace(/_/g, '');
  if (!GO_INT.test(plain)) return undefined;
  const negative = plain.startsWith('-');
  const unsigned = plain.replace(/^[-+]/, '');
  const digits = /^0[0-7]+$/.test(unsigned) ? `0o${unsigned.slice(1)}` : unsigned.toLowerCase();
  const value = BigInt(digits) * (negative ? -1n : 1n);
  // Beyond int64 (and, unsigned, uint64) go-yaml goes on to the float forms.
  if (value < -(2n ** 63n) || value > 2n ** 64n - 1n || (negative && value > 0n)) return undefined;
  return value;
}

const int11 = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => goInt(data) !== undefined,
  construct: (data: string) => {
    const value = goInt(data)!;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      return new UnrepresentableScalar(data, `is an integer beyond 2^53, which would not reach the cluster exact (numbers are read as 64-bit floats on the way); quote it if it is meant as a string`, value > 2n ** 63n - 1n ? UINT64_KEY : value.toString());
    }
    return Number(value);
  },
  predicate: (x: unknown) => typeof x === 'number' && Number.isInteger(x) && !Object.is(x, -0),
  represent: { decimal: (x: object) => String(x.valueOf()) },
  defaultStyle: 'decimal',
});

/** What sigs.k8s.io/yaml makes of `.inf`, `-.inf` or `.nan` as a map key. */
function infinityKey(data: string): string {
  if (/nan/i.test(data)) return '.nan';
  return data.startsWith('-') ? '-.inf' : '.inf';
}

function goFloat(data: string): number | undefined {
  if (INFINITY_OR_NAN.test(data)) return NaN;
  const plain = data.startsWith('.') ? (DOT_FLOAT.test(data) ? data : undefined) : NUMBER_START.test(data) ? data.replace(/_/g, '') : undefined;
  if (plain === undefined || !(plain.startsWith('.') || GO_FLOAT.test(plain))) return undefined;
  const value = Number(plain);
  // Go's ParseFloat fails out of range, and go-yaml then keeps the text as a string.
  return Number.isFinite(value) ? value : undefined;
}

const float11 = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string) => goFloat(data) !== undefined,
  construct: (data: string) =>
    INFINITY_OR_NAN.test(data)
      ? new UnrepresentableScalar(data, 'is infinity or not-a-number, which JSON and so the Kubernetes API cannot carry; quote it if it is meant as a string', infinityKey(data))
      : new FloatScalar(goFloat(data)!),
  predicate: (x: unknown) => typeof x === 'number' && (!Number.isInteger(x) || Object.is(x, -0)),
  // String(-0) is "0", which go-yaml reads as the integer 0; `-0.0` is the float -0 the user wrote (`-0.0`, `-0.E+3`).
  represent: { decimal: (x: object) => (Object.is(x.valueOf(), -0) ? '-0.0' : String(x.valueOf())) },
  defaultStyle: 'decimal',
});

const null11 = new yaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string) => ['', '~', 'null', 'Null', 'NULL'].includes(data),
  construct: () => new NullScalar(),
  predicate: (x: unknown) => x === null,
  represent: { lowercase: () => 'null' },
  defaultStyle: 'lowercase',
});

/** The YAML 1.2 core schema with go-yaml v2's booleans, integers, floats and merge keys (`<<`): how Kubernetes, kubectl and Helm read YAML. */
// js-yaml's merge type (`<<: *defaults`), which go-yaml v2 also reads; its typings do not list `types`.
const merge = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;

export const HELM_VALUES_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [null11, bool11, int11, float11, merge] });

/**
 * Writes values for Helm, which reads them as YAML 1.1 (go-yaml v2): there, unquoted `yes`, `y`,
 * `on`, `0644`, `1_000` or `0x10` are not strings. Every string value is quoted, and so is every key
 * that Helm would read as something else (a key `"on"` the user quoted stays quoted, where YAML 1.2's
 * rules would write it bare and Helm read the key `true`), so Helm reads the types these values have.
 */
export function toHelmYaml(value: unknown): string {
  return yaml.dump(value, { schema: HELM_VALUES_SCHEMA, lineWidth: -1, noRefs: true, forceQuotes: true });
}

/**
 * Refuses U+0085, U+2028 and U+2029 written as such: go-yaml v2 reads each as a line break in plain
 * text, keys and comments (a comment's tail becomes a key), and U+0085 also inside quoted strings
 * (folded to a space), where a YAML 1.2 reader keeps the character. Written as escapes in a double-quoted string (`"\\u2028"`), they mean the character
 * to both.
 */
function refuseRawLineBreaks(text: string): void {
  const at = text.search(/[\u0085\u2028\u2029]/);
  if (at < 0) return;
  const before = text.slice(0, at).split(/\r\n|\r|\n/);
  const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
  throw new Error(
    `U+${code} at line ${before.length}, column ${before[before.length - 1].length + 1} may be read as a line break by the YAML 1.1 readers of Kubernetes and Helm, which changes the text or its structure; write it as the escape "\\u${code.toLowerCase()}" inside a double-quoted string`,
  );
}

/** Parses one YAML document the way Kubernetes and Helm read it. Throws on bad input (js-yaml's error, or an expansion or scalar refused by `checkParsed`). */
export function parseHelmYaml(text: string, filename?: string): unknown {
  refuseRawLineBreaks(text);
  return checkParsed(yaml.load(text, { schema: HELM_VALUES_SCHEMA, filename }));
}

/** Parses every document of a multi-document text the way Kubernetes and kubectl read manifests. */
export function parseKubernetesDocuments(text: string, filename?: string): unknown[] {
  refuseRawLineBreaks(text);
  return yaml.loadAll(text, undefined, { schema: HELM_VALUES_SCHEMA, filename }).map((doc, i) => {
    try {
      return checkParsed(doc);
    } catch (err) {
      throw new Error(`document ${i + 1}: ${(err as Error).message}`);
    }
  });
}

/**
 * Parses a file's text twice: as YAML 1.2 (the document: names, versions, structure) and as Helm
 * reads values (where layer and pack values written as maps are taken from). Either failing is a
 * ProfileError naming the file.
 */
export function parseWithValues(text: string, file: string): { doc: unknown; valuesDoc: unknown } {
  return { doc: parsedOrThrow(parseYaml, text, file), valuesDoc: parseValuesDoc(text, file) };
}

/** The second half of {@link parseWithValues}, for a file already parsed as YAML 1.2. */
export function parseValuesDoc(text: string, file: string): unknown {
  return parsedOrThrow(parseHelmYaml, text, file);
}

function parsedOrThrow(parse: (text: string, file: string) => unknown, text: string, file: string): unknown {
  try {
    return parse(text, file);
  } catch (err) {
    throw new ProfileError({ file, message: `is not valid YAML: ${yamlReason(err)}` });
  }
}
