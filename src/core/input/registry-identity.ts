import type { PackCatalog } from '../model/catalog';
import { catalogRegistryUrls } from './catalog';
import { dictionary, ownValue } from '../model/dictionary';
import type { ResolveOptions } from '../model/resolve-options';
import { Location, ProblemList, quotedList } from '../model/errors';
import { LayerSpec, ProfileSpec, RegistryIdentity, slotDeploys } from '../model/spec';

/**
 * Registries are told apart by uid. A Palette export names a layer's registry by its display name
 * and its uid (`registry.metadata`); exports from two tenants may give two different registries one
 * display name ("Private Charts"). A layer is looked up by its uid first (a `--registry UID=URL`, or
 * a catalog registry with that uid), and by its name only where the name cannot mean another
 * registry: not when the catalog gives the name another uid, nor when other layers of the same
 * profiles give it other uids.
 */

/** A layer's reference to its registry: the name (or uid) in `registry`, and the uid an export recorded. */
export interface RegistryReference extends RegistryIdentity {
  readonly registry?: string;
}

/** How plans, diffs and lock entries name a registry: `Charts`, or `Charts (uid 5eec...)` when the uid is known and differs from the name. */
export function registryLabel(ref: RegistryReference): string | undefined {
  if (ref.registry === undefined) return undefined;
  return ref.registryUid !== undefined && ref.registryUid !== ref.registry ? `${ref.registry} (uid ${ref.registryUid})` : ref.registry;
}

/** The URL of a layer's registry in `registries` (name or uid to URL): its uid's, else its name's. */
export function registryUrl(registries: Readonly<Record<string, string>> | undefined, ref: RegistryReference): string | undefined {
  if (ref.registryUid !== undefined) {
    const byUid = ownValue(registries, ref.registryUid);
    if (byUid !== undefined) return byUid;
  }
  return ref.registry === undefined ? undefined : ownValue(registries, ref.registry);
}

/**
 * Registry name and uid to URL, as resolving and version trains look registries up: the catalog's
 * registries with a URL, and `registries` (`--registry NAME=URL`), whose entries win.
 */
export function registryUrls(options: Pick<ResolveOptions, 'registries' | 'catalog'>): Record<string, string> {
  return Object.assign(dictionary<string>(), catalogRegistryUrls(options.catalog), options.registries);
}

/** How a catalog knows a layer's registry: by its uid when the catalog lists that uid, else by its name. */
export function catalogRegistryReference(catalog: PackCatalog | undefined, ref: RegistryReference): string | undefined {
  if (ref.registryUid !== undefined && catalog?.registries.some((r) => r.uid === ref.registryUid)) return ref.registryUid;
  return ref.registry;
}

/** Whether a layer finds its registry by name or uid when the cluster is resolved (not when it names a repository or package itself). */
function looksUpRegistry(layer: LayerSpec): boolean {
  if (!slotDeploys(layer.slot ?? 'addon')) return false;
  if (layer.kind === 'helm') return layer.repository === undefined;
  if (layer.kind === 'zarf') return layer.package === undefined;
  return layer.kind === 'pack';
}

/**
 * Refuses a layer whose registry would be found by a name that may mean another registry: the
 * catalog lists that name with another uid, or other layers of these profiles give it other uids,
 * and no URL nor catalog registry is given for the layer's own uid.
 */
export function checkRegistryIdentities(profiles: readonly ProfileSpec[], registries: Readonly<Record<string, string>> | undefined, catalog: PackCatalog | undefined, problems: ProblemList): void {
  const uidsByName = new Map<string, Set<string>>();
  const layers: { layer: LayerSpec; where: Location }[] = [];
  for (const profile of profiles) {
    if (typeof profile !== 'object' || profile === null || !Array.isArray(profile.layers)) continue;
    for (const layer of profile.layers) {
      if (typeof layer !== 'object' || layer === null || layer.kind === 'manifest' || typeof layer.registry !== 'string' || typeof layer.registryUid !== 'string') continue;
      const uids = uidsByName.get(layer.registry) ?? new Set<string>();
      uids.add(layer.registryUid);
      uidsByName.set(layer.registry, uids);
      if (looksUpRegistry(layer)) layers.push({ layer, where: { file: profile.source, profile: profile.name, layer: layer.name, field: 'registry' } });
    }
  }
  for (const { layer, where } of layers) {
    if (layer.kind === 'manifest' || layer.registry === undefined || layer.registryUid === undefined) continue;
    const { registry: name, registryUid: uid } = layer;
    if (ownValue(registries, uid) !== undefined || catalog?.registries.some((r) => r.uid === uid)) continue;
    const listed = catalog?.registries.find((r) => r.name === name);
    if (listed?.uid !== undefined && listed.uid !== uid) {
      problems.add(where, `"${name}" (uid "${uid}") is not the catalog's registry "${name}", whose uid is "${listed.uid}"; give this registry's URL with --registry "${uid}=URL", or list it in the catalog with uid "${uid}"`);
      continue;
    }
    // A pack's registry only picks among the catalog's entries: a name the catalog does not list picks nothing.
    if (layer.kind === 'pack' && listed === undefined) continue;
    const others = [...(uidsByName.get(name) ?? [])].filter((u) => u !== uid);
    if (others.length > 0) {
      problems.add(where, `"${name}" (uid "${uid}") shares its name with registries of other uids in these profiles (${quotedList(others)}), so the name cannot tell which registry is meant; give this registry's URL with --registry "${uid}=URL"`);
    }
  }
}
