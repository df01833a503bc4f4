import { addressOf } from '../model/address';
import { compare } from '../model/compare';
import { Location, ProblemList, describeLocation } from '../model/errors';
import './manifest-chart';
import { DEFAULT_TIMEOUT_SECONDS, ResolvedCluster, ResolvedHelmLayer, ResolvedLayer, ResolvedZarfLayer } from '../model/resolved';
import { documentsOf } from '../resolve/manifests';
import { checkSizes } from './release-size';
import { LayerWithDocuments, chartsBeforeDocuments, manifestResourceName, planManifestChart } from './manifest-strategy';
import { manifestStrategyOf, templatesOf } from '../resolve/manifest-settings';
import { readinessFor } from '../resolve/readiness';
import { LAYER_SLOTS, slotDeploys } from '../model/spec';
import { planMoves } from './moves';
import { terraformName } from '../model/names';
import { RETAINED_NAMESPACE_RELEASE_NAMESPACE, retainedNamespaceChart, retainedNamespaceReleaseName, retainedNamespaceResourceName } from './retained-namespace';
import { zarfDeployCommand, zarfRemoveCommand, zarfSetEnvironmentName, zarfSetItem } from '../resolve/zarf';
import { dictionary } from '../model/dictionary';
import { TierPriority, PlannedRelease, PlannedOwnedNamespace, PlannedNamespacePatch, PlannedZarfPackage, PlannedResource, PlannedTier, InstallPlan } from '../model/planned';

/**
 * Orders a resolved cluster into tiers and resources. Infrastructure layers (`cni`, then `csi`) come
 * first whatever their priority; add-on layers of all profiles follow by install priority, which is
 * global across the profiles of one cluster. Each tier's resources wait for the previous tier's gate,
 * and the gate waits for the whole tier, so ordering costs a number of references linear in the
 * number of resources.
 */
