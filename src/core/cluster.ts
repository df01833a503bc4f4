import { Location, ProblemList, shown } from './errors';
import { ManifestDocument, RawDocument, learnCustomScopes, placeDocuments, readManifests } from './manifests';
import { LAYER_SLOTS, LayerKind, LayerSlot, LayerSpec, PROFILE_TYPES, ProfileSpec, ProfileType } from './model';
import { LAYER_NAME_FORM, RELEASE_NAME_FORM, SYSTEM_NAMESPACES, isLayerName, isReleaseName } from './names';
import { PackSettings, splitValues } from './pack-block';

/** Options for resolving a cluster's profiles. */
export interface ResolveOptions {
  /**
   * Registry name to repository URL, for Helm layers that name a registry instead of a URL.
   * @default - no registries
   */
  readonly registries?: Readonly<Record<string, string>>;
}

/** A profile after validation. */
export interface ResolvedProfile {
  readonly name: string;
  readonly version: string;
  readonly type: ProfileType;
  readonly description?: string;
  readonly source?: string;
}

/** What every resolved layer has. */
export interface ResolvedLayerBase {
  readonly name: string;
  readonly kind: LayerKind;
  /** The profile the layer belongs to. */
  readonly profile: string;
  readonly slot: LayerSlot;
  readonly version: string;
  /** The parsed `pack:` block. */
  readonly pack: PackSettings;
  /** The namespace the layer deploys into: its `pack.namespace`, else `default`. */
  readonly namespace: string;
  /** The namespaces the layer creates (namespace and additionalNamespaces, system namespaces left out). */
  readonly ownedNamespaces: readonly string[];
  /** Seconds to wait for readiness. */
  readonly timeoutSeconds: number;
  /** Where the layer was defined, for messages. */
  readonly where: Location;
}

/** A Helm chart layer, ready to become a release. */
export interface ResolvedHelmLayer extends ResolvedLayerBase {
  readonly kind: 'helm';
  readonly chart: string;
  readonly repository: string;
  readonly releaseName: string;
  /** The values for Helm, `pack:` block removed; undefined when there are none. */
  readonly values?: string;
}

/** A manifest layer, ready to become objects. */
export interface ResolvedManifestLayer extends ResolvedLayerBase {
  readonly kind: 'manifest';
  readonly documents: readonly ManifestDocument[];
}

/** A registry pack in the `os` or `k8s` slot: reported, never deployed. */
export interface ResolvedPackLayer extends ResolvedLayerBase {
  readonly kind: 'pack';
  readonly registry?: string;
}

/** Any resolved layer. */
export type ResolvedLayer = ResolvedHelmLayer | ResolvedManifestLayer | ResolvedPackLayer;

/** One cluster's profiles, validated and normalized. */
export interface ResolvedCluster {
  readonly profiles: readonly ResolvedProfile[];
  /** Every layer of every profile, in profile order then layer order. */
  readonly layers: readonly ResolvedLayer[];
}

/** The default readiness timeout of a layer, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const EXACT_CHART_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const SLOTS_BY_TYPE: Record<ProfileType, readonly LayerSlot[]> = {
  infra: ['os', 'k8s', 'cni', 'csi'],
  'add-on': ['addon'],
  full: LAYER_SLOTS,
};
const DEPLOYED_KINDS: readonly LayerKind[] = ['helm', 'manifest'];

/**
 * Validates one cluster's profiles (at most one infrastructure or full profile, any number of
 * add-on profiles) and normalizes them. Every problem found is reported at once in a ProfileError.
 */
