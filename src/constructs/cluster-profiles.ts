import { Release } from '@cdktf/provider-helm/lib/release';
import { Annotations as NamespaceAnnotations } from '@cdktf/provider-kubernetes/lib/annotations';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { Manifest, ManifestWait } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Annotations, dependable, TerraformAsset, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { planCluster } from '../core';
import { ResolveOptions, combineResolveOptions } from '../core/model/resolve-options';
import { formatProblem } from '../core/model/errors';
import { findHazards, formatHazard } from '../core/report/hazards';
import { ProfileSpec } from '../core/model/spec';
import { Readiness } from '../core/model/resolved';
import { describePlan } from '../core/report/plan-summary';
import { retainedNamespaceRelease } from './retained-namespace';
import { StateBlocks } from './state-blocks';
import { declareProfileVariables, escapeDeepWithVariables, escapeWithVariables } from './profile-variables';
import { TerraformData } from './terraform-data';
import { escapeDeep, escapeMap, escapeTemplate, nonEmpty } from '../core/resolve/terraform-escape';
import { zarfPackage } from './zarf-package';
import { KubectlAccess, manifestChartAsset, manifestChartRelease, readinessCheck } from './manifest-chart';
import { childId } from './construct-id';
import { InstallPlan, PlannedNamespacePatch, PlannedResource, PlannedManifestChart, unhandledRole } from '../core/model/planned';

/**
 * Properties of {@link ClusterProfiles}. The resolve options (`registries`, `catalog`,
 * `clusterName`, `macros`, `variableValues`: see {@link ResolveOptions}) are ignored when `plan`
 * is given.
 */
export interface ClusterProfilesProps extends ResolveOptions {
  /**
   * The cluster's profiles: at most one infrastructure or full profile and any number of add-on
   * profiles. Ignored when `plan` is given.
   * @default - `plan` must be given
   */
  readonly profiles?: readonly ProfileSpec[];
  /**
   * A plan made beforehand with `planCluster`, so the caller can inspect it first.
   * @default - planned from `profiles`
   */
  readonly plan?: InstallPlan;
  /**
   * The helm provider to use.
   * @default - the stack's default helm provider
   */
  readonly helmProvider?: TerraformProvider;
  /**
   * The kubernetes provider to use.
   * @default - the stack's default kubernetes provider
   */
  readonly kubernetesProvider?: TerraformProvider;
  /**
   * Whether to add the `cluster_profiles` and `cluster_layers` outputs.
   * @default true
   */
  readonly outputs?: boolean;
  /**
   * The cluster's name, for the `{{.spectro.system.cluster.name}}` macro. Ignored when `plan` is given.
   * @default - the name of the stack holding this construct
   */
  readonly clusterName?: string;
  /**
   * The kubeconfig the Zarf CLI of Zarf layers reads (given to it as `KUBECONFIG`): a path or a
   * Terraform expression. `ClusterStack` sets it to its `kubeconfig_path`.
   * @default - the Zarf CLI's default: `$KUBECONFIG`, else `~/.kube/config`, current context
   */
  readonly zarfKubeconfig?: string;
  /**
   * How `kubectl` reaches the cluster for the readiness checks of layers whose manifests install as
   * a generated chart and declare `pack.readiness` (see `readiness.ts`): its kubeconfig (a path or a
   * Terraform expression) and context. `ClusterStack` sets both from `kubeconfig_path` and
   * `kubeContext`.
   * @default - kubectl's own defaults: `$KUBECONFIG`, else `~/.kube/config`, current context
   */
  readonly kubectl?: KubectlAccess;
}

const CLUSTER_PROFILES = Symbol.for('cdktf-cluster-profiles/ClusterProfiles');

