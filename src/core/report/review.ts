import { resourceInPlan } from '../model/address';
import { compare } from '../model/compare';
import { readObjectsValues } from '../plan/manifest-chart';
import { TerraformResourceChange } from '../input/terraform-plan';
import { InstallPlan, PlannedManifestChart, PlannedResource } from '../model/planned';

/**
 * A Terraform plan explained in profile terms: every resource change of `terraform show -json`
 * mapped to the profile, layer and install tier it belongs to, with what it means for the cluster.
 * The profiles after the change (`after`) place creates, updates and moves; the profiles before it
 * (`before`, optional) place deletes and tell what a chart layer's release had. Destructive changes
 * come first; then creates and updates in install order; then deletes in destroy order; changes the
 * profiles do not know come last, listed, never dropped.
 */

/** What a change does, from Terraform's actions and `previous_address`. */
export type ChangeKind = 'create' | 'update' | 'replace' | 'delete' | 'move' | 'forget' | 'read';

/** Every change kind, in the order summaries list them. */
export const CHANGE_KINDS: readonly ChangeKind[] = ['delete', 'replace', 'forget', 'create', 'update', 'move', 'read'];

/**
 * The objects a generated chart's release adds, changes and removes, as `<apiVersion> <kind>
 * [<namespace>/]<name>`: from the digests its values list (`clusterProfilesObjects`) before and after.
 */
export interface ObjectChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** One resource change, explained. Field names are the stable JSON shape of `review --format json`. */
export interface ReviewChange {
  /** The Terraform address, as the plan writes it. */
  readonly address: string;
  /** The actions, as Terraform writes them (`["delete","create"]` for a replace). */
  readonly actions: readonly string[];
  /** The profile of the layer; null when the change is not mapped to a layer. */
  readonly profile: string | null;
  /** The layer; for a namespace, the layers owning it (`a, b`); null for gates and unmapped changes. */
  readonly layer: string | null;
  /** The tier label (`priority 30`, `infra:cni`); null when the profiles do not know the address. */
  readonly tier: string | null;
  /** Whether the change deletes something in the cluster or stops managing it. */
  readonly destructive: boolean;
  /** What the change means in cluster terms. */
  readonly reason: string;
  /** What the change does. */
  readonly kind: ChangeKind;
  /** The address before a `moved` block; null when the resource does not move. */
  readonly previousAddress: string | null;
  /** For a chart layer's release, the objects it adds, changes and removes; null otherwise. */
  readonly objects: ObjectChanges | null;
}

/** Counts of a review. */
export interface ReviewSummary {
  readonly changes: number;
  readonly destructive: number;
  readonly unmapped: number;
  /** Changes by kind, every kind present (0 when none). */
  readonly byKind: Readonly<Record<ChangeKind, number>>;
  /** Tier labels touched, in install order (tiers only before the change follow, in destroy order). */
  readonly tiers: readonly string[];
}

/** A whole review. */
export interface PlanReview {
  /** Destructive first; then creates, updates and moves in install order; then deletes and forgets in destroy order; unmapped last. */
  readonly changes: readonly ReviewChange[];
  readonly summary: ReviewSummary;
}

/** Where a planned resource sits. */
interface Placed {
  readonly resource: PlannedResource;
  readonly plan: InstallPlan;
}

/** The kind of a change, from its actions. */
export function changeKind(change: Pick<TerraformResourceChange, 'actions' | 'previousAddress'>): ChangeKind | undefined {
  const a = change.actions;
  if (a.includes('delete') && a.includes('create')) return 'replace';
  if (a.includes('forget')) return 'forget';
  if (a.includes('delete')) return 'delete';
  if (a.includes('create')) return 'create';
  if (change.previousAddress !== undefined && change.previousAddress !== '') return 'move';
  if (a.includes('update')) return 'update';
  if (a.includes('read')) return 'read';
  return undefined;
}

