import { Location, ProblemList, quotedList, shown } from '../model/errors';
import { EXACT_SEMVER, SEMVER } from '../model/versions';
import { learnCustomScopes } from './classify';
import { RawDocument, apiGroup, placeDocuments, readManifests } from './manifests';
import { LAYER_SLOTS, LayerKind, LayerSlot, LayerSpec, ManifestSpec, PROFILE_TYPES, ProfileSpec, ProfileType, slotDeploys } from '../model/spec';
import { LAYER_NAME_FORM, RELEASE_NAME_FORM, SYSTEM_NAMESPACES, isLayerName, isSystemNamespace, isReleaseName } from '../model/names';
import { ResolvedProfile, ResolvedLayerBase, ResolvedHelmLayer, ResolvedManifestLayer, ResolvedPackLayer, ResolvedLayer, ResolvedZarfLayer, ResolvedCluster, DEFAULT_TIMEOUT_SECONDS } from '../model/resolved';
import { splitValues } from './layer-settings';
import { checkManifestSchemas } from './schema-check';
import { checkManifestSettings } from './manifest-settings';
import { ReleaseNames } from './releases';
import { resolveZarf } from './zarf';
import { CatalogPack } from '../model/catalog';
import { lookupPack, mergePackValues, resolvePackContents } from './packs';
import { expandMacrosWithWarnings } from './macros';
import { resolveVariables } from './variables';
import { ResolveOptions } from '../model/resolve-options';
import { ownValue } from '../model/dictionary';
import { hasControlCharacters } from '../model/printable';
import { checkRegistryIdentities, registryLabel, registryUrl, registryUrls } from '../input/registry-identity';

const SLOTS_BY_TYPE: Record<ProfileType, readonly LayerSlot[]> = {
  infra: ['os', 'k8s', 'cni', 'csi'],
  'add-on': ['addon'],
  full: LAYER_SLOTS,
};
const DEPLOYED_KINDS: readonly LayerKind[] = ['helm', 'manifest', 'pack', 'zarf'];

/**
 * Validates one cluster's profiles (at most one infrastructure or full profile, any number of
 * add-on profiles) and normalizes them. Every problem found is reported at once in a ProfileError.
 */