/**
 * The layers of one cluster's profiles as Terraform resources: namespaces, Helm releases (one per
 * chart, and one per manifest layer, of a chart generated from its documents), `kubernetes_manifest`
 * per document for layers that ask for it, namespace label and annotation patches, and one
 * `terraform_data` gate per tier. Terraform creates them tier by tier and destroys them in reverse.
 *
 * Resource names come from layer and namespace names only (`helm_release.cert-manager`,
 * `kubernetes_namespace_v1.monitoring`), so editing one layer never renames another's resources.
 * A stack holds one ClusterProfiles: a second one in the same stack is an error at construction
 * (their resources would share addresses). Give each cluster a stack of its own (`ClusterStack`,
 * `ClusterFleet`): each cluster then has its own state, and one cluster's plan never waits on
 * another's resources.
 */
export class ClusterProfiles extends Construct {
  /** Whether `x` is a ClusterProfiles, also across copies of this package. */
  public static isClusterProfiles(x: unknown): x is ClusterProfiles {
    return typeof x === 'object' && x !== null && CLUSTER_PROFILES in x;
  }

  /** The install plan the resources were made from. */
  public readonly plan: InstallPlan;

  /** Every resource made, by Terraform address. */
  public readonly resources: ReadonlyMap<string, TerraformResource>;

  /** Each tier's gate (`terraform_data.tier_<priority>`), in install order, for resources of your own to wait for. */
  public readonly gates: readonly TerraformData[];

  constructor(scope: Construct, id: string, props: ClusterProfilesProps) {
    super(scope, id);
    Object.defineProperty(this, CLUSTER_PROFILES, { value: true });
    refuseSecondInStack(this);
    if (props.plan === undefined && props.profiles === undefined) {
      throw new Error(`ClusterProfiles "${id}": give either profiles or plan`);
    }
    this.plan = props.plan ?? planCluster(props.profiles!, combineResolveOptions({ clusterName: enclosingStackName(this) }, props));
    // Profile variables become the stack's input variables, named as in the profiles (var.NAME).
    if ((this.plan.variables ?? []).length > 0) declareProfileVariables(new Construct(this, 'variables'), this.plan.variables);
    const made = new Map<string, TerraformResource>();
    const layers = new Construct(this, 'layers');
    const namespaces = new Construct(this, 'namespaces');
    const tiers = new Construct(this, 'tiers');
    const layerScopes = new Map<string, Construct>();
    const layerScope = (name: string): Construct => {
      let s = layerScopes.get(name);
      if (s === undefined) {
        s = new Construct(layers, childId(layers, name));
        layerScopes.set(name, s);
      }
      return s;
    };
    for (const planned of this.plan.resources) {
      // Only namespaces and tier gates serve several layers (they have no `layer`).
      const scopeFor = planned.layer !== undefined ? layerScope(planned.layer) : planned.role === 'tier-gate' ? tiers : namespaces;
      const resource = this.makeResource(scopeFor, planned, props);
      resource.overrideLogicalId(planned.name);
      made.set(planned.address, resource);
    }
    // Wired after every resource exists: a namespace may be planned after a release that needs it.
    for (const planned of this.plan.resources) {
      const deps = planned.dependsOn.map((a) => made.get(a)!);
      // `dependable` renders the bare address Terraform requires in depends_on (`helm_release.x`);
      // a resource's `fqn` would render `${helm_release.x}`, which `terraform validate` rejects.
      if (deps.length > 0) made.get(planned.address)!.dependsOn = deps.map((d) => dependable(d));
    }
    this.resources = made;
    this.gates = this.plan.tiers.map((t) => made.get(t.gate) as TerraformData);
    // Addresses Terraform forgets rather than destroys: a retained namespace's, and the documents'
    // kubernetes_manifest addresses of a layer installed as a generated chart (manifest-strategy.ts).
    const forgotten = [...new Set(this.plan.resources.flatMap((r) => (r.role === 'retained-namespace' ? [r.forgets] : r.role === 'manifest-chart' ? r.forgets : [])))].filter((a) => !made.has(a)).sort();
    if (this.plan.moves.length > 0 || forgotten.length > 0) new StateBlocks(this, 'state-blocks', { moved: this.plan.moves, forgotten });
    for (const hazard of findHazards(this.plan)) Annotations.of(this).addWarning(formatHazard(hazard));
    for (const warning of this.plan.warnings ?? []) Annotations.of(this).addWarning(formatProblem(warning));
    if (props.outputs !== false) this.addOutputs();
  }