export function planInstall(cluster: ResolvedCluster): InstallPlan {
  // Every problem of the plan, reported at once when it is complete.
  const problems = new ProblemList();
  const clusterLayers = cluster.layers.filter((l) => !slotDeploys(l.slot));
  const deployed = cluster.layers.filter((l) => slotDeploys(l.slot));
  const byPriority = new Map<string, { priority: TierPriority; rank: number; layers: ResolvedLayer[] }>();
  for (const layer of deployed) {
    const priority: TierPriority = layer.slot === 'cni' ? 'infra:cni' : layer.slot === 'csi' ? 'infra:csi' : layer.settings.installPriority;
    const key = String(priority);
    const rank = priority === 'infra:cni' ? 0 : priority === 'infra:csi' ? 1 : 2;
    const entry = byPriority.get(key) ?? { priority, rank, layers: [] };
    entry.layers.push(layer);
    byPriority.set(key, entry);
  }
  const ordered = [...byPriority.values()].sort((a, b) => a.rank - b.rank || (a.priority as number) - (b.priority as number));
  const tiers: PlannedTier[] = ordered.map(({ priority, layers }) => ({
    priority,
    label: typeof priority === 'number' ? `priority ${priority}` : priority,
    layers: [...layers].sort((a, b) => compare(a.name, b.name)),
    gate: addressOf('terraform_data', gateName(priority)),
  }));

  const tierOf = new Map<string, number>();
  tiers.forEach((t, i) => t.layers.forEach((l) => tierOf.set(l.name, i)));
  const namespaces = planNamespaces(deployed, tierOf, problems);
  const previousGate = (tier: number): string[] => (tier > 0 ? [tiers[tier - 1].gate] : []);
  const nsAddress = (ns: string): string | undefined => namespaces.get(ns)?.address;

  const resources: PlannedResource[] = [];
  for (const ns of namespaces.values()) {
    resources.push({ ...ns, dependsOn: previousGate(ns.tier) });
  }
  // One layer's resources in its tier: also what planMoves asks for under the layer's earlier names.
  const planLayer = (layer: ResolvedLayer, tier: number): PlannedResource[] => {
    const out: PlannedResource[] = [];
    const waitFor = (usedNamespaces: Iterable<string>): string[] =>
      sorted([...previousGate(tier), ...[...usedNamespaces].map(nsAddress).filter((a): a is string => a !== undefined)]);
    if (layer.kind === 'helm') {
      out.push(planRelease(layer, tier, waitFor([layer.namespace, ...layer.ownedNamespaces])));
      out.push(...planManifests(layer, tier, waitFor));
    }
    if (layer.kind === 'manifest') out.push(...planManifests(layer, tier, waitFor));
    if (layer.kind === 'zarf') out.push(planZarf(layer, tier, waitFor([layer.namespace, ...layer.ownedNamespaces])));
    if (layer.kind === 'pack') {
      // One release per chart, named after layer and chart: a pack that gains or loses a chart leaves the others' addresses alone.
      for (const release of layer.releases) {
        out.push(planRelease({ ...layer, ...release }, tier, waitFor([layer.namespace, ...layer.ownedNamespaces]), terraformName(layer.name, release.chart)));
      }
      out.push(...planManifests(layer, tier, waitFor));
    }
    for (const patch of planPatches(layer, tier, namespaces)) out.push({ ...patch, dependsOn: waitFor([]) });
    return out;
  };
  for (const layer of deployed) resources.push(...planLayer(layer, tierOf.get(layer.name)!));
  // Each tier's resources, gathered in one pass: the gate waits for all of them.
  const members: string[][] = tiers.map(() => []);
  for (const r of resources) members[r.tier].push(r.address);
  tiers.forEach((t, i) => {
    resources.push({ role: 'tier-gate', type: 'terraform_data', name: gateName(t.priority), address: t.gate, tier: i, dependsOn: sorted([...previousGate(i), ...members[i]]) });
  });
  checkUniqueAddresses(resources, new Map(cluster.layers.map((l) => [l.name, l.where])), problems);
  const sizes = checkSizes(deployed, resources, problems);
  resources.sort((a, b) => a.tier - b.tier || compare(a.address, b.address));
  const moves = planMoves(cluster, resources, (renamed, layer) => planLayer(renamed, tierOf.get(layer.name)!), problems);
  problems.throwIfAny();
  // Profiles and cluster layers in an order of their own, not the order given: a cluster's output
  // depends on which profiles it has, never on the order they were listed in.
  const profiles = [...cluster.profiles].sort((a, b) => Number(a.type === 'add-on') - Number(b.type === 'add-on') || compare(a.name, b.name));
  clusterLayers.sort((a, b) => LAYER_SLOTS.indexOf(a.slot) - LAYER_SLOTS.indexOf(b.slot) || compare(a.name, b.name));
  return { profiles, clusterLayers, tiers, resources, moves, sizes, variables: cluster.variables, ...(cluster.warnings !== undefined ? { warnings: cluster.warnings } : {}) };
}

function planZarf(layer: ResolvedZarfLayer, tier: number, dependsOn: string[]): PlannedZarfPackage {
  const name = terraformName('zarf', layer.name);
  return {
    role: 'zarf-package',
    type: 'terraform_data',
    name,
    address: addressOf('terraform_data', name),
    tier,
    dependsOn,
    layer: layer.name,
    deployCommand: zarfDeployCommand(layer),
    removeCommand: zarfRemoveCommand(layer),
    environment: Object.fromEntries(Object.entries(layer.variables).map(([k, v]) => [zarfSetEnvironmentName(k), zarfSetItem(k, v)])),
    triggers: { package: layer.source, version: layer.version, variables: layer.variables, components: layer.components },
  };
}

/** The Terraform name of a tier's gate: `tier_infra-cni`, `tier_30`, `tier_-10`. */
export function gateName(priority: TierPriority): string {
  return `tier_${String(priority).replace(':', '-')}`;
}

