import { apiGroup, documentsOf } from '../resolve/manifests';
import { isSystemNamespace } from '../model/names';
import { quotedList } from '../model/errors';
import { findCrdProviders, isCustomResource } from '../resolve/classify';
import { InstallPlan, PlannedLayerRelease, PlannedOwnedNamespace } from '../model/planned';
import { compare } from '../plan/plan';
import { manifestStrategyOf } from '../resolve/manifest-settings';
import { describeFinding } from '../plan/release-size';
import { ResolvedLayer } from '../model/resolved';

/**
 * What can go wrong later with a plan that is valid now: the kinds of hazard, in the order they are
 * reported.
 * - `shared-namespace`: a namespace the profiles create holds resources of several layers, so
 *   removing one layer can destroy the namespace with everything in it.
 * - `unowned-namespace`: a layer deploys into a namespace the profiles do not create (`default`,
 *   `kube-system`, or one nobody creates).
 * - `crd-order`: custom resources whose CustomResourceDefinition comes from a layer of the same or a
 *   later tier, or from no layer: they cannot be planned (`kubernetes_manifest`) or created in order.
 *   Not reported for a CRD of the same `chart` layer, whose CRD release installs it first.
 * - `operator-teardown`: custom resources destroyed with or after the layer that defines their kind,
 *   so their finalizers may wait forever for an operator that is gone.
 * - `duplicate-object`: two layers may produce the same object: Helm releases of one name in two
 *   namespaces (charts name cluster-wide objects after the release), or a Namespace document for a
 *   namespace the profiles already create. Exact duplicates (one release name in one namespace, one
 *   object defined twice) are errors, not hazards.
 * - `size-limit`: a generated chart's Helm release, or one object, at 80% or more of the size
 *   Kubernetes accepts (see `release-size.ts`); above it is an error.
 */
export type HazardKind = 'shared-namespace' | 'unowned-namespace' | 'crd-order' | 'operator-teardown' | 'duplicate-object' | 'size-limit';

/** Every hazard kind, in report order. */
export const HAZARD_KINDS: readonly HazardKind[] = ['shared-namespace', 'unowned-namespace', 'crd-order', 'operator-teardown', 'duplicate-object', 'size-limit'];

/** One hazard: its kind, the layers involved (sorted) and a message naming them and the fix. */
export interface Hazard {
  readonly kind: HazardKind;
  readonly layers: readonly string[];
  readonly message: string;
}

// API groups served by Kubernetes itself, and which layer provides each CRD: see classify.ts.

/**
 * Finds the hazards of a plan. Pure and deterministic: the same plan gives the same hazards in the
 * same order (by kind, then layers, then message), in a new list on each call.
 */
export function findHazards(plan: InstallPlan): Hazard[] {
  const layers = plan.tiers.flatMap((t) => t.layers);
  const tierOf = new Map<string, number>();
  plan.tiers.forEach((t, i) => t.layers.forEach((l) => tierOf.set(l.name, i)));
  const owned = new Map<string, PlannedOwnedNamespace>();
  for (const r of plan.resources) if (r.role === 'namespace' || r.role === 'retained-namespace') owned.set(r.namespace, r);
  const releases = plan.resources.filter((r): r is PlannedLayerRelease => r.role === 'chart-release' || r.role === 'manifest-chart');
  // Each layer's namespaces once, and each namespace's users once: checks that asked every layer
  // about every namespace cost layers x namespaces x releases (seconds at 1,000 layers).
  const releasesOf = new Map<string, PlannedLayerRelease[]>();
  for (const r of releases) pushTo(releasesOf, r.layer, r);
  const usedBy = new Map(layers.map((l) => [l.name, namespacesUsedBy(l, releasesOf.get(l.name) ?? [])]));
  const usersOf = new Map<string, string[]>();
  for (const l of layers) for (const ns of usedBy.get(l.name)!.keys()) pushTo(usersOf, ns, l.name);
  const context: Context = { plan, layers, tierOf, owned, releases, usedBy, usersOf };
  const hazards = [...sharedNamespaces(context), ...unownedNamespaces(context), ...customResources(context), ...duplicates(context), ...nearSizeLimits(context)];
  const rank = (h: Hazard): number => HAZARD_KINDS.indexOf(h.kind);
  return hazards.sort((a, b) => rank(a) - rank(b) || compare(a.layers.join('\n'), b.layers.join('\n')) || compare(a.message, b.message));
}

/** One hazard per line: `kind: message`. Empty when there is none. */
export function formatHazards(hazards: readonly Hazard[]): string {
  return hazards.map(formatHazard).join('\n');
}