  /**
   * The gate of the last tier: ready when every layer of the cluster is. Hang resources of your own
   * on it (`dependsOn: [profiles.lastGate]`) to create them after the whole cluster and destroy them
   * before it. Undefined when the profiles deploy nothing.
   */
  public get lastGate(): TerraformData | undefined {
    return this.gates[this.gates.length - 1];
  }

  /** The gate of the tier `layer` installs in; throws when no layer of that name deploys anything. */
  public gateOf(layer: string): TerraformData {
    const tier = this.plan.tiers.findIndex((t) => t.layers.some((l) => l.name === layer));
    if (tier < 0) throw new Error(`ClusterProfiles "${this.node.id}": no layer "${layer}" is installed; installed layers: ${this.installedLayers()}`);
    return this.gates[tier];
  }

  /**
   * The Helm releases of a layer, sorted by address: one per chart of a Helm or registry-pack layer,
   * one for a manifest layer installed as a generated chart. Throws when no layer of that name deploys
   * anything; empty for a layer installed without Helm (`manifestStrategy: manifest`, Zarf).
   */
  public releasesOf(layer: string): Release[] {
    return this.resourcesOf(layer).filter((r): r is Release => r instanceof Release);
  }

  /** Every resource of a layer (releases, manifests, readiness checks, namespace patches), sorted by address. */
  public resourcesOf(layer: string): TerraformResource[] {
    const addresses = this.plan.resources.filter((r) => r.layer === layer).map((r) => r.address);
    if (addresses.length === 0) throw new Error(`ClusterProfiles "${this.node.id}": no layer "${layer}" is installed; installed layers: ${this.installedLayers()}`);
    return addresses.sort().map((a) => this.resources.get(a)!);
  }

  private installedLayers(): string {
    return [...new Set(this.plan.resources.flatMap((r) => (r.layer !== undefined ? [r.layer] : [])))].sort().map((l) => `"${l}"`).join(', ') || 'none';
  }

  /**
   * The asset of a layer's generated chart. Its folder in the output (`assets/<asset id>/<hash>`) is
   * the release's `chart`, so the asset is named after the chart, which keeps the layer's first name
   * (`pack.previousNames`): renaming a layer leaves its release unchanged. Two charts of one name (a
   * manifest layer `x-manifests` and the manifests of a registry pack `x`) are told apart by the
   * second one's resource name.
   */
  private chartAsset(planned: PlannedManifestChart): TerraformAsset {
    const charts = (this.node.tryFindChild('charts') as Construct | undefined) ?? new Construct(this, 'charts');
    const name = planned.manifestChart.name;
    const id = childId(charts, name);
    return manifestChartAsset(charts, charts.node.tryFindChild(id) === undefined ? id : `${id}.${planned.name}`, planned.manifestChart);
  }