export function resolveCluster(profiles: readonly ProfileSpec[], options: ResolveOptions = {}): ResolvedCluster {
  const problems = new ProblemList();
  const resolvedProfiles: ResolvedProfile[] = [];
  const layers: ResolvedLayer[] = [];
  const layerOwner = new Map<string, string>();
  const slotOwner = new Map<LayerSlot, string>();
  let base: ResolvedProfile | undefined;
  const profileNames = new Set<string>();

  if (!Array.isArray(profiles) || profiles.length === 0) {
    problems.add({}, 'no profiles given: a cluster takes one infrastructure or full profile and any number of add-on profiles');
    problems.throwIfAny();
  }

  for (const spec of profiles) {
    const profile = resolveProfile(spec, problems);
    if (profile === undefined) continue;
    const at: Location = { file: spec.source, profile: profile.name };
    if (profileNames.has(profile.name)) {
      problems.add({ ...at, field: 'name' }, 'is given twice for one cluster; each profile may be applied once');
    }
    profileNames.add(profile.name);
    if (profile.type !== 'add-on') {
      if (base !== undefined) {
        problems.add({ ...at, field: 'type' }, `is "${profile.type}", but profile "${base.name}" is already the cluster's ${base.type} profile; a cluster takes one infrastructure or full profile`);
      } else base = profile;
    }
    resolvedProfiles.push(profile);
    if (!Array.isArray(spec.layers)) {
      problems.add({ ...at, field: 'layers' }, `must be a list of layers, found ${shown(spec.layers)}`);
      continue;
    }
    spec.layers.forEach((layerSpec, i) => {
      const layer = resolveLayer(layerSpec, i, profile, at, options, problems);
      if (layer === undefined) return;
      const where = layer.where;
      const other = layerOwner.get(layer.name);
      if (other !== undefined) {
        problems.add({ ...where, field: 'name' }, `"${layer.name}" is also a layer of profile "${other}"; layer names must be unique within a cluster (they name the Terraform resources)`);
        return;
      }
      layerOwner.set(layer.name, profile.name);
      if (layer.slot !== 'addon') {
        const taken = slotOwner.get(layer.slot);
        if (taken !== undefined) {
          problems.add({ ...where, field: 'layer' }, `"${layer.slot}" is already filled by layer "${taken}"; a cluster has one ${layer.slot} layer`);
          return;
        }
        slotOwner.set(layer.slot, layer.name);
      }
      layers.push(layer);
    });
  }
  checkCollisions(layers, problems);
  problems.throwIfAny();
  return { profiles: resolvedProfiles, layers };
}

function resolveProfile(spec: ProfileSpec, problems: ProblemList): ResolvedProfile | undefined {
  const file: Location = { file: spec?.source };
  if (typeof spec !== 'object' || spec === null) {
    problems.add(file, `a profile must be an object, found ${shown(spec)}`);
    return undefined;
  }
  if (typeof spec.name !== 'string' || spec.name.trim() === '') {
    problems.add({ ...file, field: 'name' }, `a profile must have a non-empty name, found ${shown(spec.name)}`);
    return undefined;
  }
  const at: Location = { ...file, profile: spec.name };
  const version = spec.version ?? '1.0.0';
  if (typeof version !== 'string' || !SEMVER.test(version)) {
    problems.add({ ...at, field: 'version' }, `${shown(version)} must be a semantic version major.minor.patch, such as "1.0.0"`);
  }
  const type = spec.type === 'cluster' ? 'full' : spec.type;
  if (!PROFILE_TYPES.includes(type as ProfileType)) {
    problems.add({ ...at, field: 'type' }, `${shown(spec.type)} must be one of "infra", "add-on", "full" (or Palette's "cluster")`);
    return undefined;
  }
  return { name: spec.name, version: String(version), type: type as ProfileType, description: spec.description, source: spec.source };
}

function resolveLayer(
  spec: LayerSpec,
  index: number,
  profile: ResolvedProfile,
  at: Location,
  options: ResolveOptions,
  problems: ProblemList,
): ResolvedLayer | undefined {
  if (typeof spec !== 'object' || spec === null) {
    problems.add({ ...at, field: `layers[${index}]` }, `must be a layer object, found ${shown(spec)}`);
    return undefined;
  }
  if (typeof spec.name !== 'string' || !isLayerName(spec.name)) {
    problems.add({ ...at, field: `layers[${index}].name` }, `${shown(spec.name)} ${LAYER_NAME_FORM}`);
    return undefined;
  }
  const where: Location = { ...at, layer: spec.name };
  const slot = spec.slot ?? 'addon';
  if (!LAYER_SLOTS.includes(slot)) {
    problems.add({ ...where, field: 'layer' }, `${shown(slot)} must be one of ${LAYER_SLOTS.map((s) => `"${s}"`).join(', ')}`);
    return undefined;
  }
  if (!SLOTS_BY_TYPE[profile.type].includes(slot)) {
    const allowed = SLOTS_BY_TYPE[profile.type].map((s) => `"${s}"`).join(', ');
    problems.add({ ...where, field: 'layer' }, `"${slot}" is not allowed in a profile of type "${profile.type}", which holds ${allowed} layers`);
    return undefined;
  }
  const deploys = slot !== 'os' && slot !== 'k8s';
  if (deploys && !DEPLOYED_KINDS.includes(spec.kind)) {
    const kind = (spec as { kind?: unknown }).kind;
    const message = kind === 'pack'
      ? 'is "pack" (a registry pack); registry packs are accepted only in the os and k8s slots, which deploy nothing; use a "helm" or "manifest" layer'
      : `${shown(kind)} must be "helm" or "manifest"`;
    problems.add({ ...where, field: 'kind' }, message);
    return undefined;
  }
  const timeoutSeconds = spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) {
    problems.add({ ...where, field: 'timeoutSeconds' }, `${shown(timeoutSeconds)} must be a whole number of seconds greater than 0`);
  }
  const split = splitValues(spec.values, where, problems);
  const namespace = split.pack.namespace ?? 'default';
  const ownedNamespaces = deploys
    ? [split.pack.namespace, ...split.pack.additionalNamespaces].filter((n): n is string => n !== undefined && !SYSTEM_NAMESPACES.has(n))
    : [];
  const common = {
    name: spec.name,
    profile: profile.name,
    slot,
    pack: split.pack,
    namespace,
    ownedNamespaces: [...new Set(ownedNamespaces)],
    timeoutSeconds,
    where,
  };
  switch (spec.kind) {
    case 'helm':
      return resolveHelm(spec, common, split.yaml, options, problems);
    case 'manifest': {
      const raw: RawDocument[] = readManifests(Array.isArray(spec.manifests) ? spec.manifests : [], where, problems);
      if (!Array.isArray(spec.manifests)) problems.add({ ...where, field: 'manifests' }, `must be a list of {name, content}, found ${shown(spec.manifests)}`);
      const version = spec.version ?? '1.0.0';
      return { ...common, kind: 'manifest', version, documents: placeDocuments(raw, namespace, learnCustomScopes(raw)) };
    }
    default: {
      const pack = spec as { version?: unknown; registry?: string; kind?: string };
      const version = typeof pack.version === 'string' ? pack.version : '';
      if (version === '') problems.add({ ...where, field: 'version' }, `must be the pack's version, found ${shown(pack.version)}`);
      return { ...common, kind: 'pack', version, registry: pack.registry };
    }
  }
}