/** Reviews a Terraform plan against the profiles after the change and, when given, before it. */
export function reviewPlan(changes: readonly TerraformResourceChange[], after: InstallPlan, before?: InstallPlan): PlanReview {
  const now = index(after);
  const was = before !== undefined ? index(before) : new Map<string, Placed>();
  const forgotten = forgottenBy(after);
  const reviewed: { change: ReviewChange; order: number[] }[] = [];
  for (const c of changes) {
    const kind = changeKind(c);
    if (kind === undefined) continue;
    const leaving = kind === 'delete' || kind === 'forget';
    const placed = leaving ? was.get(c.resource) ?? now.get(c.resource) ?? (kind === 'forget' ? forgotten.get(c.resource)?.placed : undefined) : now.get(c.resource) ?? was.get(c.resource);
    const previous = c.previousAddress !== undefined ? was.get(resourceInPlan(c.previousAddress)) ?? was.get(c.resource) : was.get(c.resource);
    const meaning = explain(c, kind, placed, previous, forgotten);
    const change: ReviewChange = {
      address: c.deposed !== undefined ? `${c.address} (deposed ${c.deposed})` : c.address,
      actions: c.actions,
      ...mapping(placed),
      destructive: meaning.destructive,
      reason: meaning.reason,
      kind,
      previousAddress: c.previousAddress ?? null,
      objects: meaning.objects ?? null,
    };
    // Install order for what is created or kept, destroy order (tiers reversed) for what leaves.
    // Within a tier, namespaces come before what uses them and the gate after; destroy reverses both.
    const tier = placed?.resource.tier;
    const role = placed?.resource.role;
    const rank = role === undefined || role === 'namespace' || role === 'retained-namespace' ? 0 : role === 'tier-gate' ? 2 : 1;
    const order = placed === undefined ? [2, 0, 0] : leaving ? [1, -tier!, -rank] : [0, tier!, rank];
    reviewed.push({ change, order: [change.destructive ? 0 : 1, ...order] });
  }
  reviewed.sort((a, b) => a.order.reduce((d, x, i) => d || x - b.order[i], 0) || compare(a.change.address, b.change.address));
  const list = reviewed.map((r) => r.change);
  return { changes: list, summary: summarize(list, after, before) };
}

function index(plan: InstallPlan): Map<string, Placed> {
  return new Map(plan.resources.map((r) => [r.address, { resource: r, plan }]));
}

/** An address the profiles tell Terraform to forget: what takes the object over, and where that sits. */
interface Forgotten {
  readonly by: string;
  readonly placed: Placed;
}

function forgottenBy(plan: InstallPlan): Map<string, Forgotten> {
  const out = new Map<string, Forgotten>();
  for (const r of plan.resources) {
    if (r.role === 'retained-namespace') out.set(r.forgets, { placed: { resource: r, plan }, by: `namespace ${r.namespace} is retained (pack.retainNamespace): a Helm release with helm.sh/resource-policy keep takes it over, nothing is deleted` });
    if (r.role !== 'manifest-chart') continue;
    // The objects' release lists every document's address; a CRD's is taken over by the layer's CRD release.
    const crdRelease = plan.resources.find((x): x is PlannedManifestChart => x.role === 'manifest-chart' && x.holds === 'crds' && x.layer === r.layer);
    for (const a of r.forgets) {
      const by = crdRelease !== undefined && a.includes('--customresourcedefinition--') ? crdRelease : r;
      out.set(a, { placed: { resource: by, plan }, by: `layer ${r.layer} installs its objects as a generated chart: release ${by.releaseName} takes this object over, nothing is deleted` });
    }
  }
  return out;
}

function mapping(placed: Placed | undefined): Pick<ReviewChange, 'profile' | 'layer' | 'tier'> {
  if (placed === undefined) return { profile: null, layer: null, tier: null };
  const { resource, plan } = placed;
  const tier = plan.tiers[resource.tier];
  const profileOf = (layer: string): string | undefined => tier.layers.find((l) => l.name === layer)?.profile ?? plan.tiers.flatMap((t) => t.layers).find((l) => l.name === layer)?.profile;
  if (resource.layer !== undefined) return { profile: profileOf(resource.layer) ?? null, layer: resource.layer, tier: tier.label };
  if (resource.role === 'namespace' || resource.role === 'retained-namespace') {
    const profiles = [...new Set(resource.owners.map(profileOf).filter((p): p is string => p !== undefined))].sort(compare);
    return { profile: profiles.length > 0 ? profiles.join(', ') : null, layer: resource.owners.join(', '), tier: tier.label };
  }
  return { profile: null, layer: null, tier: tier.label };
}

/** What a change means: the reason line, whether it is destructive, and a chart layer's objects. */
interface Meaning {
  readonly reason: string;
  readonly destructive: boolean;
  readonly objects?: ObjectChanges;
}

