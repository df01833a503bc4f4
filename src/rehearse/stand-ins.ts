import { RehearsalError } from './rehearsal-error';
import { RehearsalPhase, logCommand } from './rehearsal-log';
import { StackResource } from './stack-graph';
import { addressOf, parseAddress } from '../core/model/address';
import { InstallPlan, PlannedResource, unhandledRole } from '../core/model/planned';

/** Options for {@link standInConfig}. */
export interface StandInOptions {
  /**
   * Seconds each workload stand-in waits between starting and being ready, as a Helm release or a
   * Kubernetes object waits for its pods. Namespaces, gates and label or annotation patches are
   * ready at once, as on a cluster.
   * @default 0
   */
  readonly readinessSeconds?: number;
  /**
   * Addresses of the resources that wait for readiness.
   * @default - decided by type ({@link isWorkload})
   */
  readonly workloads?: ReadonlySet<string>;
}

/** The most readiness a rehearsal accepts, in seconds: an hour per workload is already no rehearsal. */
export const MAX_READINESS_SECONDS = 3600;

/** Resource types that are ready as soon as Terraform creates them: no pods to wait for. */
const INSTANT_TYPES: ReadonlySet<string> = new Set([
  'terraform_data',
  'kubernetes_namespace',
  'kubernetes_namespace_v1',
  'kubernetes_labels',
  'kubernetes_annotations',
]);

/** Whether a resource of this type waits for readiness (a release, a Kubernetes object), when nothing else tells. */
export function isWorkload(type: string): boolean {
  return !INSTANT_TYPES.has(type);
}

/**
 * The resources of a stack that wait for readiness, told by the install plan where it knows them:
 * what a layer deploys (releases, objects, Zarf packages, whatever their Terraform type), but not its
 * namespace label or annotation patches, nor namespaces (retained ones are Helm releases) and gates.
 * Resources the plan does not know are told by type.
 */
export function workloadAddresses(plan: InstallPlan, resources: readonly StackResource[]): Set<string> {
  const planned = new Map(plan.resources.map((p) => [p.address, p]));
  const out = new Set<string>();
  for (const r of resources) {
    const p = planned.get(r.address);
    const waits = p === undefined ? isWorkload(r.type) : isPlannedWorkload(p);
    if (waits) out.add(r.address);
  }
  return out;
}

/** Whether a planned resource waits for readiness: what a layer deploys, whatever its Terraform type. */
function isPlannedWorkload(p: PlannedResource): boolean {
  switch (p.role) {
    case 'chart-release':
    case 'manifest-chart':
    case 'manifest':
    case 'zarf-package':
    case 'readiness-check':
      return true;
    case 'namespace':
    case 'retained-namespace':
    case 'namespace-patch':
    case 'tier-gate':
      return false;
    default:
      return unhandledRole(p);
  }
}

/**
 * The stand-in's address for a resource: `helm_release.cilium` becomes
 * `terraform_data.helm_release__cilium`. Resource types never hold `__`, so the first `__` splits
 * the name back ({@link originalAddress}).
 */
export function standInAddress(address: string): string {
  return addressOf(STAND_IN_TYPE, standInName(address));
}

/** The stand-in's resource name for a resource: `helm_release__cilium` for `helm_release.cilium`. */
export function standInName(address: string): string {
  const parsed = parseAddress(address);
  if (parsed === undefined) throw new RehearsalError(`cannot stand in for "${address}": not a Terraform address type.name`);
  return `${parsed.type}__${parsed.name}`;
}

/** The original address of a stand-in address; undefined for anything else. */
export function originalAddress(standIn: string): string | undefined {
  const parsed = parseAddress(standIn);
  if (parsed?.type !== STAND_IN_TYPE) return undefined;
  const split = parsed.name.indexOf('__');
  return split <= 0 ? undefined : addressOf(parsed.name.slice(0, split), parsed.name.slice(split + 2));
}

/** The resource type of every stand-in: built into Terraform, so a rehearsal downloads no provider. */
const STAND_IN_TYPE = 'terraform_data';

/** The stand-ins as a Terraform JSON configuration (`main.tf.json`). */
export interface StandInConfiguration {
  readonly resource: { readonly terraform_data: Readonly<Record<string, unknown>> };
}

/**
 * A Terraform JSON configuration that replaces every resource of a stack with a built-in
 * `terraform_data` resource, which needs no provider download. Each stand-in keeps its resource's
 * dependencies as `depends_on` and logs its phases with `local-exec` provisioners: creation start
 * and end (workloads sleep `readinessSeconds` in between), and destruction start and end in a
 * `when = "destroy"` provisioner. Nothing of the original resource runs, its own provisioners
 * included. Providers, variables and outputs are left out: they order nothing.
 */
export function standInConfig(resources: readonly StackResource[], options: StandInOptions = {}): StandInConfiguration {
  const readiness = checkReadiness(options.readinessSeconds ?? 0);
  const standIns: Record<string, unknown> = {};
  for (const r of resources) {
    const phases = (...list: RehearsalPhase[]): string[] => list.map((p) => logCommand(p, r.address));
    const create = readiness > 0 && (options.workloads?.has(r.address) ?? isWorkload(r.type))
      ? [logCommand('create-start', r.address), `sleep ${readiness}`, logCommand('create-end', r.address)]
      : phases('create-start', 'create-end');
    standIns[standInName(r.address)] = {
      ...(r.dependsOn.length > 0 ? { depends_on: r.dependsOn.map(standInAddress) } : {}),
      provisioner: [
        { 'local-exec': { command: create.join(' && ') } },
        { 'local-exec': { when: 'destroy', command: phases('destroy-start', 'destroy-end').join(' && ') } },
      ],
    };
  }
  return { resource: { terraform_data: standIns } };
}

/** Checks a readiness in seconds and rounds it to milliseconds, the precision `sleep` is given. */
export function checkReadiness(seconds: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_READINESS_SECONDS) {
    throw new RehearsalError(`readiness ${String(seconds)} must be a number of seconds from 0 to ${MAX_READINESS_SECONDS}, such as 0.5 or 2`);
  }
  return Math.round(seconds * 1000) / 1000;
}