export function resolveCluster(profiles: readonly ProfileSpec[], options: ResolveOptions = {}): ResolvedCluster {
  const problems = new ProblemList();
  options = { ...options, registries: registryUrls(options) };
  const resolvedProfiles: ResolvedProfile[] = [];
  const read: ReadLayer[] = [];
  const layerOwner = new Map<string, string>();
  const slotOwner = new Map<LayerSlot, string>();
  let base: ResolvedProfile | undefined;
  const profileNames = new Set<string>();

  if (!Array.isArray(profiles) || profiles.length === 0) {
    problems.add({}, 'no profiles given: a cluster takes one infrastructure or full profile and any number of add-on profiles');
    problems.throwIfAny();
  }
  // Macros are text: expanded before any value is parsed, as Palette does.
  const expanded = expandMacrosWithWarnings(profiles, options, problems);
  // Values are text until their macros are expanded: read before, they would report what a macro
  // that failed left unexpanded.
  problems.throwIfAny();
  profiles = expanded.profiles;
  const variables = resolveVariables(profiles, options, problems);
  checkRegistryIdentities(profiles, options.registries, options.catalog, problems);

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
      const found = resolveLayer(layerSpec, i, profile, at, options, problems);
      if (found === undefined) return;
      const layer = found.layer;
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
      read.push(found);
    });
  }
  const layers = placeWithClusterScopes(read);
  checkCollisions(layers, problems);
  refuseSystemNamespaceDocuments(layers, problems);
  checkManifestSchemas(layers, problems);
  // What the layers' manifests need of their strategy is judged on a cluster read without problems:
  // on one with problems it would report their consequences (a readiness rule naming a document
  // that did not parse).
  if (problems.empty) checkManifestSettings(layers.filter((l) => slotDeploys(l.slot)), problems);
  problems.throwIfAny();
  return { profiles: resolvedProfiles, layers, variables, ...(expanded.warnings.length > 0 ? { warnings: expanded.warnings } : {}) };
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
  if (hasControlCharacters(spec.name)) {
    // Printed raw, ESC[2K would erase the line it is on (the hazards list, say).
    problems.add({ ...file, field: 'name' }, `holds control characters; a profile name must be printable text, found ${shown(spec.name)}`);
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
): ReadLayer | undefined {
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
    problems.add({ ...where, field: 'layer' }, `${shown(slot)} must be one of ${quotedList(LAYER_SLOTS)}`);
    return undefined;
  }
  if (!SLOTS_BY_TYPE[profile.type].includes(slot)) {
    const allowed = quotedList(SLOTS_BY_TYPE[profile.type]);
    problems.add({ ...where, field: 'layer' }, `"${slot}" is not allowed in a profile of type "${profile.type}", which holds ${allowed} layers`);
    return undefined;
  }
  const deploys = slotDeploys(slot);
  if (deploys && !DEPLOYED_KINDS.includes(spec.kind)) {
    const kind = (spec as { kind?: unknown }).kind;
    problems.add({ ...where, field: 'kind' }, `${shown(kind)} must be "helm", "manifest", "pack" or "zarf"`);
    return undefined;
  }
  const timeoutSeconds = spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) {
    problems.add({ ...where, field: 'timeoutSeconds' }, `${shown(timeoutSeconds)} must be a whole number of seconds greater than 0`);
  }
  const catalogPack = deploys && spec.kind === 'pack' ? lookupPack(spec, where, options.catalog, problems) : undefined;
  const values = catalogPack !== undefined && spec.kind === 'pack' ? mergePackValues(spec, catalogPack, where, problems) : spec.values;
  const split = splitValues(values, where, problems);
  const namespace = split.settings.namespace ?? 'default';
  const ownedNamespaces = deploys
    ? [split.settings.namespace, ...split.settings.additionalNamespaces].filter((n): n is string => n !== undefined && !isSystemNamespace(n))
    : [];
  const common = {
    name: spec.name,
    profile: profile.name,
    slot,
    settings: split.settings,
    namespace,
    ownedNamespaces: [...new Set(ownedNamespaces)],
    timeoutSeconds,
    where,
  };
  if (!deploys && hasAttachedManifests(spec)) {
    const names = Array.isArray(spec.manifests) ? spec.manifests.map((m) => shown(m?.name)).join(', ') : shown(spec.manifests);
    problems.add({ ...where, field: 'manifests' }, `attaches manifests (${names}), but the ${slot} slot describes the cluster and deploys nothing here; move them into a manifest layer`);
  }
  switch (spec.kind) {
    case 'helm': {
      const layer = resolveHelm(spec, common, split.yaml, options, problems);
      return { layer, raw: deploys ? attachedDocuments(spec, undefined, where, problems) : [] };
    }
    case 'zarf':
      if (deploys) return { layer: resolveZarf(spec, common, split.parsed, options, problems), raw: [] };
      problems.add({ ...where, field: 'kind' }, `is "zarf", but the ${slot} slot describes the cluster and deploys nothing; put the Zarf layer in the addon, cni or csi slot`);
      return undefined;
    case 'manifest': {
      const raw: RawDocument[] = readManifests(Array.isArray(spec.manifests) ? spec.manifests : [], where, problems);
      if (!Array.isArray(spec.manifests)) problems.add({ ...where, field: 'manifests' }, `must be a list of {name, content}, found ${shown(spec.manifests)}`);
      const version = spec.version ?? '1.0.0';
      return { layer: { ...common, kind: 'manifest', version }, raw };
    }
    default: {
      const pack = spec as Extract<LayerSpec, { kind: 'pack' }>;
      const version = typeof pack.version === 'string' ? pack.version : '';
      if (version === '' && !deploys) problems.add({ ...where, field: 'version' }, `must be the pack's version, found ${shown(pack.version)}`);
      const contents = catalogPack !== undefined ? resolvePackContents(catalogPack, split.parsed, split.settings, where, options.registries ?? {}, problems) : undefined;
      const raw = [...(contents?.documents ?? []), ...(deploys ? attachedDocuments(pack, catalogPack, where, problems) : [])];
      const layer: Unplaced<ResolvedPackLayer> = {
        ...common,
        kind: 'pack',
        version,
        packName: pack.packName ?? pack.name,
        registry: registryLabel(pack),
        tag: pack.tag,
        releases: contents?.releases ?? [],
        templates: deploys ? (contents?.templates ?? []) : [],
      };
      return { layer, raw };
    }
  }
}

function resolveHelm(
  spec: Extract<LayerSpec, { kind: 'helm' }>,
  common: Omit<ResolvedLayerBase, 'kind' | 'version'>,
  values: string | undefined,
  options: ResolveOptions,
  problems: ProblemList,
): Unplaced<ResolvedHelmLayer> {
  const where = common.where;
  const chart = spec.chart ?? spec.name;
  if (typeof spec.version !== 'string' || !EXACT_SEMVER.test(spec.version)) {
    problems.add({ ...where, field: 'version' }, `${shown(spec.version)} must be an exact chart version such as "1.14.4" (a version train such as "1.x" is resolved by the CLI, or in code by resolveTrains() before planning)`);
  }
  let repository = spec.repository;
  if (repository === undefined) {
    const registry = spec.registry;
    if (registry === undefined) {
      problems.add({ ...where, field: 'repository' }, 'is missing: give the chart repository URL, or a registry name with its URL (--registry NAME=URL)');
    } else {
      repository = registryUrl(options.registries, spec);
      if (repository === undefined) {
        const known = Object.keys(options.registries ?? {});
        problems.add({ ...where, field: 'registry' }, `"${registry}" has no URL; pass --registry "${registry}=URL" (known registries: ${quotedList(known)})`);
      }
    }
  } else if (typeof repository !== 'string' || repository.trim() === '') {
    problems.add({ ...where, field: 'repository' }, `must be a repository URL, found ${shown(repository)}`);
  }
  const releaseName = ownValue(common.settings.releaseNameOverride, chart) ?? chart;
  if (!isReleaseName(releaseName)) {
    const field = ownValue(common.settings.releaseNameOverride, chart) !== undefined ? `pack.releaseNameOverride.${chart}` : 'chart';
    problems.add({ ...where, field }, `release name ${shown(releaseName)} ${RELEASE_NAME_FORM}`);
  }
  const tag = typeof spec.tag === 'string' && spec.tag !== spec.version ? { tag: spec.tag } : {};
  return { ...common, kind: 'helm', version: String(spec.version), ...tag, chart, repository: repository ?? '', releaseName, values };
}