function explain(c: TerraformResourceChange, kind: ChangeKind, placed: Placed | undefined, previous: Placed | undefined, forgotten: ReadonlyMap<string, Forgotten>): Meaning {
  const values = (kind === 'delete' || kind === 'forget' ? c.before : c.after ?? c.before) as Record<string, unknown> | null;
  const renamed = c.previousAddress !== undefined ? `moved from ${c.previousAddress} (a moved block)` : undefined;
  if (kind === 'move') return { reason: `renamed from ${c.previousAddress} (a moved block): nothing is deleted`, destructive: false };
  if (kind === 'read') return { reason: 'data source read', destructive: false };
  if (kind === 'forget') {
    const by = forgotten.get(c.resource)?.by;
    if (by !== undefined) return { reason: `Terraform forgets it (a removed block); ${by}`, destructive: false };
    return { reason: `Terraform forgets it (a removed block): ${describeObject(c, placed)} stays in the cluster, no longer managed by the profiles`, destructive: true };
  }
  const with_ = (m: Meaning): Meaning => (renamed !== undefined ? { ...m, reason: `${m.reason}; ${renamed}` } : m);
  switch (c.type) {
    case 'kubernetes_namespace_v1':
    case 'kubernetes_namespace': {
      const ns = namespaceName(values) ?? (placed !== undefined && (placed.resource.role === 'namespace' || placed.resource.role === 'retained-namespace') ? placed.resource.namespace : c.resource);
      if (kind === 'delete') return { reason: `namespace ${ns} is deleted with everything in it, including objects created outside the profiles`, destructive: true };
      if (kind === 'replace') return { reason: `namespace ${ns} is replaced: deleted with everything in it (including objects created outside the profiles), then created empty`, destructive: true };
      return with_({ reason: kind === 'create' ? `namespace ${ns} is created` : `namespace ${ns} changes (labels or annotations)`, destructive: false });
    }
    case 'helm_release':
      return with_(explainRelease(c, kind, placed, previous));
    case 'kubernetes_manifest': {
      const object = describeObject(c, placed);
      const crd = isCrd(c, placed);
      if (kind === 'delete' || kind === 'replace') {
        const what = crd ? `CRD ${object} is deleted: every custom resource of that kind is deleted, cluster-wide` : `${object} is deleted`;
        return { reason: kind === 'replace' ? `${what}, then created again (replaced)` : what, destructive: true };
      }
      return with_({ reason: kind === 'create' ? `${object} is created` : `${object} changes`, destructive: false });
    }
    case 'kubernetes_labels':
    case 'kubernetes_annotations': {
      const what = c.type === 'kubernetes_labels' ? 'labels' : 'annotations';
      const ns = String(metadataName(values) ?? '?');
      return with_({ reason: `${what} on namespace ${ns} ${kind === 'delete' ? 'are removed' : kind === 'create' ? 'are set' : 'change'}`, destructive: false });
    }
    case 'terraform_data': {
      const r = placed?.resource;
      if (r?.role === 'zarf-package') {
        return with_({ reason: `Zarf package of layer ${r.layer} is ${kind === 'delete' ? 'removed (zarf package remove)' : kind === 'replace' ? 'removed, then deployed again' : kind === 'create' ? 'deployed' : 'changed'}`, destructive: kind === 'delete' || kind === 'replace' });
      }
      if (r?.role === 'readiness-check') return with_({ reason: `readiness check of layer ${r.layer} (kubectl wait) ${kind === 'delete' ? 'is removed' : 'runs'}`, destructive: false });
      if (r?.role === 'tier-gate') return with_({ reason: `gate of tier ${placed!.plan.tiers[r.tier].label} ${kind === 'delete' ? 'is removed' : kind === 'create' ? 'is created' : 'changes'}`, destructive: false });
      return { reason: `${kind}: not a resource of the profiles`, destructive: kind === 'delete' || kind === 'replace' };
    }
    default:
      return { reason: `${kind}: not a resource of the profiles`, destructive: kind === 'delete' || kind === 'replace' };
  }
}