function planNamespaces(layers: readonly ResolvedLayer[], tierOf: ReadonlyMap<string, number>, problems: ProblemList): Map<string, PlannedOwnedNamespace> {
  const owners = new Map<string, string[]>();
  const firstTier = new Map<string, number>();
  const use = (ns: string, tier: number): void => {
    if (!firstTier.has(ns) || firstTier.get(ns)! > tier) firstTier.set(ns, tier);
  };
  for (const layer of layers) {
    const tier = tierOf.get(layer.name)!;
    for (const ns of layer.ownedNamespaces) {
      owners.set(ns, [...(owners.get(ns) ?? []), layer.name]);
      use(ns, tier);
    }
  }
  // A namespace used by an earlier layer than its owners (a document placed there) is created earlier.
  for (const layer of layers) {
    const tier = tierOf.get(layer.name)!;
    const used = layer.kind === 'manifest' ? layer.documents.map((d) => d.namespace) : [layer.namespace, ...documentsOf(layer).map((d) => d.namespace)];
    for (const ns of used) if (ns !== undefined && owners.has(ns)) use(ns, tier);
  }
  const out = new Map<string, PlannedOwnedNamespace>();
  const retaining = new Set(layers.filter((l) => l.settings.retainNamespace).map((l) => l.name));
  // Sorted once, and only the layers that set any: merging per namespace stays linear in the layers.
  const targeting = layers.filter((l) => l.settings.namespaceLabels.size > 0 || l.settings.namespaceAnnotations.size > 0).sort((a, b) => compare(a.name, b.name));
  for (const ns of [...owners.keys()].sort(compare)) {
    const labels = mergeTargets(targeting, ns, 'namespaceLabels', problems);
    const annotations = mergeTargets(targeting, ns, 'namespaceAnnotations', problems);
    const name = terraformName(ns);
    // What every namespace resource has, retained or not.
    const owned = { tier: firstTier.get(ns)!, dependsOn: [], namespace: ns, owners: [...owners.get(ns)!].sort(compare), labels, annotations };
    if (owners.get(ns)!.some((owner) => retaining.has(owner))) {
      const release = retainedNamespaceResourceName(ns);
      const chart = retainedNamespaceChart(ns, labels, annotations);
      out.set(ns, {
        role: 'retained-namespace',
        type: 'helm_release',
        name: release,
        address: addressOf('helm_release', release),
        ...owned,
        releaseName: retainedNamespaceReleaseName(ns),
        releaseNamespace: RETAINED_NAMESPACE_RELEASE_NAMESPACE,
        repository: '',
        chart: chart.name,
        version: chart.version,
        namespaceChart: chart,
        timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
        forgets: addressOf('kubernetes_namespace_v1', name),
      });
    } else {
      out.set(ns, { role: 'namespace', type: 'kubernetes_namespace_v1', name, address: addressOf('kubernetes_namespace_v1', name), ...owned });
    }
  }
  return out;
}

/** Merges the labels or annotations that `layers` (sorted by name) set on `ns`. */
function mergeTargets(
  layers: readonly ResolvedLayer[],
  ns: string,
  field: 'namespaceLabels' | 'namespaceAnnotations',
  problems: ProblemList,
): Record<string, string> {
  const out = dictionary<string>();
  const setBy = dictionary<string>();
  for (const layer of layers) {
    const entries = layer.settings[field].get(ns);
    if (entries === undefined) continue;
    for (const [k, v] of Object.entries(entries)) {
      if (k in out && out[k] !== v) {
        problems.add({ ...layer.where, field: `pack.${field}.${ns}` }, `sets "${k}=${v}", but layer "${setBy[k]}" sets "${k}=${out[k]}" on the same namespace; make them agree`);
        continue;
      }
      out[k] = v;
      setBy[k] = layer.name;
    }
  }
  return sortKeys(out);
}

