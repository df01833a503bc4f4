import { PathSegment, SchemaError, SchemaFinding, findingsFromErrors, formatPath, unknownField } from './schema-findings';
import { isMap } from '../input/yaml';

/**
 * Checks documents of built-in Kubernetes kinds against the API schema, using the validators that
 * `kubernetes-models` compiles from Kubernetes' OpenAPI definitions (types, enums, required fields,
 * formats).
 *
 * Those schemas accept any unknown field (Kubernetes' OpenAPI does not say otherwise), so a typo
 * such as `replica:` would pass. The validators are therefore run on a recording view of the
 * document (a Proxy) that notes which field names the validator looks up on each object: a
 * compiled validator looks up every field its schema declares, present or not. A field of the
 * document that was never looked up on an object whose fields were looked up is unknown. Objects
 * the validator enumerates (string maps such as labels) or never looks into (free-form values such
 * as `RawExtension`) are not judged, so the check errs on the side of accepting.
 *
 * The schemas of `kubernetes-models` leave out fields named `description` and the `x-kubernetes-*`
 * fields of `JSONSchemaProps`; such fields are never reported as unknown. A test compares every
 * field its type declarations list with what its validators look up, so a new gap fails the build.
 *
 * `kubernetes-models` is loaded lazily, one kind at a time, on the first document of that kind.
 */

/** The validation entry of a kubernetes-models class: `Model.prototype.validate` with `this` as the data. */
export interface ModelClass {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly prototype: { validate(this: unknown): void };
}

const API_VERSION = /^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** Fields the schemas of kubernetes-models leave out, accepted wherever they appear. */
export function isUnlistedField(key: string): boolean {
  return key === 'description' || key.startsWith('x-kubernetes-');
}

/**
 * The kubernetes-models classes one check run has looked up, by kind: each kind is looked up once
 * (a kind that is not built in would otherwise be searched for again on each of its documents).
 */
export class BuiltinModels {
  private readonly loaded = new Map<string, ModelClass | undefined>();

  /** {@link builtinModel}, looked up once per kind. */
  public get(apiVersion: string, kind: string): ModelClass | undefined {
    const key = `${apiVersion}/${kind}`;
    if (!this.loaded.has(key)) this.loaded.set(key, builtinModel(apiVersion, kind));
    return this.loaded.get(key);
  }
}

/** The kubernetes-models class of a built-in kind, or undefined when the kind is not built in. */
export function builtinModel(apiVersion: string, kind: string): ModelClass | undefined {
  // A missing package must not read as "no built-in kinds": that would silently check nothing.
  require.resolve('kubernetes-models/package.json');
  let model: ModelClass | undefined;
  if (API_VERSION.test(apiVersion) && KIND.test(kind)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>;
      const candidate = loaded[kind];
      // Only top-level kinds: kubernetes-models also has modules for parts (v1 Container).
      if (candidate !== undefined && candidate.kind === kind && candidate.apiVersion === apiVersion) model = candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw err;
    }
  }
  return model;
}

/**
 * The field names a kubernetes-models class's validator looks up on an object, which are the
 * fields its schema declares (the basis of the unknown-field check; tests compare it with the
 * type declarations).
 */
export function fieldsLookedUp(model: ModelClass): Set<string> {
  const object = {};
  const lookups = new Map<object, Lookups>();
  try {
    model.prototype.validate.call(recording(object, lookups, new WeakMap()));
  } catch {
    // Required fields are missing from the empty object: only the lookups matter here.
  }
  return new Set(lookups.get(object)?.names ?? []);
}

/** What the validator looked up on one object of the document. */
interface Lookups {
  readonly names: Set<string>;
  enumerated: boolean;
}

/**
 * Checks one document of a built-in kind. Returns undefined when the kind is not built in (a
 * custom kind, or a built-in kind newer than the schema set), so the caller can try a CRD. A check
 * of many documents passes one `models` for all of them.
 */
export function checkBuiltin(object: Readonly<Record<string, unknown>>, apiVersion: string, kind: string, models: BuiltinModels = new BuiltinModels()): SchemaFinding[] | undefined {
  const model = models.get(apiVersion, kind);
  if (model === undefined) return undefined;
  const schema = `${apiVersion} ${kind}`;
  const lookups = new Map<object, Lookups>();
  let errors: readonly SchemaError[] = [];
  try {
    model.prototype.validate.call(recording(object, lookups, new WeakMap()));
  } catch (err) {
    const found = (err as { errors?: unknown }).errors;
    if (!Array.isArray(found)) throw err;
    errors = found as SchemaError[];
  }
  return [...findingsFromErrors(errors, object, schema), ...unknownFields(object, [], lookups, schema)];
}

function recording(value: unknown, lookups: Map<object, Lookups>, views: WeakMap<object, object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const existing = views.get(value);
  if (existing !== undefined) return existing;
  const seen: Lookups = { names: new Set(), enumerated: false };
  if (!Array.isArray(value)) lookups.set(value, seen);
  const view = new Proxy(value, {
    get(target, name, receiver) {
      if (typeof name === 'string') seen.names.add(name);
      return recording(Reflect.get(target, name, receiver), lookups, views);
    },
    has(target, name) {
      if (typeof name === 'string') seen.names.add(name);
      return Reflect.has(target, name);
    },
    ownKeys(target) {
      seen.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
  views.set(value, view);
  return view;
}

function unknownFields(value: unknown, path: PathSegment[], lookups: ReadonlyMap<object, Lookups>, schema: string): SchemaFinding[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownFields(item, [...path, i], lookups, schema));
  if (!isMap(value)) return [];
  const seen = lookups.get(value);
  if (seen === undefined) return [];
  const out: SchemaFinding[] = [];
  const judged = !seen.enumerated && seen.names.size > 0;
  for (const [key, child] of Object.entries(value)) {
    if (judged && !seen.names.has(key) && !isUnlistedField(key)) {
      out.push({ field: formatPath([...path, key]), message: unknownField(key, seen.names, schema) });
    } else out.push(...unknownFields(child, [...path, key], lookups, schema));
  }
  return out;
}

/**
 * Whether the field at `path` of an object takes only strings, so that a value Terraform fills in
 * there must be written as a string: labels and annotations of any kind (ObjectMeta), and fields of
 * built-in kinds whose schema refuses a number there (ConfigMap `data`, a container's `image`). The
 * validator of the kind is run on a copy holding a number at `path`; a `type` error there asking
 * for a string answers yes. Int-or-string fields, custom kinds' own fields and kinds the schema
 * set does not know answer no.
 */
export function acceptsOnlyStrings(object: Readonly<Record<string, unknown>>, apiVersion: string, kind: string, path: readonly PathSegment[]): boolean {
  if (path.length === 3 && path[0] === 'metadata' && (path[1] === 'labels' || path[1] === 'annotations')) return true;
  const model = builtinModel(apiVersion, kind);
  if (model === undefined || path.length === 0) return false;
  const copy = structuredClone(object) as Record<string, unknown>;
  let parent: unknown = copy;
  for (const segment of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[segment];
  (parent as Record<string | number, unknown>)[path[path.length - 1]] = 0;
  const pointer = path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  try {
    model.prototype.validate.call(copy);
  } catch (err) {
    const errors = (err as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) throw err;
    return (errors as SchemaError[]).some((e) => e.instancePath === pointer && e.keyword === 'type' && e.params.type === 'string');
  }
  return false;
}