/** Whether a Helm or registry pack layer has manifests attached to it. */
function hasAttachedManifests(spec: LayerSpec): spec is Extract<LayerSpec, { kind: 'helm' | 'pack' }> & { readonly manifests: readonly ManifestSpec[] } {
  return (spec.kind === 'helm' || spec.kind === 'pack') && spec.manifests !== undefined && spec.manifests !== null && (!Array.isArray(spec.manifests) || spec.manifests.length > 0);
}

/**
 * The documents of the manifests attached to a Helm or registry pack layer. On a registry pack their
 * names must differ from the pack's own manifests' (both are `manifests.<name>:` of the layer's
 * values, and name the files of one generated chart).
 */
function attachedDocuments(spec: Extract<LayerSpec, { kind: 'helm' | 'pack' }>, pack: CatalogPack | undefined, where: Location, problems: ProblemList): RawDocument[] {
  if (!hasAttachedManifests(spec)) return [];
  if (!Array.isArray(spec.manifests)) {
    problems.add({ ...where, field: 'manifests' }, `must be a list of {name, content}, found ${shown(spec.manifests)}`);
    return [];
  }
  const own = new Set((pack?.manifests ?? []).map((m) => m.name));
  const clash = spec.manifests.filter((m) => own.has(m?.name));
  for (const m of clash) {
    problems.add({ ...where, manifest: m.name, field: 'name' }, `is also the name of a manifest of pack "${pack!.name}" ${pack!.version}; give the attached manifest another name`);
  }
  return clash.length > 0 ? [] : readManifests(spec.manifests, where, problems);
}

/** A layer without its placed documents: what one layer's spec gives before every layer is read. */
type Unplaced<L extends ResolvedLayer> = Omit<L, 'documents'>;

/** A layer as read, and the documents it deploys (none for Zarf, nor outside the deploying slots), not yet placed. */
interface ReadLayer {
  readonly layer: Unplaced<ResolvedHelmLayer> | Unplaced<ResolvedManifestLayer> | Unplaced<ResolvedPackLayer> | ResolvedZarfLayer;
  readonly raw: readonly RawDocument[];
}

/**
 * A CRD decides the scope of its kind in every layer, not only its own: an operator's CRDs and the
 * custom resources that use them usually sit in different layers. So documents are placed once
 * every layer is read, with the scopes learned from all of them.
 */
function placeWithClusterScopes(read: readonly ReadLayer[]): ResolvedLayer[] {
  const scopes = learnCustomScopes(read.flatMap((r) => r.raw));
  return read.map(({ layer, raw }) => (layer.kind === 'zarf' ? layer : { ...layer, documents: placeDocuments(raw, layer.namespace, scopes) }));
}

/**
 * A Namespace document for a system namespace would make the layer its owner: Helm (or Terraform)
 * deletes what it owns on uninstall, and the cluster cannot lose `kube-system`.
 */
function refuseSystemNamespaceDocuments(layers: readonly ResolvedLayer[], problems: ProblemList): void {
  for (const layer of layers) {
    if (layer.kind !== 'manifest' && layer.kind !== 'pack') continue;
    for (const doc of layer.documents) {
      if (doc.kind !== 'Namespace' || apiGroup(doc.apiVersion) !== '' || !isSystemNamespace(doc.name)) continue;
      problems.add(
        { ...layer.where, manifest: doc.manifest, document: doc.position },
        `defines Namespace "${doc.name}", which belongs to the cluster (${quotedList([...SYSTEM_NAMESPACES])}): the layer would own it and delete it on uninstall; remove the Namespace document (to label or annotate it, use pack.namespaceLabels or pack.namespaceAnnotations)`,
      );
    }
  }
}

/** Two layers must not produce the same Helm release (see ReleaseNames) or the same Kubernetes object. */
function checkCollisions(layers: readonly ResolvedLayer[], problems: ProblemList): void {
  const releases = new ReleaseNames(problems);
  const objects = new Map<string, string>();
  for (const layer of layers) {
    releases.check(layer);
    if (layer.kind === 'manifest' || layer.kind === 'pack' || layer.kind === 'helm') {
      for (const doc of layer.documents) {
        const key = `${apiGroup(doc.apiVersion)}/${doc.kind}/${doc.namespace ?? ''}/${doc.name}`;
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
