import { InstallPlan, PlannedResource, unhandledRole } from '../core/model/planned';
import { compare } from '../core/plan/plan';
import { RehearsalEvent } from './rehearsal-log';
import { StackResource } from './stack-graph';

/** A stretch of a rehearsal, in milliseconds since its first event. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One line of a timeline: a namespace, a layer's resources, a tier's gate, or a resource outside the plan. */
export interface TimelineRow {
  readonly kind: 'namespace' | 'layer' | 'gate' | 'resource';
  /** `namespace monitoring`, the layer's name, `gate`, or the resource's address. */
  readonly label: string;
  /** The addresses the row covers. */
  readonly resources: readonly string[];
  /** From the first creation start to the last ready; undefined when nothing was logged. */
  readonly create?: Span;
  /** From the first destruction start to the last gone; undefined when nothing was logged. */
  readonly destroy?: Span;
}

/** One tier of a timeline. */
export interface TimelineTier {
  /** The tier's label (`infra:cni`, `priority 30`), or `not in the install plan`. */
  readonly label: string;
  /** Namespaces first, then layers by name, then the gate. */
  readonly rows: readonly TimelineRow[];
  readonly create?: Span;
  readonly destroy?: Span;
  /** Layers installed in this tier. */
  readonly layers: number;
  /** Resources of this tier. */
  readonly resources: number;
  /** The most resources of this tier being created at the same time. */
  readonly createdAtOnce: number;
  /** The most resources of this tier being destroyed at the same time. */
  readonly destroyedAtOnce: number;
}

/** What a rehearsal did and when, tier by tier. */
export interface Timeline {
  /** The first event, in milliseconds since the Unix epoch; spans count from here. */
  readonly startedAt: number;
  /** From the first creation start to the last ready. */
  readonly install?: Span;
  /** From the first destruction start to the last gone. */
  readonly teardown?: Span;
  /** In install order; teardown runs them in reverse. */
  readonly tiers: readonly TimelineTier[];
  /** Resources of the stack. */
  readonly resources: number;
}

/** The label of the extra tier holding resources the install plan does not know. */
export const UNPLANNED_TIER = 'not in the install plan';

/**
 * Groups a rehearsal's events into tiers (from the install plan) and rows (namespaces, layers,
 * gates), with their spans and the most resources that ran at once.
 */
export function buildTimeline(plan: InstallPlan, resources: readonly StackResource[], events: readonly RehearsalEvent[]): Timeline {
  const startedAt = events.reduce((min, e) => Math.min(min, e.time), events.length > 0 ? Infinity : 0);
  const byAddress = new Map<string, RehearsalEvent[]>();
  for (const e of events) byAddress.set(e.address, [...(byAddress.get(e.address) ?? []), e]);
  const spanOf = (addresses: readonly string[], from: 'create-start' | 'destroy-start', to: 'create-end' | 'destroy-end'): Span | undefined => {
    let start = Infinity;
    let end = -Infinity;
    for (const a of addresses) {
      for (const e of byAddress.get(a) ?? []) {
        if (e.phase === from) start = Math.min(start, e.time - startedAt);
        if (e.phase === to) end = Math.max(end, e.time - startedAt);
      }
    }
    return start === Infinity || end === -Infinity ? undefined : { start, end };
  };

  const inStack = new Set(resources.map((r) => r.address));
  const groups: { label: string; members: Member[] }[] = plan.tiers.map((t) => ({ label: t.label, members: [] }));
  for (const p of plan.resources) {
    if (inStack.has(p.address)) groups[p.tier].members.push({ ...rowOf(p), address: p.address, layer: p.layer });
  }
  const planned = new Set(plan.resources.map((p) => p.address));
  const unplanned = resources.filter((r) => !planned.has(r.address));
  if (unplanned.length > 0) {
    groups.push({ label: UNPLANNED_TIER, members: unplanned.map((r) => ({ key: `resource ${r.address}`, kind: 'resource' as const, label: r.address, address: r.address })) });
  }

  const tiers = groups.map(({ label, members }): TimelineTier => {
    const rows = new Map<string, { kind: TimelineRow['kind']; label: string; resources: string[] }>();
    for (const m of members) {
      const row = rows.get(m.key) ?? { kind: m.kind, label: m.label, resources: [] };
      row.resources.push(m.address);
      rows.set(m.key, row);
    }
    const rank = { namespace: 0, layer: 1, resource: 1, gate: 2 } as const;
    const ordered = [...rows.values()].sort((a, b) => rank[a.kind] - rank[b.kind] || compare(a.label, b.label));
    const addresses = members.map((m) => m.address);
    const own = new Set(addresses);
    return {
      label,
      rows: ordered.map((r) => ({ ...r, create: spanOf(r.resources, 'create-start', 'create-end'), destroy: spanOf(r.resources, 'destroy-start', 'destroy-end') })),
      create: spanOf(addresses, 'create-start', 'create-end'),
      destroy: spanOf(addresses, 'destroy-start', 'destroy-end'),
      layers: new Set(members.map((m) => m.layer).filter((l) => l !== undefined)).size,
      resources: members.length,
      createdAtOnce: mostAtOnce(events, own, 'create-start', 'create-end'),
      destroyedAtOnce: mostAtOnce(events, own, 'destroy-start', 'destroy-end'),
    };
  });

  const all = resources.map((r) => r.address);
  return {
    startedAt,
    install: spanOf(all, 'create-start', 'create-end'),
    teardown: spanOf(all, 'destroy-start', 'destroy-end'),
    tiers,
    resources: resources.length,
  };
}

/** A resource on its way into a row: rows gather members of the same key. */
interface Member {
  readonly key: string;
  readonly kind: TimelineRow['kind'];
  readonly label: string;
  readonly address: string;
  readonly layer?: string;
}

function rowOf(p: PlannedResource): Omit<Member, 'address' | 'layer'> {
  switch (p.role) {
    case 'chart-release':
    case 'manifest-chart':
    case 'manifest':
    case 'namespace-patch':
    case 'zarf-package':
    case 'readiness-check':
      return { key: `layer ${p.layer}`, kind: 'layer', label: p.layer };
    // Rows are grouped by tier, and a gate's tier is the tier it closes.
    case 'tier-gate':
      return { key: 'gate', kind: 'gate', label: 'gate' };
    // Namespaces serve several layers and so belong to none.
    case 'namespace':
    case 'retained-namespace':
      return { key: `namespace ${p.namespace}`, kind: 'namespace', label: `namespace ${p.namespace}` };
    default:
      return unhandledRole(p);
  }
}

/** The most of `addresses` between `from` and `to` at once, counted in log order (the log is serial). */
function mostAtOnce(events: readonly RehearsalEvent[], addresses: ReadonlySet<string>, from: string, to: string): number {
  let now = 0;
  let most = 0;
  for (const e of events) {
    if (!addresses.has(e.address)) continue;
    if (e.phase === from) most = Math.max(most, ++now);
    if (e.phase === to) now -= 1;
  }
  return most;
}
