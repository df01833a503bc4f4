import { shown } from '../model/errors';
import { isMap } from '../input/yaml';

/**
 * A JSON-schema validation error in ajv's shape. Both schema sources report these: the compiled
 * validators of `kubernetes-models` (built-in kinds) and ajv on a CRD's `openAPIV3Schema`.
 */
export interface SchemaError {
  /** JSON pointer of the value the error is about (`/spec/replicas`). */
  readonly instancePath: string;
  /** The schema keyword that failed (`type`, `enum`, `required`, `additionalProperties`, ...). */
  readonly keyword: string;
  /** The keyword's details (`{ type: 'integer' }`, `{ missingProperty: 'x' }`, ...). */
  readonly params: Readonly<Record<string, unknown>>;
  /** ajv's own English message. */
  readonly message?: string;
  /** The schema holding the failed keyword (ajv's `verbose` option). */
  readonly parentSchema?: unknown;
}

/** One thing wrong with a document: where (a field path) and what (without the location). */
export interface SchemaFinding {
  /** The field path, `spec.template.spec.containers[0].image`. */
  readonly field: string;
  /** What is wrong, naming the schema (`is not a field of apps/v1 Deployment`). */
  readonly message: string;
}

/** A path segment: a map key or a list index. */
export type PathSegment = string | number;

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Renders a path as people write it: `spec.containers[0].ports[0].containerPort`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (BARE_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Splits a JSON pointer into segments, turning list positions into numbers where `object` holds a list. */
export function pointerPath(pointer: string, object: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let node: unknown = object;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      out.push(Number(key));
      node = node[Number(key)];
    } else {
      out.push(key);
      node = isMap(node) ? node[key] : undefined;
    }
  }
  return out;
}

/** The value at a path, or undefined. */
export function valueAt(object: unknown, path: readonly PathSegment[]): unknown {
  let node = object;
  for (const segment of path) {
    if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
    else node = isMap(node) ? node[segment] : undefined;
  }
  return node;
}

/** The message for a field that the schema does not have, with a suggestion when one is close. */
export function unknownField(key: string, known: Iterable<string>, schema: string): string {
  const guess = closest(key, known);
  return `is not a field of ${schema}${guess !== undefined ? `; did you mean "${guess}"?` : ''}`;
}

/**
 * Turns validator errors into findings, one per field: a value of the wrong type that is also
 * outside an enum gets one message naming the allowed values; the branches of a `oneOf` (an
 * int-or-string field) become one "must be an integer or a string". Values still holding a
 * template (`{{ ... }}`) or a Terraform reference (`${...}`) are not type-checked: their type is
 * only known once they are rendered.
 */
export function findingsFromErrors(errors: readonly SchemaError[], object: unknown, schema: string): SchemaFinding[] {
  const byPath = new Map<string, SchemaError[]>();
  const out: SchemaFinding[] = [];
  for (const error of errors) {
    if (error.keyword === 'required') {
      const path = [...pointerPath(error.instancePath, object), String(error.params.missingProperty)];
      out.push({ field: formatPath(path), message: `is required in ${schema}` });
      continue;
    }
    if (error.keyword === 'additionalProperties') {
      const key = String(error.params.additionalProperty);
      const path = [...pointerPath(error.instancePath, object), key];
      const parent = error.parentSchema;
      const known = isMap(parent) && isMap(parent.properties) ? Object.keys(parent.properties) : [];
      out.push({ field: formatPath(path), message: unknownField(key, known, schema) });
      continue;
    }
    const group = byPath.get(error.instancePath) ?? [];
    group.push(error);
    byPath.set(error.instancePath, group);
  }
  for (const [pointer, group] of byPath) {
    const path = pointerPath(pointer, object);
    const value = valueAt(object, path);
    if (typeof value === 'string' && /\{\{|\$\{/.test(value) && group.every((e) => ['type', 'oneOf', 'anyOf', 'enum', 'format', 'pattern'].includes(e.keyword))) continue;
    out.push({ field: formatPath(path) === '' ? '(document)' : formatPath(path), message: `${describeGroup(group)} in ${schema}, found ${shown(value)}` });
  }
  return out;
}

function describeGroup(group: readonly SchemaError[]): string {
  const enumError = group.find((e) => e.keyword === 'enum');
  if (enumError !== undefined) {
    const allowed = (enumError.params.allowedValues as unknown[] | undefined) ?? [];
    return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const types = group
    .filter((e) => e.keyword === 'type')
    .flatMap((e) => (Array.isArray(e.params.type) ? e.params.type : String(e.params.type).split(',')) as string[]);
  if (types.length > 0) return `must be ${[...new Set(types)].map(typeName).join(' or ')}`;
  const first = group.find((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf') ?? group[0];
  return first.message ?? `fails the schema's "${first.keyword}" rule`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

/** The known name closest to `key` by edit distance, if close enough to be a likely typo. */
export function closest(key: string, known: Iterable<string>): string | undefined {
  const limit = key.length <= 4 ? 1 : key.length <= 10 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...new Set(known)].sort()) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : distance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
