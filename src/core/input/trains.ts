import { Location, ProblemList, quotedList, shown } from '../model/errors';
import { HelmIndex, HelmIndexCache, HelmIndexError } from './helm-index';
import { EMPTY_LOCK, Lock, LockEntry, findLocked, updateLock } from './lock';
import { HelmLayerSpec, LayerSpec, PackLayerSpec, ProfileSpec } from '../model/spec';
import { TRAIN_FORM, VersionRequest, isTrain, listVersions, parseVersionRequest, pickNewest } from '../model/versions';
import { redactCredentials } from '../model/printable';
import { registryLabel, registryUrl } from './registry-identity';

/**
 * Resolving version trains before planning. A layer whose `version` is a train (`1.x`), or whose
 * `tag` is a train next to an already resolved `version` (as a Palette export records it), gets the
 * exact version the train stands for:
 *
 * 1. the `version` the profile records next to its train, as a Palette export does (the export
 *    pins it; it gets no lock entry);
 * 2. otherwise the lock file's entry for the layer, when its train and source still match (no
 *    network);
 * 3. otherwise (and for every train with `update`) the newest matching version: for a Helm layer
 *    from its repository's `index.yaml`, for a registry pack from the versions the pack catalog
 *    lists (without a catalog, a version the profile records is kept).
 *
 * The result carries profiles with exact versions (the train kept in `tag`, so plans and outputs
 * show `train -> version`) and the updated lock. Async only because an index may be fetched.
 */

/** Lists the versions a registry pack has, for trains on registry packs. */
export type PackVersionLister = (pack: { readonly name: string; readonly registry?: string; readonly registryUid?: string }) => readonly string[] | undefined;

/** Reads a Helm repository's index. */
export interface HelmIndexSource {
  /** The index of `repository` (a URL or a local directory). */
  get(repository: string): Promise<HelmIndex>;
}

/** Options of {@link resolveTrains}. */
export interface TrainOptions {
  /**
   * Registry name to repository URL, for Helm layers that name a registry.
   * @default - no registries
   */
  readonly registries?: Readonly<Record<string, string>>;
  /**
   * The lock read from the lock file.
   * @default - an empty lock
   */
  readonly lock?: Lock;
  /**
   * Resolve every train again from its source, ignoring the lock and versions recorded in exports.
   * @default false
   */
  readonly update?: boolean;
  /**
   * Where Helm repository indexes come from.
   * @default - a fresh HelmIndexCache reading https://, file:// and local directories
   */
  readonly helmIndexes?: HelmIndexSource;
  /**
   * The versions of registry packs, from the pack catalog. Extension point: the CLI passes the
   * catalog's listing here.
   * @default - registry pack trains can only come from the lock or an export's resolved version
   */
  readonly packVersions?: PackVersionLister;
}

/** How one train was resolved. */
export interface TrainResolution {
  readonly profile: string;
  readonly layer: string;
  readonly train: string;
  readonly version: string;
  /** What the versions came from, as recorded in the lock. */
  readonly source: string;
  /** `lock`: the lock file; `profile`: the version the profile already recorded; `index`/`catalog`: resolved now. */
  readonly from: 'lock' | 'profile' | 'index' | 'catalog';
}

/** The outcome of {@link resolveTrains}. */
export interface ResolvedTrains {
  /** The profiles with every train replaced by its exact version (train kept in `tag`). */
  readonly profiles: ProfileSpec[];
  /** The lock to write back: previous entries of other profiles plus this run's resolutions. */
  readonly lock: Lock;
  /** Every train resolved, in profile then layer order. */
  readonly resolutions: readonly TrainResolution[];
}

type TrainLayer = HelmLayerSpec | PackLayerSpec;

/**
 * Resolves every version train of the profiles. Every problem (an invalid train, an unreachable
 * index, no matching version) is reported at once in a ProfileError naming the layer.
 */
export async function resolveTrains(profiles: readonly ProfileSpec[], options: TrainOptions = {}): Promise<ResolvedTrains> {
  const problems = new ProblemList();
  const lock = options.lock ?? EMPTY_LOCK;
  const indexes = options.helmIndexes ?? new HelmIndexCache();
  // One job per layer, in profile then layer order: the resolutions come out in that order.
  const jobs: Promise<TrainResolution | undefined>[] = [];
  const out: ProfileSpec[] = profiles.map((profile) => {
    if (typeof profile !== 'object' || profile === null || !Array.isArray(profile.layers)) return profile;
    const layers: LayerSpec[] = [...profile.layers];
    profile.layers.forEach((layer, i) => {
      if (typeof layer !== 'object' || layer === null || (layer.kind !== 'helm' && layer.kind !== 'pack')) return;
      const where: Location = { file: profile.source, profile: profile.name, layer: layer.name };
      const job = resolveLayer(profile.name, layer, where, lock, indexes, options, problems).then((done) => {
        if (done !== undefined) layers[i] = { ...layer, version: done.version, tag: done.train };
        return done;
      });
      jobs.push(job);
    });
    return { ...profile, layers };
  });
  const resolutions = (await Promise.all(jobs)).filter((r): r is TrainResolution => r !== undefined);
  problems.throwIfAny();
  // Versions the profiles record themselves need no lock entry: the profile file pins them.
  const entries: LockEntry[] = resolutions.filter((r) => r.from !== 'profile').map(({ profile, layer, source, train, version }) => ({ profile, layer, source, train, version }));
  return { profiles: out, lock: updateLock(lock, profiles.map((p) => p?.name), entries), resolutions };
}