/** A hazard as one line: `shared-namespace: namespace "x" ...`. */
export function formatHazard(hazard: Hazard): string {
  return `${hazard.kind}: ${hazard.message}`;
}

interface Context {
  readonly plan: InstallPlan;
  readonly layers: readonly ResolvedLayer[];
  readonly tierOf: ReadonlyMap<string, number>;
  readonly owned: ReadonlyMap<string, PlannedOwnedNamespace>;
  readonly releases: readonly PlannedLayerRelease[];
  /** Per layer: the namespaces it deploys into, each with what it puts there. */
  readonly usedBy: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** Per namespace: the layers that deploy into it, in layer order. */
  readonly usersOf: ReadonlyMap<string, readonly string[]>;
}


/**
 * Namespaces a layer deploys into: its charts' releases' and its documents' (cluster-scoped documents
 * have none). The release of a chart generated from the documents deploys exactly the documents, so
 * it counts through them: a layer of cluster-scoped objects deploys into no namespace, wherever Helm
 * keeps its release record.
 */
function namespacesUsedBy(layer: ResolvedLayer, releases: readonly PlannedLayerRelease[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (ns: string, what: string): void => pushTo(out, ns, what);
  for (const r of releases) if (r.role === 'chart-release') add(r.namespace, `Helm release "${r.releaseName}"`);
  for (const d of documentsOf(layer)) if (d.namespace !== undefined) add(d.namespace, `${d.kind} "${d.name}"`);
  return out;
}

/** Appends `value` to the list under `key`, in place (no copy per append). */
function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function sharedNamespaces(context: Context): Hazard[] {
  const out: Hazard[] = [];
  for (const ns of context.owned.values()) {
    if (ns.role === 'retained-namespace') continue; // never destroyed by the profiles
    const users = context.usersOf.get(ns.namespace) ?? [];
    const others = users.filter((u) => !ns.owners.includes(u)).sort(compare);
    const involved = [...new Set([...ns.owners, ...others])].sort(compare);
    if (involved.length < 2) continue;
    const fix = 'give each layer its own namespace, or set pack.retainNamespace: true to keep it';
    const message =
      ns.owners.length > 1
        ? `namespace "${ns.namespace}" is created by layers ${quotedList(ns.owners)}${others.length > 0 ? ` and also holds resources of ${quotedList(others)}` : ''}: it is destroyed, with everything in it, when the last of them is removed (Palette deletes it with the first one removed); ${fix}`
        : `namespace "${ns.namespace}" is created by layer "${ns.owners[0]}" and also holds resources of ${quotedList(others)}: removing "${ns.owners[0]}" destroys the namespace with everything in it, including the resources of ${quotedList(others)} and anything deployed there outside the profiles; ${fix}`;
    out.push({ kind: 'shared-namespace', layers: involved, message });
  }
  return out;
}

function unownedNamespaces(context: Context): Hazard[] {
  const out: Hazard[] = [];
  for (const layer of context.layers) {
    for (const [ns, what] of context.usedBy.get(layer.name)!) {
      if (context.owned.has(ns)) continue;
      const items = what.length <= 3 ? what.join(', ') : `${what.slice(0, 3).join(', ')} and ${what.length - 3} more`;
      const message = isSystemNamespace(ns)
        ? `layer "${layer.name}" deploys ${items} into namespace "${ns}", which belongs to the cluster, not to the profiles: it shares the namespace with the cluster's own objects and no layer can own, label or remove it as a whole; set pack.namespace to give the layer a namespace of its own`
        : `layer "${layer.name}" deploys ${items} into namespace "${ns}", which no layer creates: installing fails unless it already exists, and nothing removes it; name it in pack.namespace or pack.additionalNamespaces of a layer`;
      out.push({ kind: 'unowned-namespace', layers: [layer.name], message });
    }
  }
  return out;
}

/** Custom resources against the layers that define their kinds: install order and teardown order. */
function customResources(context: Context): Hazard[] {
  // The layers defining a kind's CRD as a document, else declaring it in pack.providesCrds
  // (classify.ts); the earliest of them counts.
  const providers = findCrdProviders(context.layers);
  const byName = new Map(context.layers.map((l) => [l.name, l]));
  const definerOf = (group: string, kind: string): ResolvedLayer | undefined =>
    providers
      .providersOf(group, kind)
      .map((name) => byName.get(name)!)
      .sort((a, b) => context.tierOf.get(a.name)! - context.tierOf.get(b.name)! || compare(a.name, b.name))[0];
  const out: Hazard[] = [];
  for (const layer of context.layers) {
    const kinds = new Map<string, number>();
    for (const d of documentsOf(layer)) {
      if (!isCustomResource(d)) continue;
      const key = `${apiGroup(d.apiVersion)}/${d.kind}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    for (const [key, count] of [...kinds].sort((a, b) => compare(a[0], b[0]))) {
      const [group, kind] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
      const objects = `${count} ${kind} object${count === 1 ? '' : 's'} (${group})`;
      const definer = definerOf(group, kind);
      if (definer === undefined) {
        out.push({
          kind: 'crd-order',
          layers: [layer.name],
          message: `layer "${layer.name}" creates ${objects}, whose CustomResourceDefinition no layer of the profiles defines or declares: they install only if the CRD is already in the cluster; when a layer of an earlier tier installs it (a Helm chart's CRDs), name it in that layer's pack.providesCrds`,
        });
        continue;
      }
      const mine = context.tierOf.get(layer.name)!;
      const theirs = context.tierOf.get(definer.name)!;
      if (theirs < mine) continue;
      const label = (tier: number): string => context.plan.tiers[tier].label;
      const involved = [...new Set([layer.name, definer.name])].sort(compare);
      const where =
        definer === layer
          ? 'in the same layer'
          : theirs === mine
            ? `from layer "${definer.name}" in the same tier (${label(mine)})`
            : `from layer "${definer.name}", which installs later (${label(theirs)}, after ${label(mine)})`;
      const fix = definer === layer ? `move the ${kind} objects to a layer with a higher install priority` : `give "${layer.name}" a higher install priority than "${definer.name}"`;
      // A generated chart plans without the cluster (manifest-strategy.ts), and installs the CRDs of
      // its own layer first, from a release of their own (crd-release.ts); kubernetes_manifest can do neither.
      const chart = manifestStrategyOf(layer) === 'chart';
      if (!(chart && definer === layer)) {
        const why = chart ? 'they cannot be created before the CRD is established' : 'they cannot be planned or created before the CRD is established';
        out.push({
          kind: 'crd-order',
          layers: involved,
          message: `layer "${layer.name}" creates ${objects}, whose CustomResourceDefinition comes ${where}: ${why}; ${fix}`,
        });
      }
      out.push({
        kind: 'operator-teardown',
        layers: involved,
        message: `layer "${layer.name}" creates ${objects} that are destroyed ${theirs === mine ? 'together with' : 'after'} the layer defining their kind ("${definer.name}"): the operator may be gone before it clears their finalizers, and their deletion then hangs; ${fix}`,
      });
    }
  }
  return out;
}

function duplicates(context: Context): Hazard[] {
  const out: Hazard[] = [];
  const byName = new Map<string, PlannedLayerRelease[]>();
  for (const r of context.releases) byName.set(r.releaseName, [...(byName.get(r.releaseName) ?? []), r]);
  for (const [name, same] of [...byName].sort((a, b) => compare(a[0], b[0]))) {
    const namespaces = [...new Set(same.map((r) => r.namespace))].sort(compare);
    if (namespaces.length < 2) continue;
    const layers = [...new Set(same.map((r) => r.layer))].sort(compare);
    out.push({
      kind: 'duplicate-object',
      layers,
      message: `layers ${quotedList(layers)} install Helm releases named "${name}" in namespaces ${quotedList(namespaces)}: charts name cluster-wide objects (ClusterRoles, webhooks) after the release, so one install can fail or take over the other's; give all but one a pack.releaseNameOverride`,
    });
  }
  for (const layer of context.layers) {
    for (const d of documentsOf(layer)) {
      if (d.kind !== 'Namespace' || apiGroup(d.apiVersion) !== '') continue;
      const ns = context.owned.get(d.name);
      if (ns === undefined) continue;
      out.push({
        kind: 'duplicate-object',
        layers: [...new Set([layer.name, ...ns.owners])].sort(compare),
        message: `layer "${layer.name}" defines Namespace "${d.name}" in manifest "${d.manifest}", and layer${ns.owners.length === 1 ? '' : 's'} ${quotedList(ns.owners)} create${ns.owners.length === 1 ? 's' : ''} it too (pack.namespace or pack.additionalNamespaces): two resources manage one namespace, and destroying either deletes it with everything in it; remove the Namespace document`,
      });
    }
  }
  return out;
}

/** Releases of generated charts and objects near the size Kubernetes accepts (those above it stopped the plan). */
function nearSizeLimits(context: Context): Hazard[] {
  return context.plan.sizes
    .filter((f) => !f.over)
    .map((f) => ({ kind: 'size-limit', layers: [f.layer], message: describeFinding(f) }));
}
