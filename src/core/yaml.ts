import * as yaml from 'js-yaml';
import { compare } from './compare';

/**
 * YAML reading and writing with one schema everywhere. The core schema (YAML 1.2: strings, numbers,
 * booleans, null, maps, lists) is used rather than js-yaml's default so that timestamps stay the
 * strings the user wrote instead of becoming dates and being written back in another form.
 */
export const SCHEMA = yaml.CORE_SCHEMA;

/** Parses one YAML document. Throws js-yaml's error (with line and column) on bad input. */
export function parseYaml(text: string, filename?: string): unknown {
  return yaml.load(text, { schema: SCHEMA, filename });
}

/** Parses every document of a multi-document YAML text, keeping empty documents as `null`/`undefined`. */
export function parseYamlDocuments(text: string, filename?: string): unknown[] {
  return yaml.loadAll(text, undefined, { schema: SCHEMA, filename });
}

/** Writes a value as YAML: no line folding, no anchors, keys in the order given. */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { schema: SCHEMA, lineWidth: -1, noRefs: true });
}

/**
 * Writes values for Helm, which reads YAML 1.1: there, unquoted `yes`, `on`, `1_000` or
 * `2001-12-14` are not strings. Every string value is quoted, so Helm reads the same types as the
 * values this was given.
 */
export function toHelmYaml(value: unknown): string {
  return yaml.dump(value, { schema: SCHEMA, lineWidth: -1, noRefs: true, forceQuotes: true });
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
