import { compare } from '../model/compare';
import { commaSeparated } from '../model/names';
import { Location, ProblemList, shown } from '../model/errors';
import { ManifestDocument } from '../model/resolved';
import { RawDocument, apiGroup } from './manifests';
import { isMap } from '../input/yaml';

/**
 * What a manifest document is, as far as installing it goes:
 * - `crd`: a CustomResourceDefinition (`apiextensions.k8s.io`): it makes the API server serve a new
 *   kind once it is established;
 * - `custom`: an object of an API group Kubernetes itself does not serve (a custom resource, served
 *   by a CRD or an aggregated API server), which can only be created, and only be planned by
 *   `kubernetes_manifest`, once that kind is served;
 * - `built-in`: an object of a group every API server serves (`v1`, `apps`, `networking.k8s.io`...).
 */
export type DocumentClass = 'crd' | 'custom' | 'built-in';

/**
 * API groups served by Kubernetes itself. A document of any other group is a custom resource,
 * served by a CRD (or an aggregated API server) that must exist before it can be created. Groups
 * under `k8s.io` that are installed as CRDs (`snapshot.storage.k8s.io`,
 * `gateway.networking.k8s.io`) are custom too.
 */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'extensions',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/** Classifies a document by its `apiVersion` and `kind`. */
export function classifyDocument(apiVersion: string, kind: string): DocumentClass {
  const group = apiGroup(apiVersion);
  if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') return 'crd';
  return BUILT_IN_GROUPS.has(group) ? 'built-in' : 'custom';
}

/** Whether a document is a custom resource (see {@link classifyDocument}). */
export function isCustomResource(document: Pick<ManifestDocument, 'apiVersion' | 'kind'>): boolean {
  return classifyDocument(document.apiVersion, document.kind) === 'custom';
}

/** What a CRD document defines. */
export interface CrdDefinition {
  /** The CRD's name, `<plural>.<group>` (`certificates.cert-manager.io`). */
  readonly name: string;
  readonly group: string;
  /** The kind it serves (`Certificate`). */
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Cluster' | 'Namespaced';
}

