import * as yaml from 'js-yaml';
import { compare } from '../model/compare';

/**
 * YAML reading and writing with one schema everywhere. The core schema (YAML 1.2: strings, numbers,
 * booleans, null, maps, lists) is used rather than js-yaml's default so that timestamps stay the
 * strings the user wrote instead of becoming dates and being written back in another form.
 */
export const SCHEMA = yaml.CORE_SCHEMA;

/** Parses one YAML document. Throws js-yaml's error (with line and column) on bad input. */
export function parseYaml(text: string, filename?: string): unknown {
  return checkParsed(yaml.load(text, { schema: SCHEMA, filename }));
}

/** Parses every document of a multi-document YAML text, keeping empty documents as `null`/`undefined`. */
export function parseYamlDocuments(text: string, filename?: string): unknown[] {
  return checkParsed(yaml.loadAll(text, undefined, { schema: SCHEMA, filename })) as unknown[];
}

/**
 * How much a parsed YAML text may expand to: the number of values plus the characters of every
 * string, counting each use of an alias in full (`*anchor` repeats what it names). A few hundred bytes
 * of nested aliases (an "alias bomb") expand to billions of values, which every later step (checks,
 * comparisons, JSON) would walk; such a text is refused at once. 64 Mi is about 64 MB of text, far
 * beyond any real profile, manifest or values file (files are capped at a few MB before parsing).
 */
export const MAX_YAML_EXPANSION = 64 * 1024 * 1024;

/**
 * A scalar that was read but cannot reach the cluster as read: the YAML reader constructs it, and
 * {@link checkParsed} refuses the text, naming where it is.
 */
export class UnrepresentableScalar {
  constructor(
    /** The scalar as written. */
    readonly text: string,
    /** Why it cannot be used, and what to write instead. */
    readonly reason: string,
    /** What sigs.k8s.io/yaml makes of it as a map key, where a key is fine (`.inf`, an exact big integer). */
    readonly keyText: string,
  ) {}
  // js-yaml writes any '[object Object]' key as that text; a class tag of its own lets toString() be used.
  get [Symbol.toStringTag](): string {
    return 'UnrepresentableScalar';
  }
  toString(): string {
    return this.keyText;
  }
}

/**
 * A float read by the Kubernetes schema: a number as a value, but as a map key the text
 * sigs.k8s.io/yaml makes of it (Go's shortest 32-bit `%g`: `0.1`, `1e+06`, `-0`), since JavaScript
 * would write the key otherwise. js-yaml turns keys into text with `String()`; {@link checkParsed}
 * turns values back into plain numbers.
 */
export class FloatScalar {
  constructor(readonly value: number) {}
  // js-yaml writes any '[object Object]' key as that text; a class tag of its own lets toString() be used.
  get [Symbol.toStringTag](): string {
    return 'FloatScalar';
  }
  toString(): string {
    return goFloat32Key(this.value);
  }
}

/**
 * A null read by the Kubernetes schema: null as a value; as a map key, a text that
 * {@link checkParsed} refuses, since sigs.k8s.io/yaml cannot read a null key (js-yaml would make it
 * the key "null").
 */
export class NullScalar {
  get [Symbol.toStringTag](): string {
    return 'NullScalar';
  }
  toString(): string {
    return NULL_KEY;
  }
}

const NULL_KEY = '\u0000null key\u0000';

/** The key text of an integer key beyond int64, which sigs.k8s.io/yaml cannot read as a key either; refused by {@link checkParsed}. */
export const UINT64_KEY = '\u0000uint64 key\u0000';

