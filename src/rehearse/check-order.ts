import { InstallPlan } from '../core/model/planned';
import { compare } from '../core/plan/plan';
import { REHEARSAL_PHASES, RehearsalEvent, RehearsalPhase } from './rehearsal-log';
import { StackResource } from './stack-graph';

/**
 * The rule a violation breaks:
 * - `plan`: a resource of the install plan is missing from the stack, or a dependency of the plan
 *   does not hold in the stack, neither directly nor through other resources;
 * - `once`: a resource was not created exactly once and destroyed exactly once, or the log names
 *   a resource the stack does not have;
 * - `create-order` / `destroy-order`: a dependency (of the stack, or of the install plan) was not
 *   ready before its dependent started, or was destroyed before its dependent was gone;
 * - `tier-order`: a resource started before every resource of the lower tiers was ready, or was
 *   destroyed before every resource of the higher tiers was gone.
 */
export type OrderRule = 'plan' | 'once' | 'create-order' | 'destroy-order' | 'tier-order';

/** One broken promise of the install plan, naming the resources involved. */
export interface OrderViolation {
  readonly rule: OrderRule;
  /** The offending resource first, then the resources it was out of order with. */
  readonly addresses: readonly string[];
  /** The violation as one line for a person. */
  readonly message: string;
}

/** What was checked, and what was found. */
export interface OrderCheck {
  /** Every violation; empty when the rehearsal kept every promise. */
  readonly violations: readonly OrderViolation[];
  /** Resources of the stack. */
  readonly resources: number;
  /** Distinct dependencies checked on create and on destroy (the stack's and the install plan's). */
  readonly dependencies: number;
  /** Tiers of the install plan. */
  readonly tiers: number;
}

/** The input of {@link checkOrder}. */
export interface OrderCheckInput {
  /** The synthesized stack's resources and their dependencies. */
  readonly resources: readonly StackResource[];
  /** The install plan the stack was synthesized from. */
  readonly plan: InstallPlan;
  /** The rehearsal log, in the order it was written. */
  readonly events: readonly RehearsalEvent[];
}

/** Offending resources named per tier violation before the rest are only counted. */
const NAMED = 3;

type Times = Partial<Record<RehearsalPhase, RehearsalEvent>>;

/**
 * Checks a rehearsal's executed order against the install plan and the synthesized stack: every
 * resource of the plan is in the stack, and every dependency of the plan holds in the stack (maybe
 * through other resources), whatever the timing; every resource of the stack was created once and destroyed
 * once; every dependency, of the stack or of the plan (namespaces before their workloads, gates after
 * their tier), was ready before its dependent started and destroyed only after its dependent was
 * gone; and no resource started before every resource of the lower tiers was ready, nor was
 * destroyed before every resource of the higher tiers was gone. Order is the order of the log's
 * lines, not clock readings. Linear in resources and dependencies (plus sorting) when the order
 * holds: tiers are compared through running maxima, never pair by pair.
 */
