import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { planCluster } from '../core';
import { ResolveOptions, combineResolveOptions } from '../core/model/resolve-options';
import { Problem, collectProblems, formatProblem } from '../core/model/errors';
import { LayerValueOverrides, overrideLayerValues } from '../core/resolve/layer-overrides';
import { ProfileSpec } from '../core/model/spec';
import { ClusterStack, ClusterStackProps } from './cluster-stack';
import { InstallPlan } from '../core/model/planned';

/**
 * One cluster of a {@link ClusterFleet}. How its stack reaches the cluster (`kubeconfigPath` and
 * `kubeContext`, or `connection`) and whether the stack gets the `cluster_profiles` and
 * `cluster_layers` outputs (`outputs`) are as for a {@link ClusterStack}.
 *
 * Its resolve options apply to this cluster only, over the fleet's (see `combineResolveOptions`):
 * `registries` (a cluster in an air-gapped site may pull from a mirror), `macros` and
 * `variableValues` merge name by name over the fleet's, this cluster's entries winning. The
 * catalog is the fleet's, and the system macro `{{.spectro.system.cluster.name}}` is the
 * cluster's `name`.
 */
export interface FleetClusterProps extends Pick<ClusterStackProps, 'kubeconfigPath' | 'kubeContext' | 'connection' | 'outputs'>, Omit<ResolveOptions, 'clusterName' | 'catalog'> {
  /**
   * The cluster's name. It names the cluster's stack (`cdktf.out/stacks/<name>`) and so its state:
   * letters, digits, '-' and '_', unique within the app.
   */
  readonly name: string;
  /**
   * Profiles only this cluster gets, applied before the fleet's shared profiles: typically its
   * infrastructure or full profile. Together with the shared profiles they must still be at most
   * one infrastructure or full profile and any number of add-on profiles.
   * @default - only the fleet's profiles
   */
  readonly profiles?: readonly ProfileSpec[];
  /**
   * Values merged over layers of this cluster's profiles, by layer name, with Helm's rules (maps
   * merge, lists and scalars replace, null deletes). Other clusters keep the shared values.
   * @default - no overrides
   */
  readonly layerValues?: LayerValueOverrides;
}

/**
 * Properties of {@link ClusterFleet}. Its resolve options (`registries`, `catalog`, `macros`,
 * `variableValues`: see {@link ResolveOptions}) serve every cluster; a cluster's own win.
 */
export interface ClusterFleetProps extends Omit<ResolveOptions, 'clusterName'> {
  /** Profiles applied to every cluster, usually add-on profiles. */
  readonly profiles: readonly ProfileSpec[];
  /** The clusters, each becoming one stack with its own state and providers. */
  readonly clusters: readonly FleetClusterProps[];
}

const CLUSTER_FLEET = Symbol.for('cdktf-cluster-profiles/ClusterFleet');
/** A stack name: cdktf's output folder name (`stacks/<name>`) and a safe path segment. */
export const STACK_NAME = /^[A-Za-z0-9][-A-Za-z0-9_]*$/;

/**
 * The same profiles applied to several clusters: one {@link ClusterStack} per cluster, named after
 * the cluster, each with its own Terraform state, its own provider configuration and its own
 * values. Create it in the App (or a construct outside any stack); `cdktf synth` writes one
 * `cdktf.out/stacks/<cluster>/cdk.tf.json` per cluster, deployed with `cdktf deploy <cluster>`.
 *
 * Every cluster is planned before any stack is made, and the problems of all clusters are
 * reported at once, each line naming its cluster.
 */
export class ClusterFleet extends Construct {
  /** Whether `x` is a ClusterFleet, also across copies of this package. */
  public static isClusterFleet(x: unknown): x is ClusterFleet {
    return typeof x === 'object' && x !== null && CLUSTER_FLEET in x;
  }

  /** Each cluster's stack, by cluster name, in the order given. */
  public readonly stacks: ReadonlyMap<string, ClusterStack>;

  constructor(scope: Construct, id: string, props: ClusterFleetProps) {
    super(scope, id);
    Object.defineProperty(this, CLUSTER_FLEET, { value: true });
    const inside = this.node.scopes.find((s) => TerraformStack.isStack(s));
    if (inside !== undefined) {
      throw new Error(`ClusterFleet "${id}" is inside stack "${inside.node.id}"; create it in the App, since each cluster gets its own stack`);
    }
    checkClusters(id, props.clusters);
    const plans = planClusters(id, props);
    const stacks = new Map<string, ClusterStack>();
    for (const cluster of props.clusters) {
      stacks.set(cluster.name, new ClusterStack(this, cluster.name, {
        plan: plans.get(cluster.name)!,
        kubeconfigPath: cluster.kubeconfigPath,
        kubeContext: cluster.kubeContext,
        connection: cluster.connection,
        outputs: cluster.outputs,
      }));
    }
    this.stacks = stacks;
  }
}

function checkClusters(id: string, clusters: readonly FleetClusterProps[]): void {
  if (!Array.isArray(clusters) || clusters.length === 0) {
    throw new Error(`ClusterFleet "${id}": clusters must list at least one cluster, found ${JSON.stringify(clusters)}`);
  }
  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (typeof cluster?.name !== 'string' || !STACK_NAME.test(cluster.name)) {
      throw new Error(`ClusterFleet "${id}": cluster name ${JSON.stringify(cluster?.name)} must be letters, digits, '-' and '_', starting with a letter or digit (it names the cluster's stack)`);
    }
    if (seen.has(cluster.name)) {
      throw new Error(`ClusterFleet "${id}": cluster "${cluster.name}" is listed twice; each cluster needs its own name, stack and state`);
    }
    seen.add(cluster.name);
  }
}

function planClusters(id: string, props: ClusterFleetProps): Map<string, InstallPlan> {
  const plans = new Map<string, InstallPlan>();
  // A problem of a profile shared by several clusters is one problem: one line naming each cluster.
  const failures = new Map<string, string[]>();
  for (const cluster of props.clusters) {
    const problems: Problem[] = [];
    const plan = collectProblems(problems, () => {
      const profiles = overrideLayerValues([...(cluster.profiles ?? []), ...props.profiles], cluster.layerValues);
      // The catalog is the fleet's alone; the cluster's name is its cluster-name macro.
      return planCluster(profiles, combineResolveOptions(props, { ...cluster, catalog: undefined, clusterName: cluster.name }));
    });
    if (plan !== undefined) plans.set(cluster.name, plan);
    for (const problem of problems) {
      const line = formatProblem(problem);
      const clusters = failures.get(line) ?? [];
      if (!clusters.includes(cluster.name)) clusters.push(cluster.name);
      failures.set(line, clusters);
    }
  }
  if (failures.size > 0) {
    const lines = [...failures].map(([line, clusters]) => `${clusters.length === 1 ? 'cluster' : 'clusters'} ${clusters.map((c) => `"${c}"`).join(', ')}: ${line}`);
    throw new Error(`ClusterFleet "${id}": ${lines.length} problem${lines.length === 1 ? '' : 's'} in the clusters' profiles:\n  ${lines.join('\n  ')}`);
  }
  return plans;
}
