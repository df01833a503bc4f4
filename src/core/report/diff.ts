import { ManifestDocument, ResolvedLayer } from '../model/resolved';
import { apiGroup, documentsOf } from '../resolve/manifests';
import { InstallPlan, PlannedResource } from '../model/planned';
import { compare } from '../plan/plan';
import { manifestStrategyOf } from '../resolve/manifest-settings';
import { describeLayerContents } from './plan-summary';
import { parseHelmYaml } from '../input/values-yaml';
import { deepEqual, isMap, sortKeysDeep } from '../input/yaml';
import type { TemplatedManifest } from '../model/resolved';

/**
 * What a profile change does to a cluster, layer by layer: the plan before (`old`) against the plan
 * after (`new`). Layers are matched by name, as their Terraform addresses are. Value changes are
 * reported as paths only, never as values, so secrets in values stay out of review comments.
 */

/** One change of a layer that exists before and after. */
export type LayerChange =
  | { readonly what: 'kind' | 'version' | 'source' | 'priority' | 'namespace' | 'profile' | 'strategy'; readonly from: string; readonly to: string }
  | { readonly what: 'values'; readonly chart?: string; readonly changed: readonly string[]; readonly added: readonly string[]; readonly removed: readonly string[] }
  | { readonly what: 'charts' | 'templates'; readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] }
  | { readonly what: 'objects'; readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] }
  | { readonly what: 'namespace-created' | 'namespace-destroyed'; readonly namespace: string };

/** What happens to one layer. */
export interface LayerDiff {
  readonly layer: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The layer's profile (after, or before for a removed layer). */
  readonly profile: string;
  /** For added and removed layers: what the layer deploys, its tier and namespace. */
  readonly summary?: string;
  /** For changed layers, every change; for added and removed ones, the namespaces they create or destroy. */
  readonly changes: readonly LayerChange[];
}

/** What happens to one namespace the profiles own. */
export interface NamespaceDiff {
  readonly namespace: string;
  /** `kept`: no longer managed, but retained (`pack.retainNamespace`), so not deleted. */
  readonly change: 'created' | 'destroyed' | 'kept';
  /** The layers that own it after (created) or owned it before (destroyed, kept). */
  readonly layers: readonly string[];
}

/** What happens to one profile. */
export interface ProfileDiff {
  readonly profile: string;
  readonly change: 'added' | 'removed' | 'version';
  readonly from?: string;
  readonly to?: string;
}

/** The whole difference. */
export interface PlanDiff {
  readonly profiles: readonly ProfileDiff[];
  /** Removed layers first, then changed, then added; by name within each. */
  readonly layers: readonly LayerDiff[];
  /** Destroyed namespaces first, then kept, then created; by name within each. */
  readonly namespaces: readonly NamespaceDiff[];
}

/** Compares two plans of one cluster. */
export function diffPlans(oldPlan: InstallPlan, newPlan: InstallPlan): PlanDiff {
  const before = layersOf(oldPlan);
  const after = layersOf(newPlan);
  const nsBefore = ownedNamespaces(oldPlan);
  const nsAfter = ownedNamespaces(newPlan);
  const namespaces: NamespaceDiff[] = [];
  for (const [ns, was] of nsBefore) {
    if (!nsAfter.has(ns)) namespaces.push({ namespace: ns, change: was.retained ? 'kept' : 'destroyed', layers: was.owners });
  }
  for (const [ns, is] of nsAfter) if (!nsBefore.has(ns)) namespaces.push({ namespace: ns, change: 'created', layers: is.owners });
  const nsRank = { destroyed: 0, kept: 1, created: 2 };
  namespaces.sort((a, b) => nsRank[a.change] - nsRank[b.change] || compare(a.namespace, b.namespace));

  const namespaceChanges = (layer: string): LayerChange[] =>
    namespaces
      .filter((n) => n.change !== 'kept' && n.layers.includes(layer))
      .map((n) => ({ what: n.change === 'created' ? 'namespace-created' : 'namespace-destroyed', namespace: n.namespace }) as LayerChange);

  const layers: LayerDiff[] = [];
  for (const [name, old] of before) {
    if (after.has(name)) continue;
    layers.push({ layer: name, change: 'removed', profile: old.layer.profile, summary: summarize(old), changes: namespaceChanges(name) });
  }
  for (const [name, now] of after) {
    const old = before.get(name);
    if (old === undefined) {
      layers.push({ layer: name, change: 'added', profile: now.layer.profile, summary: summarize(now), changes: namespaceChanges(name) });
      continue;
    }
    const changes = [...compareLayers(old, now), ...namespaceChanges(name)];
    if (changes.length > 0) layers.push({ layer: name, change: 'changed', profile: now.layer.profile, changes });
  }
  const rank = { removed: 0, changed: 1, added: 2 };
  layers.sort((a, b) => rank[a.change] - rank[b.change] || compare(a.layer, b.layer));
  return { profiles: diffProfiles(oldPlan, newPlan), layers, namespaces };
}