export function checkOrder(input: OrderCheckInput): OrderCheck {
  const { resources, plan, events } = input;
  const inStack = new Set(resources.map((r) => r.address));
  const violations: OrderViolation[][] = [[], [], [], [], []];
  const [planned, once, created, destroyed, tiered] = violations;

  for (const p of plan.resources) {
    if (!inStack.has(p.address)) planned.push({ rule: 'plan', addresses: [p.address], message: `${p.address} is in the install plan but missing from the synthesized stack` });
  }

  const seen = new Map<string, Record<RehearsalPhase, RehearsalEvent[]>>();
  const strangers = new Set<string>();
  for (const e of events) {
    if (!inStack.has(e.address)) {
      strangers.add(e.address);
      continue;
    }
    let phases = seen.get(e.address);
    if (phases === undefined) {
      phases = { 'create-start': [], 'create-end': [], 'destroy-start': [], 'destroy-end': [] };
      seen.set(e.address, phases);
    }
    phases[e.phase].push(e);
  }
  const times = new Map<string, Times>();
  for (const r of resources) {
    const phases = seen.get(r.address);
    const count = (p: RehearsalPhase): number => phases?.[p].length ?? 0;
    if (REHEARSAL_PHASES.some((p) => count(p) !== 1)) {
      once.push({ rule: 'once', addresses: [r.address], message: `${r.address} ${describeCounts(count)}; expected created once and destroyed once` });
    }
    const t: Times = {};
    for (const p of REHEARSAL_PHASES) t[p] = phases?.[p][0];
    times.set(r.address, t);
  }
  for (const a of strangers) once.push({ rule: 'once', addresses: [a], message: `${a} is in the rehearsal log but is not a resource of the stack` });

  // Dependencies of the stack and of the plan, each checked once; plan-only ones say so.
  const edges = new Map<string, { waiter: string; target: string; inStack: boolean }>();
  for (const r of resources) for (const d of r.dependsOn) edges.set(`${r.address} ${d}`, { waiter: r.address, target: d, inStack: true });
  for (const p of plan.resources) {
    for (const d of p.dependsOn) {
      const key = `${p.address} ${d}`;
      if (inStack.has(p.address) && inStack.has(d) && !edges.has(key)) edges.set(key, { waiter: p.address, target: d, inStack: false });
    }
  }
  // A plan dependency the stack lacks directly must still hold through other resources, or the
  // order depends on luck: named whatever the timing was. Stacks mirror the plan, so this is rare.
  const stackDeps = new Map(resources.map((r) => [r.address, r.dependsOn]));
  for (const { waiter, target, inStack: ofStack } of edges.values()) {
    if (!ofStack && !reaches(stackDeps, waiter, target)) {
      planned.push({ rule: 'plan', addresses: [waiter, target], message: `${waiter} waits for ${target} in the install plan, but not in the synthesized stack, neither directly nor through other resources` });
    }
  }
  for (const { waiter, target, inStack: ofStack } of edges.values()) {
    const w = times.get(waiter)!;
    const t = times.get(target)!;
    const missing = ofStack ? '' : `; the install plan has ${waiter} wait for ${target}, but the synthesized stack does not`;
    if (before(w['create-start'], t['create-end'])) {
      const message = ofStack ? `create order: ${waiter} started before ${target}, which it depends on, was ready` : `create order: ${waiter} started before ${target} was ready${missing}`;
      created.push({ rule: 'create-order', addresses: [waiter, target], message });
    }
    if (before(t['destroy-start'], w['destroy-end'])) {
      const message = ofStack ? `destroy order: ${target} was destroyed before ${waiter}, which depends on it, was gone` : `destroy order: ${target} was destroyed before ${waiter} was gone${missing}`;
      destroyed.push({ rule: 'destroy-order', addresses: [target, waiter], message });
    }
  }

  tiered.push(...checkTiers(plan, times));
  for (const group of violations) group.sort((a, b) => compare(a.message, b.message));
  return { violations: violations.flat(), resources: resources.length, dependencies: edges.size, tiers: plan.tiers.length };
}

/** Whether `from` waits for `to` through the stack's dependencies. */
function reaches(deps: ReadonlyMap<string, readonly string[]>, from: string, to: string): boolean {
  const seen = new Set<string>([from]);
  const next = [from];
  while (next.length > 0) {
    for (const d of deps.get(next.pop()!) ?? []) {
      if (d === to) return true;
      if (!seen.has(d)) {
        seen.add(d);
        next.push(d);
      }
    }
  }
  return false;
}

/** Whether event `a` was logged before event `b`; false when either is missing. */
function before(a: RehearsalEvent | undefined, b: RehearsalEvent | undefined): boolean {
  return a !== undefined && b !== undefined && a.seq < b.seq;
}

function describeCounts(count: (p: RehearsalPhase) => number): string {
  const times = (n: number): string => `${n} time${n === 1 ? '' : 's'}`;
  const parts = [`was created ${times(count('create-start'))}`];
  if (count('create-end') !== count('create-start')) parts.push(`ready ${times(count('create-end'))}`);
  parts.push(`destroyed ${times(count('destroy-start'))}`);
  if (count('destroy-end') !== count('destroy-start')) parts.push(`gone ${times(count('destroy-end'))}`);
  return parts.join(', ');
}