/** What a CRD document defines; undefined for any other document, or a CRD without group and kind. */
export function crdDefinition(object: Readonly<Record<string, unknown>>): CrdDefinition | undefined {
  if (object.kind !== 'CustomResourceDefinition' || apiGroup(String(object.apiVersion)) !== 'apiextensions.k8s.io') return undefined;
  const spec = object.spec;
  if (!isMap(spec) || !isMap(spec.names) || typeof spec.group !== 'string' || typeof spec.names.kind !== 'string') return undefined;
  const plural = typeof spec.names.plural === 'string' ? spec.names.plural : `${spec.names.kind.toLowerCase()}s`;
  const meta = object.metadata;
  const name = isMap(meta) && typeof meta.name === 'string' ? meta.name : `${plural}.${spec.group}`;
  return { name, group: spec.group, kind: spec.names.kind, plural, scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced' };
}

/**
 * Learns the scope of custom kinds (`<group>/<kind>`) from CRDs among the documents, so that their
 * objects get (or do not get) the layer's namespace correctly.
 */
export function learnCustomScopes(docs: readonly Pick<RawDocument, 'object'>[]): Map<string, 'Cluster' | 'Namespaced'> {
  const out = new Map<string, 'Cluster' | 'Namespaced'>();
  for (const { object } of docs) {
    const crd = crdDefinition(object);
    if (crd !== undefined) out.set(`${crd.group}/${crd.kind}`, crd.scope);
  }
  return out;
}

/** How a `pack.providesCrds` entry must look, for messages. */
export const PROVIDED_CRD_FORM = 'must be a CRD name "<plural>.<group>" such as "certificates.cert-manager.io", or "*.<group>" for every CRD of a group';

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** `<plural>.<group>`, the group holding at least one dot, as the API server requires of CRD groups. */
const CRD_NAME = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL}){2,}$`);
const GROUP_WILDCARD = new RegExp(`^\\*(\\.${DNS_LABEL}){2,}$`);

/**
 * Reads `pack.providesCrds`: the CRDs a layer installs without listing them as manifest documents,
 * typically a Helm chart (`installCRDs: true`) or a Zarf package. A CRD name (`<plural>.<group>`,
 * as `kubectl get crd` lists it), `*.<group>` for every CRD of a group; a comma-separated string or
 * a list. Sorted, without repeats.
 */
export function readProvidesCrds(value: unknown, where: Location, problems: ProblemList): string[] {
  const field = 'pack.providesCrds';
  if (value === undefined || value === null) return [];
  const names = typeof value === 'string' ? commaSeparated(value) : value;
  if (!Array.isArray(names)) {
    problems.add({ ...where, field }, `${PROVIDED_CRD_FORM}; give one, a comma-separated list or a list; found ${shown(value)}`);
    return [];
  }
  const out = new Set<string>();
  names.forEach((name: unknown, i) => {
    const at = { ...where, field: Array.isArray(value) ? `${field}[${i}]` : field };
    if (typeof name !== 'string' || !(name.length <= 253 && (CRD_NAME.test(name) || GROUP_WILDCARD.test(name)))) {
      problems.add(at, `${shown(name)} ${PROVIDED_CRD_FORM}`);
    } else out.add(name);
  });
  return [...out].sort();
}

/** What {@link findCrdProviders} reads of a layer: its name, declared CRDs and documents. */
export interface CrdSource {
  readonly name: string;
  readonly settings: { readonly providesCrds?: readonly string[] };
  readonly documents?: readonly ManifestDocument[];
}

/** Which layers provide which CRDs, defined as documents or declared in `pack.providesCrds`. */
export interface CrdProviders {
  /**
   * The layers that provide a kind of custom resource (its API group and kind), sorted by name: layers whose documents
   * define its CRD, else layers declaring the CRD by name (its plural taken as the kind's lowercase
   * plural: `Certificate` is served by `certificates.<group>`, `Policy` by `policies.<group>`) or by
   * group (`*.<group>`). Empty when no layer provides it.
   */
  providersOf(group: string, kind: string): string[];
  /** Every CRD defined by a document of the profiles, by name. */
  readonly definitions: ReadonlyMap<string, { readonly layer: string; readonly definition: CrdDefinition }>;
}

/** Finds which layers provide which CRDs. */
export function findCrdProviders(layers: readonly CrdSource[]): CrdProviders {
  const byKind = new Map<string, Set<string>>();
  const definitions = new Map<string, { layer: string; definition: CrdDefinition }>();
  const declared = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, layer: string): void => {
    map.set(key, (map.get(key) ?? new Set()).add(layer));
  };
  for (const layer of layers) {
    for (const d of layer.documents ?? []) {
      const definition = crdDefinition(d.object);
      if (definition === undefined) continue;
      add(byKind, `${definition.group}/${definition.kind}`, layer.name);
      if (!definitions.has(definition.name)) definitions.set(definition.name, { layer: layer.name, definition });
    }
    for (const name of layer.settings.providesCrds ?? []) add(declared, name, layer.name);
  }
  const sortedNames = (set: Set<string> | undefined): string[] => [...(set ?? [])].sort(compare);
  return {
    definitions,
    providersOf(group: string, kind: string): string[] {
      const defined = byKind.get(`${group}/${kind}`);
      if (defined !== undefined) return sortedNames(defined);
      const found = new Set<string>();
      for (const plural of pluralsOf(kind)) for (const layer of declared.get(`${plural}.${group}`) ?? []) found.add(layer);
      for (const layer of declared.get(`*.${group}`) ?? []) found.add(layer);
      return sortedNames(found);
    },
  };
}

/** The plurals a CRD of this kind most likely has: Kubernetes' convention is the kind's lowercase English plural. */
export function pluralsOf(kind: string): string[] {
  const k = kind.toLowerCase();
  const out = [`${k}s`, `${k}es`, k];
  if (/[^aeiou]y$/.test(k)) out.push(`${k.slice(0, -1)}ies`);
  return out;
}