/** A layer with the tier it installs in (`cluster` for os and k8s layers). */
interface PlacedLayer {
  readonly layer: ResolvedLayer;
  readonly tier: string;
}

function layersOf(plan: InstallPlan): Map<string, PlacedLayer> {
  const out = new Map<string, PlacedLayer>();
  for (const layer of plan.clusterLayers) out.set(layer.name, { layer, tier: 'cluster' });
  for (const tier of plan.tiers) for (const layer of tier.layers) out.set(layer.name, { layer, tier: tier.label });
  return out;
}

function ownedNamespaces(plan: InstallPlan): Map<string, { owners: readonly string[]; retained: boolean }> {
  const out = new Map<string, { owners: readonly string[]; retained: boolean }>();
  for (const r of plan.resources) {
    const owned = ownedNamespace(r);
    if (owned !== undefined) out.set(owned.namespace, owned);
  }
  return out;
}

function ownedNamespace(r: PlannedResource): { namespace: string; owners: readonly string[]; retained: boolean } | undefined {
  return r.role === 'namespace' || r.role === 'retained-namespace' ? { namespace: r.namespace, owners: r.owners, retained: r.role === 'retained-namespace' } : undefined;
}

function summarize(placed: PlacedLayer): string {
  const { layer, tier } = placed;
  return `${describeLayerContents(layer)}; tier ${tier}; ns ${layer.namespace}`;
}

function diffProfiles(oldPlan: InstallPlan, newPlan: InstallPlan): ProfileDiff[] {
  const before = new Map(oldPlan.profiles.map((p) => [p.name, p.version]));
  const after = new Map(newPlan.profiles.map((p) => [p.name, p.version]));
  const out: ProfileDiff[] = [];
  for (const [name, version] of before) {
    const now = after.get(name);
    if (now === undefined) out.push({ profile: name, change: 'removed', from: version });
    else if (now !== version) out.push({ profile: name, change: 'version', from: version, to: now });
  }
  for (const [name, version] of after) if (!before.has(name)) out.push({ profile: name, change: 'added', to: version });
  return out.sort((a, b) => compare(a.profile, b.profile));
}

