/**
 * The planned model: the Terraform resources a cluster's install plan consists of, grouped in
 * tiers, with the edges between them. Pure data; the constructs turn it into cdktf resources.
 */

import { Location, Problem } from './errors';
import { ManifestDocument, ResolvedLayer, ResolvedProfile, ClusterVariable, Readiness, ReadinessRule } from './resolved';

/** A tier's place in the install order: an infrastructure slot, or an add-on install priority. */
export type TierPriority = 'infra:cni' | 'infra:csi' | number;

/** The Terraform resource types the plan uses. */
export type ResourceType =
  | 'helm_release'
  | 'kubernetes_manifest'
  | 'kubernetes_namespace_v1'
  | 'kubernetes_labels'
  | 'kubernetes_annotations'
  | 'terraform_data';

/**
 * What a planned resource is for, one value per kind of {@link PlannedResource}. Several roles share
 * a Terraform type (a chart's release, a generated chart's and a retained namespace's are all
 * `helm_release`; a tier gate, a Zarf package and a readiness check are all `terraform_data`), so
 * code that tells planned resources apart tests `role`, never `type` or the fields a resource carries.
 * The role is the planner's own: it appears in no output.
 *
 * - `chart-release`: the Helm release of a chart a layer names ({@link PlannedRelease}).
 * - `manifest-chart`: the Helm release of a chart generated from a layer's documents ({@link PlannedManifestChart}).
 * - `manifest`: one Kubernetes object of a layer, as a `kubernetes_manifest` ({@link PlannedManifest}).
 * - `namespace`: a namespace the profiles own ({@link PlannedNamespace}).
 * - `retained-namespace`: a namespace the profiles own and keep on removal ({@link PlannedRetainedNamespace}).
 * - `namespace-patch`: a layer's labels or annotations on a namespace the profiles do not own ({@link PlannedNamespacePatch}).
 * - `tier-gate`: the gate after a tier ({@link PlannedGate}).
 * - `zarf-package`: the deployment of a Zarf layer's package ({@link PlannedZarfPackage}).
 * - `readiness-check`: the `kubectl wait` after a generated chart's release ({@link PlannedReadinessCheck}).
 */
export type PlannedRole =
  | 'chart-release'
  | 'manifest-chart'
  | 'manifest'
  | 'namespace'
  | 'retained-namespace'
  | 'namespace-patch'
  | 'tier-gate'
  | 'zarf-package'
  | 'readiness-check';

/** What every planned resource has. */
export interface PlannedResourceBase {
  /** What the resource is for (see {@link PlannedRole}); each kind of planned resource narrows it to its own. */
  readonly role: PlannedRole;
  readonly type: ResourceType;
  /** The Terraform resource name: derived from stable user names only. */
  readonly name: string;
  /** `type.name`. */
  readonly address: string;
  /** The tier the resource is created in (index into `InstallPlan.tiers`). */
  readonly tier: number;
  /** Addresses this resource waits for, sorted. */
  readonly dependsOn: readonly string[];
  /** The layer the resource belongs to; undefined for namespaces and gates, which serve several. */
  readonly layer?: string;
}

/** The Helm release of a chart a layer names: a Helm layer's chart, or one chart of a registry pack. */
export interface PlannedRelease extends PlannedResourceBase {
  /** Always `chart-release`. */
  readonly role: 'chart-release';
  readonly type: 'helm_release';
  readonly layer: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  readonly values?: string;
  readonly timeoutSeconds: number;
}

/** One Kubernetes object of a manifest layer. */
export interface PlannedManifest extends PlannedResourceBase {
  /** Always `manifest`. */
  readonly role: 'manifest';
  readonly type: 'kubernetes_manifest';
  readonly layer: string;
  readonly document: ManifestDocument;
  readonly readiness: Readiness;
  readonly timeoutSeconds: number;
}

