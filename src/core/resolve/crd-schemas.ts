import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { apiGroup } from './manifests';
import { SchemaError, SchemaFinding, findingsFromErrors } from './schema-findings';
import { isMap } from '../input/yaml';

/** The schema one version of a CRD gives its custom resources. */
export interface CrdSchema {
  /** The CRD's name, `widgets.example.com`. */
  readonly crd: string;
  /** The layer that defines the CRD. */
  readonly layer: string;
  /** `example.com/v1 Widget`, for messages. */
  readonly label: string;
  /** The version's `schema.openAPIV3Schema`. */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** A CRD document and the layer it belongs to. */
export interface LayerObject {
  readonly layer: string;
  readonly object: Readonly<Record<string, unknown>>;
}

/**
 * Collects the `openAPIV3Schema` of every version of every CRD (`apiextensions.k8s.io`) among the
 * documents, keyed `apiVersion/Kind` (`example.com/v1/Widget`).
 */
export function learnCrdSchemas(documents: Iterable<LayerObject>): Map<string, CrdSchema> {
  const out = new Map<string, CrdSchema>();
  for (const { layer, object } of documents) {
    if (object.kind !== 'CustomResourceDefinition' || apiGroup(String(object.apiVersion)) !== 'apiextensions.k8s.io') continue;
    const spec = object.spec;
    const meta = object.metadata;
    if (!isMap(spec) || !isMap(spec.names) || typeof spec.group !== 'string' || typeof spec.names.kind !== 'string' || !Array.isArray(spec.versions)) continue;
    for (const version of spec.versions) {
      if (!isMap(version) || typeof version.name !== 'string' || !isMap(version.schema) || !isMap(version.schema.openAPIV3Schema)) continue;
      const apiVersion = `${spec.group}/${version.name}`;
      out.set(`${apiVersion}/${spec.names.kind}`, {
        crd: isMap(meta) ? String(meta.name) : `${spec.names.kind}.${spec.group}`,
        layer,
        label: `${apiVersion} ${spec.names.kind}`,
        schema: version.schema.openAPIV3Schema,
      });
    }
  }
  return out;
}

/**
 * Checks custom resources against the schema of their CRD, as the API server would, but strictly:
 * a field the schema does not declare is an error (the API server silently prunes it, which hides
 * the typo until something does not work), except under `x-kubernetes-preserve-unknown-fields`.
 * Kubernetes' extensions are honoured: `x-kubernetes-int-or-string`, `x-kubernetes-embedded-resource`
 * and `nullable`. Formats and CEL rules (`x-kubernetes-validations`) are not checked, and a schema
 * ajv cannot compile (a pattern in a regex dialect JavaScript lacks) checks nothing.
 *
 * ajv is loaded lazily, on the first custom resource whose CRD is in the profiles.
 */
export class CrdChecker {
  private ajv?: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | undefined>();

  constructor(private readonly schemas: ReadonlyMap<string, CrdSchema>) {}

  /** Checks one custom resource; undefined when no CRD in the profiles serves its kind. */
  public check(object: Readonly<Record<string, unknown>>, apiVersion: string, kind: string): SchemaFinding[] | undefined {
    const key = `${apiVersion}/${kind}`;
    const crd = this.schemas.get(key);
    if (crd === undefined) return undefined;
    const validate = this.validator(key, crd);
    if (validate === undefined || validate(object)) return [];
    return findingsFromErrors((validate.errors ?? []) as SchemaError[], object, `${crd.label} (CRD "${crd.crd}" of layer "${crd.layer}")`);
  }

  private validator(key: string, crd: CrdSchema): ValidateFunction | undefined {
    if (this.compiled.has(key)) return this.compiled.get(key);
    if (this.ajv === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
      this.ajv = new AjvClass({ allErrors: true, strict: false, validateFormats: false, verbose: true });
    }
    let validate: ValidateFunction | undefined;
    try {
      validate = this.ajv.compile(strictSchema(crd.schema, true) as Record<string, unknown>);
    } catch {
      validate = undefined;
    }
    this.compiled.set(key, validate);
    return validate;
  }
}

const OBJECT_META = { type: 'object' };

/**
 * A CRD's structural schema rewritten for a strict check: every object with declared properties
 * refuses others, unless it preserves unknown fields; int-or-string becomes a type list; embedded
 * resources and the root accept `apiVersion`, `kind` and `metadata`.
 */
export function strictSchema(node: unknown, root = false): unknown {
  if (!isMap(node)) return node;
  const out: Record<string, unknown> = { ...node };
  if (isMap(node.properties)) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, strictSchema(v)]));
  }
  if (isMap(node.items)) out.items = strictSchema(node.items);
  if (isMap(node.additionalProperties)) out.additionalProperties = strictSchema(node.additionalProperties);
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    // Branches of a structural schema only add value checks; they declare no fields of their own.
    if (Array.isArray(node[combinator])) out[combinator] = (node[combinator] as unknown[]).map((branch) => relaxed(strictSchema(branch)));
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  if (root || node['x-kubernetes-embedded-resource'] === true) {
    const properties = isMap(out.properties) ? { ...out.properties } : {};
    properties.apiVersion = properties.apiVersion ?? { type: 'string' };
    properties.kind = properties.kind ?? { type: 'string' };
    properties.metadata = root ? OBJECT_META : properties.metadata ?? OBJECT_META;
    out.properties = properties;
  }
  const declares = isMap(out.properties);
  if (declares && out.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function relaxed(schema: unknown): unknown {
  if (!isMap(schema) || schema.additionalProperties !== false) return schema;
  const { additionalProperties: _dropped, ...rest } = schema;
  return rest;
}