/** The exact value of a finite number, or of a decimal text `d.ddde±K`, as a fraction. */
function exactly(x: number | string): [bigint, bigint] {
  if (typeof x === 'string') {
    const [mantissa, e] = x.split('e');
    const decimals = (mantissa.split('.')[1] ?? '').length - Number(e);
    const numerator = BigInt(mantissa.replace('.', ''));
    return decimals >= 0 ? [numerator, 10n ** BigInt(decimals)] : [numerator * 10n ** BigInt(-decimals), 1n];
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const power = (biased === 0 ? 1 : biased) - 1075;
  return power >= 0 ? [sign * mantissa * 2n ** BigInt(power), 1n] : [sign * mantissa, 2n ** BigInt(-power)];
}

/** Whether `x` lies exactly halfway between the decimal texts `low` and `high`. */
function isMidpoint(x: number, low: string, high: string): boolean {
  const [xn, xd] = exactly(x);
  const [ln, ld] = exactly(low);
  const [hn, hd] = exactly(high);
  // 2x == low + high, over a common denominator.
  return 2n * xn * ld * hd === (ln * hd + hn * ld) * xd;
}

/** Go's `strconv.FormatFloat(x, 'g', -1, 32)`. */
function goFloat32Key(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let digits = '';
  let exponent = 0;
  for (let p = 1; p <= 9; p++) {
    const text = f.toExponential(p - 1);
    if (Math.fround(Number(text)) === f) {
      const [mantissa, e] = text.split('e');
      digits = mantissa.replace('-', '').replace('.', '');
      exponent = Number(e);
      // JavaScript rounds an exact tie up; Go rounds it to the even digit.
      const last = Number(digits[digits.length - 1]);
      if (last % 2 === 1) {
        const lower = `${(BigInt(digits) - 1n).toString().padStart(digits.length, '0')}`;
        const lowerText = `${f < 0 ? '-' : ''}${lower[0]}.${lower.slice(1)}e${exponent}`;
        if (lower.length === digits.length && isMidpoint(f, lowerText, text)) digits = lower;
      }
      break;
    }
  }
  const sign = f < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const e = Math.abs(exponent) < 10 ? `0${Math.abs(exponent)}` : `${Math.abs(exponent)}`;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction !== '' ? `.${fraction}` : ''}`;
}

/**
 * Checks a parsed YAML value: refuses a text whose aliases expand beyond {@link MAX_YAML_EXPANSION}
 * and one holding an {@link UnrepresentableScalar}, with the path of the first. Linear in the size of
 * the text: each map or list is weighed once, however many aliases point to it.
 */
export function checkParsed<T>(value: T): T {
  const weight = new Map<object, number>();
  // Post-order over the distinct nodes, with an explicit stack (nesting may be deep).
  const stack: { node: object; path: string; expanded: boolean }[] = [];
  const weigh = (child: unknown, path: string): number => {
    if (child instanceof UnrepresentableScalar) throw new Error(`${path === '' ? 'the value' : path} ${JSON.stringify(child.text)} ${child.reason}`);
    if (typeof child === 'string') return 1 + child.length;
    if (typeof child !== 'object' || child === null) return 1;
    const known = weight.get(child);
    if (known === undefined) throw new Error('internal: YAML node weighed before its children');
    return known;
  };
  const children = (node: object, path: string): [unknown, string][] => {
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((c, i) => [i, c]) : Object.entries(node);
    return entries.map(([k, c]) => {
      if (k === UINT64_KEY) throw new Error(`${path === '' ? 'the top level' : path} has an integer key beyond 2^63-1, which Kubernetes cannot read; quote it`);
      if (k === NULL_KEY) throw new Error(`${path === '' ? 'the top level' : path} has a null key (~, null or nothing before the colon), which Kubernetes cannot read; quote it if it is meant as the text "null"`);
      if (c instanceof FloatScalar || c instanceof NullScalar) {
        c = c instanceof FloatScalar ? c.value : null;
        (node as Record<string | number, unknown>)[k] = c;
      }
      return [c, typeof k === 'number' ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`];
    });
  };
  if (value instanceof FloatScalar) return value.value as T;
  if (value instanceof NullScalar) return null as T;
  if (typeof value === 'object' && value !== null && !(value instanceof UnrepresentableScalar)) stack.push({ node: value, path: '', expanded: false });
  else weigh(value, '');
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (weight.has(top.node)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      for (const [child, path] of children(top.node, top.path)) {
        if (typeof child === 'object' && child !== null && !(child instanceof UnrepresentableScalar) && !weight.has(child)) stack.push({ node: child, path, expanded: false });
      }
      continue;
    }
    stack.pop();
    let total = 1;
    for (const [child, path] of children(top.node, top.path)) total += weigh(child, path);
    if (total > MAX_YAML_EXPANSION) {
      throw new Error(`expands to more than ${MAX_YAML_EXPANSION} values and characters (YAML aliases repeat what they name; the limit MAX_YAML_EXPANSION is fixed): write the repeated parts out, or split the text`);
    }
    weight.set(top.node, total);
  }
  return value;
}

/** Writes a value as YAML: no line folding, no anchors, keys in the order given. */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { schema: SCHEMA, lineWidth: -1, noRefs: true });
}

/** The short reason of a js-yaml error (`duplicated mapping key (3:1)`), or the message of any other error. */
export function yamlReason(err: unknown): string {
  if (err instanceof yaml.YAMLException) {
    const mark = err.mark as { line?: number; column?: number } | undefined;
    const at = mark && mark.line !== undefined ? ` at line ${mark.line + 1}, column ${(mark.column ?? 0) + 1}` : '';
    return `${err.reason}${at}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Whether a value is a plain map (not null, not a list). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of a JSON-like value with the keys of every map in code-point order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isMap(value)) return value;
  const keys = Object.keys(value).sort(compare);
  return Object.fromEntries(keys.map((k) => [k, sortKeysDeep(value[k])]));
}

/** Structural equality of parsed YAML/JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}