function compareLayers(old: PlacedLayer, now: PlacedLayer): LayerChange[] {
  const a = old.layer;
  const b = now.layer;
  const out: LayerChange[] = [];
  const scalar = (what: 'kind' | 'version' | 'source' | 'priority' | 'namespace' | 'profile' | 'strategy', from: string, to: string): void => {
    if (from !== to) out.push({ what, from, to });
  };
  scalar('kind', a.kind, b.kind);
  scalar('profile', a.profile, b.profile);
  scalar('version', a.version, b.version);
  scalar('source', sourceOf(a), sourceOf(b));
  scalar('priority', old.tier, now.tier);
  scalar('namespace', a.namespace, b.namespace);
  if (a.kind === 'helm' && b.kind === 'helm') {
    const values = diffValues(a.values, b.values);
    if (values !== undefined) out.push({ what: 'values', ...values });
  }
  if (a.kind === 'zarf' && b.kind === 'zarf') {
    // A Zarf layer's values are its variables and components; JSON is YAML to diffValues.
    const settings = (l: typeof a): string => JSON.stringify({ variables: l.variables, components: l.components });
    const values = diffValues(settings(a), settings(b));
    if (values !== undefined) out.push({ what: 'values', ...values });
  }
  if (a.kind === 'pack' && b.kind === 'pack') {
    const oldCharts = new Map(a.releases.map((r) => [r.chart, r]));
    const newCharts = new Map(b.releases.map((r) => [r.chart, r]));
    const added = [...newCharts.keys()].filter((c) => !oldCharts.has(c));
    const removed = [...oldCharts.keys()].filter((c) => !newCharts.has(c));
    const changed: string[] = [];
    for (const [chart, release] of newCharts) {
      const was = oldCharts.get(chart);
      if (was === undefined) continue;
      if (was.version !== release.version) changed.push(`${chart} ${was.version} -> ${release.version}`);
      else if (was.repository !== release.repository) changed.push(`${chart} ${was.repository} -> ${release.repository}`);
      else if (was.releaseName !== release.releaseName) changed.push(`${chart} release ${was.releaseName} -> ${release.releaseName}`);
    }
    if (added.length + removed.length + changed.length > 0) out.push({ what: 'charts', added: added.sort(compare), removed: removed.sort(compare), changed: changed.sort(compare) });
    for (const [chart, release] of newCharts) {
      const was = oldCharts.get(chart);
      const values = was === undefined ? undefined : diffValues(was.values, release.values);
      if (values !== undefined) out.push({ what: 'values', chart, ...values });
    }
    // Manifests that are Go templates over the pack's values: their objects are known only once Helm renders them.
    const text = (t: TemplatedManifest): string => JSON.stringify([t.content, sortKeysDeep(t.values)]);
    const oldTemplates = new Map(a.templates.map((t) => [t.name, text(t)]));
    const newTemplates = new Map(b.templates.map((t) => [t.name, text(t)]));
    const templates = {
      added: [...newTemplates.keys()].filter((n) => !oldTemplates.has(n)).sort(compare),
      removed: [...oldTemplates.keys()].filter((n) => !newTemplates.has(n)).sort(compare),
      changed: [...newTemplates].filter(([n, t]) => oldTemplates.has(n) && oldTemplates.get(n) !== t).map(([n]) => n).sort(compare),
    };
    if (templates.added.length + templates.removed.length + templates.changed.length > 0) out.push({ what: 'templates', ...templates });
  }
  // How the documents are installed (manifest-strategy.ts), when there are documents before and after.
  if (a.kind !== 'zarf' && b.kind !== 'zarf' && a.documents.length > 0 && b.documents.length > 0) {
    scalar('strategy', manifestStrategyOf(a), manifestStrategyOf(b));
  }
  const objects = diffDocuments(documentsOf(a), documentsOf(b));
  if (objects !== undefined) out.push({ what: 'objects', ...objects });
  return out;
}

function sourceOf(layer: ResolvedLayer): string {
  if (layer.kind === 'helm') return `${layer.repository.replace(/\/+$/, '')}/${layer.chart}`;
  if (layer.kind === 'pack') return `pack ${layer.packName}${layer.registry !== undefined ? ` from ${layer.registry}` : ''}`;
  if (layer.kind === 'zarf') return `zarf ${layer.source}`;
  return 'manifests';
}


function diffValues(before: string | undefined, after: string | undefined): { changed: string[]; added: string[]; removed: string[] } | undefined {
  if (before === after) return undefined;
  const a = parseOrText(before);
  const b = parseOrText(after);
  const out = { changed: [] as string[], added: [] as string[], removed: [] as string[] };
  // Texts that differ only in comments, layout or spelling (`0644` for 420, `yes` for true) give no path: Terraform sees a change, Helm none.
  diffTree(a, b, [], out);
  return out;
}

/** Values as Helm reads them (YAML 1.1): `0644` and `420` are one value, `0644` and `644` are not. */
function parseOrText(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return parseHelmYaml(text) ?? {};
  } catch {
    return text;
  }
}

/** Leaf paths that differ. Lists are compared whole, as Helm replaces them whole. */
function diffTree(a: unknown, b: unknown, path: string[], out: { changed: string[]; added: string[]; removed: string[] }): void {
  if (isMap(a) && isMap(b)) {
    for (const key of Object.keys(a)) {
      if (!(key in b)) out.removed.push(formatPath([...path, key]));
      else diffTree(a[key], b[key], [...path, key], out);
    }
    for (const key of Object.keys(b)) if (!(key in a)) out.added.push(formatPath([...path, key]));
    return;
  }
  if (!deepEqual(a, b)) out.changed.push(path.length === 0 ? '(all values)' : formatPath(path));
}