function resolveHelm(
  spec: Extract<LayerSpec, { kind: 'helm' }>,
  common: Omit<ResolvedLayerBase, 'kind' | 'version'>,
  values: string | undefined,
  options: ResolveOptions,
  problems: ProblemList,
): ResolvedHelmLayer {
  const where = common.where;
  const chart = spec.chart ?? spec.name;
  if (typeof spec.version !== 'string' || !EXACT_CHART_VERSION.test(spec.version)) {
    problems.add({ ...where, field: 'version' }, `${shown(spec.version)} must be an exact chart version such as "1.14.4" (version trains such as "1.x" are not resolved here)`);
  }
  let repository = spec.repository;
  if (repository === undefined) {
    const registry = spec.registry;
    if (registry === undefined) {
      problems.add({ ...where, field: 'repository' }, 'is missing: give the chart repository URL, or a registry name with its URL (--registry NAME=URL)');
    } else {
      repository = options.registries?.[registry];
      if (repository === undefined) {
        const known = Object.keys(options.registries ?? {});
        problems.add({ ...where, field: 'registry' }, `"${registry}" has no URL; pass --registry "${registry}=URL" (known registries: ${known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none'})`);
      }
    }
  } else if (typeof repository !== 'string' || repository.trim() === '') {
    problems.add({ ...where, field: 'repository' }, `must be a repository URL, found ${shown(repository)}`);
  }
  const releaseName = common.pack.releaseNameOverride[chart] ?? chart;
  if (!isReleaseName(releaseName)) {
    const field = common.pack.releaseNameOverride[chart] !== undefined ? `pack.releaseNameOverride.${chart}` : 'chart';
    problems.add({ ...where, field }, `release name ${shown(releaseName)} ${RELEASE_NAME_FORM}`);
  }
  return { ...common, kind: 'helm', version: String(spec.version), chart, repository: repository ?? '', releaseName, values };
}

/** Two layers must not produce the same Helm release or the same Kubernetes object. */
function checkCollisions(layers: readonly ResolvedLayer[], problems: ProblemList): void {
  const releases = new Map<string, string>();
  const objects = new Map<string, string>();
  for (const layer of layers) {
    if (layer.kind === 'helm') {
      const key = `${layer.namespace}/${layer.releaseName}`;
      const other = releases.get(key);
      if (other !== undefined) {
        problems.add({ ...layer.where, field: 'release' }, `"${layer.releaseName}" in namespace "${layer.namespace}" is also the release of layer "${other}"; give one a pack.releaseNameOverride or another namespace`);
      } else releases.set(key, layer.name);
    }
    if (layer.kind === 'manifest') {
      for (const doc of layer.documents) {
        const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
        const key = `${group}/${doc.kind}/${doc.namespace ?? ''}/${doc.name}`;
        const other = objects.get(key);
        const label = `${doc.kind} "${doc.namespace ? `${doc.namespace}/` : ''}${doc.name}"`;
        if (other !== undefined) {
          const by = other === layer.name ? 'another document of this layer' : `layer "${other}"`;
          problems.add({ ...layer.where, manifest: doc.manifest, document: doc.position }, `${label} is also defined by ${by}; each Kubernetes object may be defined once`);
        } else objects.set(key, layer.name);
      }
    }
  }
}