/** What a release is made from: a Helm layer, or one chart of a pack layer. */
type ReleaseSource = Pick<ResolvedHelmLayer, 'name' | 'releaseName' | 'namespace' | 'repository' | 'chart' | 'version' | 'values' | 'timeoutSeconds'>;

function planRelease(layer: ReleaseSource, tier: number, dependsOn: string[], name = terraformName(layer.name)): PlannedRelease {
  return {
    role: 'chart-release',
    type: 'helm_release',
    name,
    address: addressOf('helm_release', name),
    tier,
    dependsOn,
    layer: layer.name,
    releaseName: layer.releaseName,
    namespace: layer.namespace,
    repository: layer.repository,
    chart: layer.chart,
    version: layer.version,
    values: layer.values,
    timeoutSeconds: layer.timeoutSeconds,
  };
}

function planManifests(layer: LayerWithDocuments, tier: number, waitFor: (ns: Iterable<string>) => string[]): PlannedResource[] {
  // A generated chart by default; one kubernetes_manifest per document on request (manifest-strategy.ts).
  if (layer.documents.length === 0 && templatesOf(layer).length === 0) return [];
  if (manifestStrategyOf(layer) === 'chart') return planManifestChart(layer, tier, waitFor);
  const charts = chartsBeforeDocuments(layer);
  return layer.documents.map((document) => {
    const name = manifestResourceName(layer.name, document);
    const used = document.namespace === undefined ? layer.ownedNamespaces : [document.namespace, ...layer.ownedNamespaces];
    return {
      role: 'manifest',
      type: 'kubernetes_manifest',
      name,
      address: addressOf('kubernetes_manifest', name),
      tier,
      dependsOn: sorted([...waitFor(used), ...charts]),
      layer: layer.name,
      document,
      readiness: readinessFor(document, layer.settings.readiness),
      timeoutSeconds: layer.timeoutSeconds,
    };
  });
}

function planPatches(layer: ResolvedLayer, tier: number, owned: ReadonlyMap<string, PlannedOwnedNamespace>): Omit<PlannedNamespacePatch, 'dependsOn'>[] {
  const out: Omit<PlannedNamespacePatch, 'dependsOn'>[] = [];
  const kinds = [
    ['kubernetes_labels', layer.settings.namespaceLabels],
    ['kubernetes_annotations', layer.settings.namespaceAnnotations],
  ] as const;
  for (const [type, targets] of kinds) {
    for (const [ns, entries] of [...targets.entries()].sort((a, b) => compare(a[0], b[0]))) {
      if (owned.has(ns)) continue;
      const name = terraformName(layer.name, ns);
      out.push({ role: 'namespace-patch', type, name, address: addressOf(type, name), tier, layer: layer.name, namespace: ns, entries: sortKeys(entries) });
    }
  }
  return out;
}

function checkUniqueAddresses(resources: readonly PlannedResource[], whereOf: ReadonlyMap<string, Location>, problems: ProblemList): void {
  const seen = new Map<string, PlannedResource>();
  for (const r of resources) {
    const other = seen.get(r.address);
    if (other !== undefined) {
      // Named by file and profile too: two profiles in two files may hold layers that collide.
      const otherWhere = other.layer !== undefined ? whereOf.get(other.layer) : undefined;
      const otherName = otherWhere !== undefined ? describeLocation(otherWhere) : other.layer !== undefined ? `layer "${other.layer}"` : 'another resource';
      problems.add((r.layer !== undefined ? whereOf.get(r.layer) : undefined) ?? { layer: r.layer }, `resource address ${r.address} is also produced by ${otherName}; rename one of the layers`);
    } else seen.set(r.address, r);
  }
}


function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort((a, b) => compare(a[0], b[0])));
}

function sorted(values: string[]): string[] {
  return [...new Set(values)].sort(compare);
}

export { compare };