function explainRelease(c: TerraformResourceChange, kind: ChangeKind, placed: Placed | undefined, previous: Placed | undefined): Meaning {
  const before = (c.before ?? {}) as Record<string, unknown>;
  const after = (c.after ?? {}) as Record<string, unknown>;
  const r = placed?.resource;
  if (r?.role === 'retained-namespace') {
    if (kind === 'delete') return { reason: `namespace ${r.namespace} is retained: Helm uninstalls its release and keeps the namespace (helm.sh/resource-policy keep)`, destructive: false };
    return { reason: `namespace ${r.namespace} (retained) is ${kind === 'create' ? 'created' : 'changed'}`, destructive: false };
  }
  const release = r?.role === 'chart-release' || r?.role === 'manifest-chart' ? r : undefined;
  const name = String((kind === 'delete' ? before.name : after.name) ?? release?.releaseName ?? '?');
  const ns = String((kind === 'delete' ? before.namespace : after.namespace) ?? release?.namespace ?? '?');
  // What the release held and will hold: the list its values carry in the plan, else the generated
  // chart of the profiles before (--base) and after the change.
  const was = readObjectsValues(before.values) ?? chartDigests(previous ?? (kind === 'delete' ? placed : undefined));
  const now = readObjectsValues(after.values) ?? (kind === 'delete' ? undefined : chartDigests(placed));
  const crds = isCrdRelease(c, placed ?? previous, was ?? now);
  if (kind === 'delete') {
    const gone = was !== undefined ? [...was.keys()].sort(compare) : [];
    const objects = was !== undefined ? { added: [], changed: [], removed: gone } : undefined;
    if (crds) return { reason: `release ${name} in namespace ${ns} is uninstalled: ${keptText('its CRDs stay', gone)}`, destructive: false, objects };
    return { reason: `release ${name} in namespace ${ns} is uninstalled: every object it installed is deleted${gone.length > 0 ? ` (${gone.join(', ')})` : ''}${crdWarning(gone)}`, destructive: true, objects };
  }
  if (kind === 'replace') {
    const moved = ['name', 'namespace'].filter((f) => before[f] !== undefined && after[f] !== undefined && before[f] !== after[f]).map((f) => `${f} ${String(before[f])} -> ${String(after[f])}`);
    const what = `release replaced${moved.length > 0 ? ` (${moved.join(', ')})` : ''}: Helm uninstalls ${String(before.name ?? name)} in ${String(before.namespace ?? ns)}`;
    if (crds) return { reason: `${what}, which leaves its CRDs in the cluster (helm.sh/resource-policy: keep), then installs ${name} in ${ns}, which takes them over: no custom resource is deleted`, destructive: false };
    return { reason: `${what}, deleting its objects, then installs ${name} in ${ns}`, destructive: true };
  }
  if (kind === 'create') {
    const objects = now !== undefined ? { added: [...now.keys()].sort(compare), changed: [], removed: [] } : undefined;
    const count = now !== undefined ? ` (${plural(now.size, crds ? 'CRD' : 'object')}${crds ? ', kept on removal' : ''})` : '';
    return { reason: `release ${name} is installed in namespace ${ns}${count}`, destructive: false, objects };
  }
  const parts: string[] = [];
  if (before.version !== after.version && after.version !== undefined) parts.push(`version ${String(before.version)} -> ${String(after.version)}`);
  if (JSON.stringify(before.values) !== JSON.stringify(after.values)) parts.push('values change');
  if (was === undefined || now === undefined) {
    const unknown = now !== undefined ? '; the objects it held are not known (its values listed none: made by an earlier version of the library); --base compares with the profiles before' : '';
    return { reason: `release ${name} is upgraded${parts.length > 0 ? `: ${parts.join(', ')}` : ''}${unknown}`, destructive: false };
  }
  const objects = diffObjects(was, now);
  const lines = [`release ${name} is upgraded`];
  if (objects.added.length > 0) lines.push(`adds ${objects.added.join(', ')}`);
  if (objects.changed.length > 0) lines.push(`changes ${objects.changed.join(', ')}`);
  if (objects.added.length + objects.changed.length + objects.removed.length === 0) lines.push(parts.includes('values change') ? 'no object changes; values change' : 'no object changes');
  if (objects.removed.length > 0) {
    if (crds) lines.push(keptText('CRDs leave the release and stay', objects.removed));
    else lines.push(`objects leave the chart and Helm deletes them: ${objects.removed.join(', ')}${crdWarning(objects.removed)}`);
  }
  return { reason: lines.join('; '), destructive: !crds && objects.removed.length > 0, objects };
}

/** The digests of a placed generated chart's objects; undefined for any other resource. */
function chartDigests(placed: Placed | undefined): ReadonlyMap<string, string> | undefined {
  return placed?.resource.role === 'manifest-chart' ? new Map(Object.entries(placed.resource.manifestChart.digests)) : undefined;
}