/** A namespace the profiles own: created before its first user, destroyed after its last. */
export interface PlannedNamespace extends PlannedResourceBase {
  /** Always `namespace`. */
  readonly role: 'namespace';
  readonly type: 'kubernetes_namespace_v1';
  readonly namespace: string;
  /** Layers that name it in `pack.namespace` or `pack.additionalNamespaces`, sorted. */
  readonly owners: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * A namespace the profiles own and a layer retains (`pack.retainNamespace`): created like any other,
 * but kept when its layers are removed or the stack is destroyed. It is a Helm release of a chart
 * generated for it (see `retained-namespace.ts`), recorded in the `default` namespace. It has the
 * fields of a layer's {@link PlannedRelease} but `role`, `layer` and `values`, and like every namespace
 * resource its `namespace` is the namespace it stands for.
 */
export interface PlannedRetainedNamespace extends Omit<PlannedRelease, 'role' | 'type' | 'layer' | 'values'> {
  /** Always `retained-namespace`: tells a retained namespace from a layer's release. */
  readonly role: 'retained-namespace';
  readonly type: 'helm_release';
  /** Retained namespaces serve several layers, like namespaces. */
  readonly layer?: undefined;
  /** The namespace kept (not where the release is recorded: that is `releaseNamespace`). */
  readonly namespace: string;
  /** The namespace the Helm release is recorded in. */
  readonly releaseNamespace: string;
  /** Layers that name it in `pack.namespace` or `pack.additionalNamespaces`, sorted. */
  readonly owners: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * The generated chart whose one object is the Namespace, with its labels and annotations; `chart`
   * is its name, `version` its content-hash version, `repository` empty.
   */
  readonly namespaceChart: ManifestChart;
  /**
   * The address the namespace has when not retained (`kubernetes_namespace_v1.<name>`): Terraform is
   * told to forget it rather than destroy it (a `removed` block), so setting `retainNamespace` on an
   * existing namespace never deletes it.
   */
  readonly forgets: string;
}

/** A namespace the profiles own, retained or not. */
export type PlannedOwnedNamespace = PlannedNamespace | PlannedRetainedNamespace;

/** Labels or annotations a layer sets on a namespace the profiles do not own. */
export interface PlannedNamespacePatch extends PlannedResourceBase {
  /** Always `namespace-patch`; `type` tells labels from annotations. */
  readonly role: 'namespace-patch';
  readonly type: 'kubernetes_labels' | 'kubernetes_annotations';
  readonly layer: string;
  readonly namespace: string;
  readonly entries: Readonly<Record<string, string>>;
}

/** The gate after a tier: ready when every resource of the tier (and every earlier tier) is. */
export interface PlannedGate extends PlannedResourceBase {
  /** Always `tier-gate`. */
  readonly role: 'tier-gate';
  readonly type: 'terraform_data';
}

/**
 * A Zarf layer: a `terraform_data` (`terraform_data.zarf--<layer>`, a name no tier gate takes)
 * whose create-time provisioner deploys the package with the Zarf CLI and whose destroy-time
 * provisioner removes it. A change of `triggers` replaces it: remove, then deploy.
 */
export interface PlannedZarfPackage extends PlannedResourceBase {
  /** Always `zarf-package`. */
  readonly role: 'zarf-package';
  readonly type: 'terraform_data';
  readonly layer: string;
  /** `zarf package deploy ... --confirm`, for a POSIX shell. */
  readonly deployCommand: string;
  /** `zarf package remove ... --confirm`, for a POSIX shell. */
  readonly removeCommand: string;
  /** Environment of the deploy command: one `--set-variables` item per Zarf variable. */
  readonly environment: Readonly<Record<string, string>>;
  /** What replaces the deployment when it changes. */
  readonly triggers: {
    readonly package: string;
    readonly version: string;
    readonly variables: Readonly<Record<string, string>>;
    readonly components: readonly string[];
  };
}

/** Any planned resource; `role` tells which. */
export type PlannedResource =
  | PlannedRelease
  | PlannedManifestChart
  | PlannedManifest
  | PlannedNamespace
  | PlannedRetainedNamespace
  | PlannedNamespacePatch
  | PlannedGate
  | PlannedZarfPackage
  | PlannedReadinessCheck;

/** A Helm release of a layer: of a chart the layer names, or of a chart generated from its documents. */
export type PlannedLayerRelease = PlannedRelease | PlannedManifestChart;

/**
 * The `default` of a `switch` on a planned resource's `role` that handles every role: it compiles
 * only while every role is handled (`resource` is then `never`), so a role added to
 * {@link PlannedRole} fails to compile wherever it is not. Throws if reached anyway (a plan built by
 * hand with an unknown role).
 */
export function unhandledRole(resource: never): never {
  const r = resource as PlannedResourceBase;
  throw new Error(`planned resource ${r.address} has role "${r.role}", which is not handled here`);
}

/** One install tier: layers that deploy together, in parallel. */
export interface PlannedTier {
  readonly priority: TierPriority;
  /** `infra:cni`, `infra:csi` or `priority 30`. */
  readonly label: string;
  /** The layers of the tier, sorted by name. */
  readonly layers: readonly ResolvedLayer[];
  /** The address of the tier's gate. */
  readonly gate: string;
}

/** A size at or above 80% of its limit (`SIZE_HAZARD_SHARE`, plan/release-size.ts): above the limit an error, else a hazard. */
export interface SizeFinding {
  /** The layer the release or object belongs to. */
  readonly layer: string;
  /** Where the object was written (its manifest and document), or the layer for a release. */
  readonly where: Location;
  /** Above the limit. */
  readonly over: boolean;
  /** What is how large, against which limit, and what to do; without the location. */
  readonly message: string;
}

/** The finished install plan of one cluster: everything the constructs need, and nothing more. */
export interface InstallPlan {
  readonly profiles: readonly ResolvedProfile[];
  /** The `os` and `k8s` layers: they describe the cluster and deploy nothing (see `slotDeploys`). */
  readonly clusterLayers: readonly ResolvedLayer[];
  /** Tiers in install order; destroy runs them in reverse. */
  readonly tiers: readonly PlannedTier[];
  /** Every resource, in tier order then by address. */
  readonly resources: readonly PlannedResource[];
  /** Resources of renamed layers (`pack.previousNames`) to move in the state, sorted by `from`. */
  readonly moves: readonly PlannedMove[];
  /**
   * Generated charts' releases and objects at or above 80% of the size Kubernetes accepts, measured
   * once while planning: those above it stopped the plan, the others are hazards.
   */
  readonly sizes: readonly SizeFinding[];
  /** The profile variables, sorted by name: each becomes a Terraform input variable of the stack. */
  readonly variables: readonly ClusterVariable[];
  /**
   * What did not stop planning but deserves a word (see `ResolvedCluster.warnings`).
   * @default - none
   */
  readonly warnings?: readonly Problem[];
}

/**
 * A layer's documents installed as a generated chart: a Helm release whose chart is a local asset.
 * A layer has one for its CustomResourceDefinitions when it has any (`holds: 'crds'`, see
 * `crd-release.ts`), and one for its other objects (`holds: 'objects'`), which waits for the first.
 */
export interface PlannedManifestChart extends Omit<PlannedRelease, 'role'> {
  /** Always `manifest-chart`. */
  readonly role: 'manifest-chart';
  /** The generated chart; `chart` is its name, `version` its version, `repository` empty. */
  readonly manifestChart: ManifestChart;
  /** What the chart holds: the layer's CRDs, or its other objects. */
  readonly holds: 'crds' | 'objects';
  /**
   * The addresses the layer's documents have under the `manifest` strategy (one
   * `kubernetes_manifest` each, under the layer's name and every earlier name), sorted: Terraform
   * forgets them rather than destroying them (`removed` blocks), and the release takes ownership of
   * their objects, so a layer installed with `manifest` moves to the chart without deleting anything.
   * The release of the objects lists every document's, the release of the CRDs none.
   */
  readonly forgets: readonly string[];
}

/**
 * The readiness check after a generated chart's release: a `terraform_data` whose create-time
 * provisioner runs `kubectl wait` for the objects `pack.readiness` names, each call bounded by the
 * layer's budget. A new chart version replaces it, so it waits again after every upgrade.
 */
export interface PlannedReadinessCheck extends PlannedResourceBase {
  /** Always `readiness-check`. */
  readonly role: 'readiness-check';
  readonly type: 'terraform_data';
  readonly layer: string;
  /** The `kubectl wait` calls, run in turn. */
  readonly waits: readonly KubectlWait[];
  /** Each wait's budget, in seconds: the layer's timeout. */
  readonly timeoutSeconds: number;
  /** What runs the check again when it changes: the release and its chart version. */
  readonly replaceWhen: { readonly release: string; readonly chartVersion: string };
}

/** Objects `kubectl wait` checks for one condition in one namespace (none for cluster-scoped objects). */
export interface KubectlWait {
  /** The objects' namespace; undefined for cluster-scoped objects. */
  readonly namespace?: string;
  readonly condition: string;
  readonly status: ReadinessRule['status'];
  /** `kind.version.group/name` (`certificate.v1.cert-manager.io/platform-ca`), sorted. */
  readonly objects: readonly string[];
}

/**
 * A renamed layer's resource, moved in Terraform's state from the address the old name gave it to
 * the address it has now (a Terraform `moved` block), so that the rename neither destroys nor
 * recreates it.
 */
export interface PlannedMove {
  /** The layer, by its current name. */
  readonly layer: string;
  /** The address under an earlier name. */
  readonly from: string;
  /** The address under the next name in the layer's history (its current name for the last move). */
  readonly to: string;
}

/** One file of a generated chart. */
export interface ManifestChartFile {
  /** Relative to the chart's folder, with `/`. */
  readonly path: string;
  readonly content: string;
}

/** A generated Helm chart: a layer's documents, or a retained namespace (see `retained-namespace.ts`). */
export interface ManifestChart {
  /** The chart's name: for a layer's documents, the release's name. */
  readonly name: string;
  /** `0.0.0-sha256-<12 hex digits>`: changes with any file. */
  readonly version: string;
  /** The SHA-256 of the chart's content (name and files), hex. */
  readonly hash: string;
  /** Every file, `Chart.yaml` included, sorted by path. */
  readonly files: readonly ManifestChartFile[];
  /**
   * Strings that use profile variables, by the token that stands for them in the files. Each value
   * is the document's string as written (with `{{.spectro.var.NAME}}`), for the construct to turn
   * into a Terraform expression.
   */
  readonly references: Readonly<Record<string, string>>;
  /**
   * The tokens among `references` whose string is one variable alone in a field that takes only
   * strings in the object's Kubernetes schema (ConfigMap `data`, labels, annotations): a number or
   * bool variable is written there as its text, not as a JSON number or bool.
   */
  readonly textReferences?: readonly string[];
  /**
   * Each object the chart installs, by `<apiVersion> <kind> [<namespace>/]<name>`, with
   * `sha256:<12 hex digits>` of its file: the release shows it in its values
   * (one line per object), so that a plan names the objects added, changed and removed.
   */
  readonly digests: Readonly<Record<string, string>>;
}