async function resolveLayer(
  profile: string,
  layer: TrainLayer,
  where: Location,
  lock: Lock,
  indexes: HelmIndexSource,
  options: TrainOptions,
  problems: ProblemList,
): Promise<TrainResolution | undefined> {
  const version = typeof layer.version === 'string' ? layer.version : undefined;
  const tag = typeof layer.tag === 'string' ? layer.tag : undefined;
  const versionIsTrain = version !== undefined && isTrain(version);
  const train = versionIsTrain ? version : tag !== undefined && isTrain(tag) ? tag : undefined;
  if (train === undefined) return undefined;
  const field = versionIsTrain ? 'version' : 'tag';
  const request = parseVersionRequest(train);
  if (request === undefined || request.kind !== 'train') {
    problems.add({ ...where, field }, `${shown(train)} must be ${TRAIN_FORM}`);
    return undefined;
  }
  const source = sourceOf(layer, options);
  if (source === undefined) {
    problems.add({ ...where, field: 'repository' }, `is needed to resolve version train "${train}": give the chart repository URL, or a registry name with its URL (--registry NAME=URL)`);
    return undefined;
  }
  const base = { profile, layer: layer.name, train, source: source.label };
  if (options.update !== true) {
    // A version the profile records next to its train (a Palette export) is the profile's own lock.
    if (!versionIsTrain && version !== undefined && version !== '') return { ...base, version, from: 'profile' };
    const locked = findLocked(lock, profile, layer.name);
    if (locked !== undefined && locked.train === train && locked.source === source.label) {
      // A hand-edited or merged lock may hold a version its train never picks: never install it.
      if (pickNewest(request, [locked.version]) === undefined) {
        problems.add({ ...where, field }, `"${train}" is pinned by the lock file to "${locked.version}", which the train does not accept; run with --update to resolve the train again, or correct the lock file's entry`);
        return undefined;
      }
      return { ...base, version: locked.version, from: 'lock' };
    }
  }
  if (source.kind === 'helm') {
    if (source.repository === undefined) {
      const known = Object.keys(options.registries ?? {});
      problems.add({ ...where, field: 'registry' }, `"${source.registry}" has no URL, so version train "${train}" cannot be resolved; pass --registry "${source.registry}=URL" (known registries: ${quotedList(known)})`);
      return undefined;
    }
    let index: HelmIndex;
    try {
      index = await indexes.get(source.repository);
    } catch (err) {
      if (!(err instanceof HelmIndexError)) throw err;
      // The index is at fault, not the layer's version: name where the index came from.
      const from = source.registry !== undefined ? { field: 'registry', name: source.registry } : { field: 'repository', name: redactCredentials(source.repository) };
      problems.add({ ...where, field: from.field }, `"${from.name}" has an index that cannot be read, so version train ${shown(train)} cannot be resolved (${err.message}); fix the index or its URL, or give an exact version`);
      return undefined;
    }
    const seen = index.charts.get(source.chart);
    if (seen === undefined) {
      problems.add({ ...where, field: 'chart' }, `"${source.chart}" is not listed in ${index.location} (it lists ${index.charts.size} charts), so version train "${train}" cannot be resolved`);
      return undefined;
    }
    const picked = pick(request, seen, `chart "${source.chart}" in ${index.location}`, { ...where, field }, problems);
    return picked === undefined ? undefined : { ...base, version: picked, from: 'index' };
  }
  const listed = options.packVersions?.({ name: source.pack, registry: source.registry, registryUid: source.registryUid });
  if (listed === undefined && !versionIsTrain && version !== undefined && version !== '') return { ...base, version, from: 'profile' };
  if (listed === undefined) {
    problems.add({ ...where, field }, `${shown(train)} is a version train of pack "${source.pack}"; resolving it needs the versions a pack catalog lists: pass --catalog FILE with pack "${source.pack}" in it, or give an exact version`);
    return undefined;
  }
  const picked = pick(request, listed, `pack "${source.pack}" in the catalog`, { ...where, field }, problems);
  return picked === undefined ? undefined : { ...base, version: picked, from: 'catalog' };
}

function pick(request: Extract<VersionRequest, { kind: 'train' }>, seen: readonly string[], what: string, where: Location, problems: ProblemList): string | undefined {
  const picked = pickNewest(request, seen);
  if (picked === undefined) {
    const hint = request.prerelease ? '' : ' (pre-releases count only when the train names one, such as "^2.0.0-0")';
    problems.add(where, `${shown(request.train)} matches none of the versions of ${what}${hint}; versions seen: ${listVersions(seen)}`);
  }
  return picked;
}

type Source =
  | { readonly kind: 'helm'; readonly label: string; readonly repository?: string; readonly registry?: string; readonly chart: string }
  | { readonly kind: 'pack'; readonly label: string; readonly pack: string; readonly registry?: string; readonly registryUid?: string };

/**
 * Where a layer's candidate versions come from, and its label in the lock. A Helm layer naming a
 * registry is labelled by the registry's name, not its URL, so a mirror URL on another machine
 * still matches the lock.
 */
function sourceOf(layer: TrainLayer, options: TrainOptions): Source | undefined {
  if (layer.kind === 'pack') {
    const pack = layer.packName ?? layer.name;
    const label = layer.registry !== undefined ? `pack ${pack}, registry ${registryLabel(layer)}` : `pack ${pack}`;
    return { kind: 'pack', label, pack, registry: layer.registry, registryUid: layer.registryUid };
  }
  const chart = layer.chart ?? layer.name;
  if (typeof layer.repository === 'string' && layer.repository.trim() !== '') {
    return { kind: 'helm', label: `repository ${redactCredentials(layer.repository.replace(/\/+$/, ''))}, chart ${chart}`, repository: layer.repository, chart };
  }
  if (layer.registry === undefined) return undefined;
  const url = registryUrl(options.registries, layer);
  return { kind: 'helm', label: `registry ${registryLabel(layer)}, chart ${chart}`, repository: url, registry: layer.registry, chart };
}