/** Whether an object id (`<apiVersion> <kind> [<namespace>/]<name>`) names a CustomResourceDefinition. */
function isCrdId(id: string): boolean {
  return /^apiextensions\.k8s\.io\/\S+ CustomResourceDefinition /.test(id);
}

/**
 * Whether a release is the release of a layer's CRDs (`helm_release.<layer>--crds`), whose every CRD
 * is annotated `helm.sh/resource-policy: keep`: placed as one by the profiles, or, when they do not
 * know it, named so and listing CRDs only.
 */
function isCrdRelease(c: TerraformResourceChange, placed: Placed | undefined, objects: ReadonlyMap<string, string> | undefined): boolean {
  if (placed?.resource.role === 'manifest-chart') return placed.resource.holds === 'crds';
  return c.resource.endsWith('--crds') && objects !== undefined && objects.size > 0 && [...objects.keys()].every(isCrdId);
}

/** What becomes of CRDs leaving a CRD release: they stay, and so does every custom resource of their kinds. */
function keptText(lead: string, ids: readonly string[]): string {
  const which = ids.length > 0 ? ` (${ids.join(', ')})` : '';
  return `${lead} in the cluster${which}, with every custom resource of their kinds (helm.sh/resource-policy: keep), no longer managed by the profiles; deleting one is a person's decision (kubectl delete crd NAME deletes every custom resource of its kind)`;
}

/** The warning after objects deleted, when CRDs are among them. */
function crdWarning(ids: readonly string[]): string {
  return ids.some(isCrdId) ? '; a CRD deleted deletes every custom resource of that kind, cluster-wide' : '';
}

/** The objects two lists of a generated chart's objects differ by. */
function diffObjects(was: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>): ObjectChanges {
  const added = [...now.keys()].filter((id) => !was.has(id));
  const removed = [...was.keys()].filter((id) => !now.has(id));
  const changed = [...now.keys()].filter((id) => was.has(id) && was.get(id) !== now.get(id));
  return { added: added.sort(compare), changed: changed.sort(compare), removed: removed.sort(compare) };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `metadata` is a list of one block in Terraform's JSON plan, one object in a configuration. */
function metadataName(values: Record<string, unknown> | null): unknown {
  const metadata = values?.metadata as { name?: unknown } | { name?: unknown }[] | undefined;
  return Array.isArray(metadata) ? metadata[0]?.name : metadata?.name;
}

function namespaceName(values: Record<string, unknown> | null): string | undefined {
  const name = metadataName(values);
  return typeof name === 'string' ? name : undefined;
}

function manifestOf(c: TerraformResourceChange, placed: Placed | undefined): { kind?: string; name?: string; namespace?: string } {
  const values = (c.before ?? c.after) as { manifest?: { kind?: string; metadata?: { name?: string; namespace?: string } } } | null;
  if (values?.manifest !== undefined) return { kind: values.manifest.kind, name: values.manifest.metadata?.name, namespace: values.manifest.metadata?.namespace };
  const r = placed?.resource;
  if (r?.role === 'manifest') return { kind: r.document.kind, name: r.document.name, namespace: r.document.namespace };
  return {};
}

function describeObject(c: TerraformResourceChange, placed: Placed | undefined): string {
  const m = manifestOf(c, placed);
  if (m.kind === undefined || m.name === undefined) return c.address;
  return `${m.kind} ${m.namespace !== undefined ? `${m.namespace}/` : ''}${m.name}`;
}

function isCrd(c: TerraformResourceChange, placed: Placed | undefined): boolean {
  return manifestOf(c, placed).kind === 'CustomResourceDefinition';
}

function summarize(changes: readonly ReviewChange[], after: InstallPlan, before?: InstallPlan): ReviewSummary {
  const byKind = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const c of changes) byKind[c.kind]++;
  const touched = new Set(changes.flatMap((c) => (c.tier !== null ? [c.tier] : [])));
  const order = [...after.tiers.map((t) => t.label), ...(before?.tiers.map((t) => t.label).reverse() ?? [])];
  const tiers = [...new Set(order)].filter((t) => touched.has(t));
  return {
    changes: changes.length,
    destructive: changes.filter((c) => c.destructive).length,
    unmapped: changes.filter((c) => c.tier === null).length,
    byKind,
    tiers,
  };
}