/** `a.b.c`, with keys that hold a dot or a bracket written as `["x.y"]`. */
export function formatPath(path: readonly string[]): string {
  return path.map((key, i) => (/^[A-Za-z0-9_\-/]+$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`)).join('');
}

function documentId(doc: ManifestDocument): string {
  return `${doc.kind} ${doc.namespace !== undefined ? `${doc.namespace}/` : ''}${doc.name}`;
}

function diffDocuments(before: readonly ManifestDocument[], after: readonly ManifestDocument[]): { added: string[]; removed: string[]; changed: string[] } | undefined {
  const key = (d: ManifestDocument): string => `${apiGroup(d.apiVersion)}/${documentId(d)}`;
  const a = new Map(before.map((d) => [key(d), d]));
  const b = new Map(after.map((d) => [key(d), d]));
  const added = [...b].filter(([k]) => !a.has(k)).map(([, d]) => documentId(d));
  const removed = [...a].filter(([k]) => !b.has(k)).map(([, d]) => documentId(d));
  const changed = [...b].filter(([k, d]) => a.has(k) && !deepEqual(a.get(k)!.object, d.object)).map(([, d]) => documentId(d));
  if (added.length + removed.length + changed.length === 0) return undefined;
  return { added: added.sort(compare), removed: removed.sort(compare), changed: changed.sort(compare) };
}

/** The difference as text for a terminal or a review comment. */
export function formatDiff(diff: PlanDiff): string {
  if (diff.profiles.length + diff.layers.length + diff.namespaces.length === 0) {
    return 'No changes: the same layers, versions, values, tiers and namespaces.';
  }
  const out: string[] = [];
  if (diff.profiles.length > 0) {
    out.push('Profiles:');
    for (const p of diff.profiles) {
      if (p.change === 'added') out.push(`  + ${p.profile} ${p.to}`);
      else if (p.change === 'removed') out.push(`  - ${p.profile} ${p.from}`);
      else out.push(`  ~ ${p.profile} ${p.from} -> ${p.to}`);
    }
  }
  if (diff.layers.length > 0) {
    out.push('Layers:');
    for (const l of diff.layers) {
      const mark = l.change === 'added' ? '+' : l.change === 'removed' ? '-' : '~';
      const parts = [...(l.summary !== undefined ? [`${l.change}: ${l.summary}`] : []), ...l.changes.map(formatChange)];
      out.push(`  ${mark} ${l.layer} (profile ${l.profile}): ${parts.join('; ')}`);
    }
  }
  if (diff.namespaces.length > 0) {
    out.push('Namespaces:');
    for (const n of diff.namespaces) {
      const layers = n.layers.join(', ');
      if (n.change === 'created') out.push(`  + ${n.namespace}: created (owned by ${layers})`);
      else if (n.change === 'kept') out.push(`  ~ ${n.namespace}: no longer managed, kept because it is retained (was owned by ${layers})`);
      else out.push(`  - ${n.namespace}: DESTROYED with everything in it, including objects not deployed by these profiles (was owned by ${layers})`);
    }
  }
  return out.join('\n');
}

function formatChange(change: LayerChange): string {
  switch (change.what) {
    case 'namespace-created':
      return `creates namespace ${change.namespace}`;
    case 'namespace-destroyed':
      return `destroys namespace ${change.namespace}`;
    case 'values': {
      const paths = [...change.changed, ...change.added.map((p) => `${p} (added)`), ...change.removed.map((p) => `${p} (removed)`)];
      const what = change.chart !== undefined ? `chart ${change.chart} values` : 'values';
      return paths.length > 0 ? `${what} changed at ${paths.join(', ')}` : `${what} text changed (comments, layout or spelling only: the same values for Helm)`;
    }
    case 'charts':
    case 'templates':
    case 'objects': {
      const noun = change.what === 'templates' ? 'templated manifests (text or values)' : change.what;
      const parts = [
        ...(change.added.length > 0 ? [`added ${change.added.join(', ')}`] : []),
        ...(change.removed.length > 0 ? [`removed ${change.removed.join(', ')}`] : []),
        ...(change.changed.length > 0 ? [`changed ${change.changed.join(', ')}`] : []),
      ];
      return `${noun} ${parts.join(', ')}`;
    }
    case 'priority':
      return `tier ${change.from} -> ${change.to}`;
    case 'strategy':
      return change.to === 'chart'
        ? `manifest strategy ${change.from} -> ${change.to} (Terraform forgets the kubernetes_manifest objects; the release adopts them)`
        : `manifest strategy ${change.from} -> ${change.to} (REPLACES the objects: the release is uninstalled and each object created again)`;
    default:
      return `${change.what} ${change.from} -> ${change.to}`;
  }
}