  private makeResource(scope: Construct, planned: PlannedResource, props: ClusterProfilesProps): TerraformResource {
    const id = childId(scope, planned.name, planned.type);
    const kubernetes = props.kubernetesProvider;
    // Exhaustive: a role added to the plan fails to compile here until it is given its resource.
    switch (planned.role) {
      case 'namespace':
        return new NamespaceV1(scope, id, {
          provider: kubernetes,
          metadata: {
            name: planned.namespace,
            labels: nonEmpty(escapeMap(planned.labels)),
            annotations: nonEmpty(escapeMap(planned.annotations)),
          },
        });
      case 'retained-namespace':
        return retainedNamespaceRelease(scope, id, planned, props.helmProvider);
      case 'manifest-chart':
        // A layer's documents as a generated chart, whose files are an asset of the stack.
        return manifestChartRelease(scope, id, planned, this.chartAsset(planned), props.helmProvider);
      case 'chart-release':
        return new Release(scope, id, {
          provider: props.helmProvider,
          name: planned.releaseName,
          namespace: planned.namespace,
          repository: escapeTemplate(planned.repository),
          chart: planned.chart,
          version: planned.version,
          values: planned.values !== undefined ? [escapeWithVariables(planned.values)] : undefined,
          createNamespace: false,
          wait: true,
          waitForJobs: true,
          timeout: planned.timeoutSeconds,
        });
      case 'manifest':
        return new Manifest(scope, id, {
          provider: kubernetes,
          manifest: escapeDeepWithVariables(planned.document.object) as Record<string, unknown>,
          wait: manifestWait(planned.readiness),
          timeouts: { create: `${planned.timeoutSeconds}s`, update: `${planned.timeoutSeconds}s`, delete: `${planned.timeoutSeconds}s` },
        });
      case 'namespace-patch':
        return namespacePatch(scope, id, planned, kubernetes);
      case 'zarf-package':
        return zarfPackage(scope, id, planned, props.zarfKubeconfig);
      case 'readiness-check':
        return readinessCheck(scope, id, planned, props.kubectl);
      case 'tier-gate': {
        const tier = this.plan.tiers[planned.tier];
        return new TerraformData(scope, id, { input: { tier: tier.label, layers: tier.layers.map((l) => l.name) } });
      }
      default:
        return unhandledRole(planned);
    }
  }

  private addOutputs(): void {
    const summary = describePlan(this.plan);
    const profiles = new TerraformOutput(this, 'profiles-output', {
      description: 'The cluster profiles applied, with their versions',
      value: escapeDeep(summary.profiles),
    });
    profiles.overrideLogicalId('cluster_profiles');
    const layers = new TerraformOutput(this, 'layers-output', {
      description: 'Every layer with its kind, version (and the version train it was resolved from), namespace and install tier',
      value: escapeDeep(summary.layers),
    });
    layers.overrideLogicalId('cluster_layers');
  }
}

/** A layer's labels or annotations on a namespace the profiles do not own, under the layer's own field manager. */
function namespacePatch(scope: Construct, id: string, planned: PlannedNamespacePatch, provider?: TerraformProvider): Labels | NamespaceAnnotations {
  const target = { provider, apiVersion: 'v1', kind: 'Namespace', metadata: { name: planned.namespace }, fieldManager: `cluster-profiles-${planned.layer}` };
  const entries = escapeMap(planned.entries);
  return planned.type === 'kubernetes_labels' ? new Labels(scope, id, { ...target, labels: entries }) : new NamespaceAnnotations(scope, id, { ...target, annotations: entries });
}

function manifestWait(readiness: Readiness): ManifestWait | undefined {
  if (readiness === undefined) return undefined;
  if ('rollout' in readiness) return { rollout: true };
  return { condition: [{ type: readiness.condition.type, status: readiness.condition.status }] };
}

/**
 * Refuses a second ClusterProfiles in one stack: resource names come from layer and namespace names,
 * so two clusters in one stack would share addresses and one would silently replace the other.
 */
function refuseSecondInStack(profiles: ClusterProfiles): void {
  const stack = profiles.node.scopes.find((s) => TerraformStack.isStack(s));
  if (stack === undefined) return;
  const other = stack.node.findAll().find((c) => c !== profiles && ClusterProfiles.isClusterProfiles(c));
  if (other === undefined) return;
  throw new Error(
    `ClusterProfiles "${profiles.node.path}": stack "${stack.node.id}" already holds ClusterProfiles "${other.node.path}"; ` +
      'a stack holds one cluster, since resource addresses come from layer and namespace names. ' +
      'Give each cluster a stack of its own (ClusterStack, or ClusterFleet for many clusters)',
  );
}

/** The name of the stack holding `scope`, if it is in one. */
function enclosingStackName(scope: Construct): string | undefined {
  const stack = scope.node.scopes.find((s) => TerraformStack.isStack(s));
  return stack?.node.id;
}