interface Member {
  readonly address: string;
  readonly tier: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Tier order on create (each tier starts after every lower tier is ready) and on destroy (each tier
 * goes after every higher tier is gone), through the running maximum of the lower (or higher) tiers'
 * end positions; only an offender's partners are looked up one by one.
 */
function checkTiers(plan: InstallPlan, times: ReadonlyMap<string, Times>): OrderViolation[] {
  const out: OrderViolation[] = [];
  const label = (m: Member): string => `${m.address} (${plan.tiers[m.tier].label})`;
  const members = (startPhase: RehearsalPhase, endPhase: RehearsalPhase): Member[] => {
    const list: Member[] = [];
    for (const p of plan.resources) {
      const t = times.get(p.address);
      const start = t?.[startPhase];
      const end = t?.[endPhase];
      if (start !== undefined && end !== undefined) list.push({ address: p.address, tier: p.tier, start: start.seq, end: end.seq });
    }
    return list;
  };
  const tierCount = plan.tiers.length;

  // Create: the latest `ready` among tiers below j must come before every start in tier j.
  const creating = members('create-start', 'create-end');
  const maxEndBelow = runningMax(creating, tierCount, (m) => m.tier + 1, 'up');
  const byEndCreate = [...creating].sort((a, b) => b.end - a.end);
  for (const b of creating) {
    if (b.start > maxEndBelow[b.tier]) continue;
    const late = partners(byEndCreate, b.start, (a) => a.tier < b.tier, (x, y) => y.tier - x.tier);
    out.push({
      rule: 'tier-order',
      addresses: [b.address, ...late.named.map((m) => m.address)],
      message: `tier order: ${label(b)} started before ${naming(late, label, 'earlier', 'ready')}`,
    });
  }

  // Destroy: the latest `gone` among tiers above i must come before every destroy start in tier i.
  const destroying = members('destroy-start', 'destroy-end');
  const maxEndAbove = runningMax(destroying, tierCount, (m) => m.tier - 1, 'down');
  const byEndDestroy = [...destroying].sort((a, b) => b.end - a.end);
  for (const a of destroying) {
    if (a.start > maxEndAbove[a.tier]) continue;
    const late = partners(byEndDestroy, a.start, (m) => m.tier > a.tier, (x, y) => x.tier - y.tier);
    out.push({
      rule: 'tier-order',
      addresses: [a.address, ...late.named.map((m) => m.address)],
      message: `tier order: ${label(a)} was destroyed before ${naming(late, label, 'later', 'gone')}`,
    });
  }
  return out;
}

/**
 * For every tier, the latest end position among the tiers below it (`up`) or above it (`down`);
 * -1 where there is none. `into` says which tier's bound a member's end feeds.
 */
function runningMax(members: readonly Member[], tierCount: number, into: (m: Member) => number, direction: 'up' | 'down'): number[] {
  const own = new Array<number>(tierCount + 2).fill(-1);
  for (const m of members) {
    const t = into(m);
    if (t >= 0 && t < tierCount) own[t] = Math.max(own[t], m.end);
  }
  const out = new Array<number>(tierCount).fill(-1);
  if (direction === 'up') {
    let max = -1;
    for (let t = 0; t < tierCount; t++) out[t] = max = Math.max(max, own[t]);
  } else {
    let max = -1;
    for (let t = tierCount - 1; t >= 0; t--) out[t] = max = Math.max(max, own[t]);
  }
  return out;
}

/**
 * Members (sorted by end, latest first) that ended after `position` and pass `filter`: the first
 * few named, nearest tier first (the one that should have gated), then by address; the rest counted.
 */
function partners(byEnd: readonly Member[], position: number, filter: (m: Member) => boolean, nearest: (a: Member, b: Member) => number): { named: Member[]; total: number } {
  const found: Member[] = [];
  for (const m of byEnd) {
    if (m.end <= position) break;
    if (filter(m)) found.push(m);
  }
  found.sort((a, b) => nearest(a, b) || compare(a.address, b.address));
  return { named: found.slice(0, NAMED), total: found.length };
}

/** `A (tier), of an earlier tier, was ready` or `2 resources of earlier tiers were ready: A (tier), B (tier)`. */
function naming(found: { named: Member[]; total: number }, label: (m: Member) => string, side: 'earlier' | 'later', state: 'ready' | 'gone'): string {
  if (found.total === 1) return `${label(found.named[0])}, of ${side === 'earlier' ? 'an' : 'a'} ${side} tier, was ${state}`;
  const more = found.total > found.named.length ? `, and ${found.total - found.named.length} more` : '';
  return `${found.total} resources of ${side} tiers were ${state}: ${found.named.map(label).join(', ')}${more}`;
}
