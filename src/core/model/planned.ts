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

/** What every planned resource has. */
export interface PlannedResourceBase {
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

/** A Helm release of a Helm layer. */
export interface PlannedRelease extends PlannedResourceBase {
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
  readonly type: 'kubernetes_manifest';
  readonly layer: string;
  readonly document: ManifestDocument;
  readonly readiness: Readiness;
  readonly timeoutSeconds: number;
}

/** A namespace the profiles own: created before its first user, destroyed after its last. */
export interface PlannedNamespace extends PlannedResourceBase {
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
 * fields of a layer's {@link PlannedRelease} but `layer` and `values`, and like every namespace
 * resource its `namespace` is the namespace it stands for.
 */
export interface PlannedRetainedNamespace extends Omit<PlannedRelease, 'type' | 'layer' | 'values'> {
  readonly type: 'helm_release';
  /** Always true: tells a retained namespace from a layer's release. */
  readonly retained: true;
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

/** Whether a planned resource is a namespace the profiles own, retained or not. */
export function isOwnedNamespace(r: PlannedResource): r is PlannedOwnedNamespace {
  return r.type === 'kubernetes_namespace_v1' || (r.type === 'helm_release' && 'retained' in r);
}

/** Whether a planned resource is a Helm release of a layer (not the release of a retained namespace). */
export function isLayerRelease(r: PlannedResource): r is PlannedRelease {
  return r.type === 'helm_release' && !('retained' in r) && r.layer !== undefined;
}

/** Labels or annotations a layer sets on a namespace the profiles do not own. */
export interface PlannedNamespacePatch extends PlannedResourceBase {
  readonly type: 'kubernetes_labels' | 'kubernetes_annotations';
  readonly layer: string;
  readonly namespace: string;
  readonly entries: Readonly<Record<string, string>>;
}

/** The gate after a tier: ready when every resource of the tier (and every earlier tier) is. */
export interface PlannedGate extends PlannedResourceBase {
  readonly type: 'terraform_data';
}

/**
 * A Zarf layer: a `terraform_data` (`terraform_data.zarf--<layer>`, a name no tier gate takes)
 * whose create-time provisioner deploys the package with the Zarf CLI and whose destroy-time
 * provisioner removes it. A change of `triggers` replaces it: remove, then deploy.
 */
export interface PlannedZarfPackage extends PlannedResourceBase {
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

/** Any planned resource. */
export type PlannedResource = PlannedRelease | PlannedManifest | PlannedNamespace | PlannedRetainedNamespace | PlannedNamespacePatch | PlannedGate | PlannedZarfPackage | PlannedReadinessCheck;

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
  /** The `os` and `k8s` layers: they describe the cluster and deploy nothing. */
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
export interface PlannedManifestChart extends PlannedRelease {
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

/** Whether a planned resource is the release of a generated chart. */
export function isManifestChart(resource: PlannedResource): resource is PlannedManifestChart {
  return resource.type === 'helm_release' && 'manifestChart' in resource;
}

/**
 * The readiness check after a generated chart's release: a `terraform_data` whose create-time
 * provisioner runs `kubectl wait` for the objects `pack.readiness` names, each call bounded by the
 * layer's budget. A new chart version replaces it, so it waits again after every upgrade.
 */
export interface PlannedReadinessCheck extends PlannedResourceBase {
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
