/**
 * The resolved model: a cluster's profiles after validation and resolution (registry packs looked
 * up, presets, macros and variables applied, manifests read), ready for planning. Pure data.
 */

import { Location, Problem } from './errors';
import { VariableFormat, ProfileVariableSpec, ProfileType, LayerKind, LayerSlot } from './spec';
/**
 * How a layer's manifest documents (a manifest layer's, or a registry pack's manifests) become
 * Terraform resources:
 * - `chart`: one `helm_release` of a chart generated from the documents (see `manifest-chart.ts`).
 *   It plans with no cluster and no CRD in place, so custom resources install on the first apply
 *   after the CRDs of an earlier tier; Helm's `wait` covers the objects, and `pack.readiness`
 *   conditions are checked by `kubectl wait` after the release. The plan shows a new chart version
 *   when anything changes, not the changed fields.
 * - `manifest`: one `kubernetes_manifest` per document, with a per-object readiness wait and
 *   field-level diffs in the plan. The provider reaches the API server at plan time and cannot plan
 *   a custom resource whose CRD is not yet in the cluster (hashicorp/terraform-provider-kubernetes#1367).
 *
 * The default is `chart` for every layer: one resource per layer keeps Terraform's cost of ordering
 * low (it records every resource's transitive dependencies, about N^2/2 entries for N ordered
 * resources; see the README's performance section). `pack.manifestStrategy: manifest` picks one
 * `kubernetes_manifest` per document. Moving a layer from `manifest` to `chart` deletes nothing: the
 * plan tells Terraform to forget the documents' `kubernetes_manifest` addresses (`removed` blocks),
 * and the release takes ownership of the objects already in the cluster. Moving back replaces the
 * objects.
 */
export type ManifestStrategy = 'chart' | 'manifest';

/** Every manifest strategy. */
export const MANIFEST_STRATEGIES: readonly ManifestStrategy[] = ['chart', 'manifest'];

/** One `pack.readiness` entry: objects of a kind are ready when a condition has a status. */
export interface ReadinessRule {
  /** The kind (`Certificate`). */
  readonly kind: string;
  /**
   * The API group (`cert-manager.io`; `""` for the core group).
   * @default - any group
   */
  readonly group?: string;
  /** The condition type (`Ready`). */
  readonly condition: string;
  /**
   * The status the condition must have.
   * @default 'True'
   */
  readonly status: 'True' | 'False' | 'Unknown';
}

/** What a layer's `pack:` block says about the layer. */
export interface LayerSettings {
  /** The namespace the layer deploys into, if it names one. */
  readonly namespace?: string;
  /** Further namespaces the layer creates, in the order given, without duplicates. */
  readonly additionalNamespaces: readonly string[];
  /** Labels to set, by target namespace. */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Annotations to set, by target namespace. */
  readonly namespaceAnnotations: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The install priority; 0 when not set. */
  readonly installPriority: number;
  /** The display name, if set. */
  readonly displayName?: string;
  /** Chart name to Helm release name. */
  readonly releaseNameOverride: Readonly<Record<string, string>>;
  /**
   * `pack.previousNames`: the names the layer had before, oldest first. Its resources are moved
   * (Terraform `moved` blocks) from the addresses those names gave them, so a rename destroys nothing.
   */
  readonly previousNames: readonly string[];
  /**
   * `pack.retainNamespace`: whether the namespaces the layer creates are kept when the layer is
   * removed or the stack destroyed. False when not set.
   */
  readonly retainNamespace: boolean;
  /**
   * `pack.schemaCheck`: false turns off the check of the layer's manifest documents against the
   * Kubernetes API schema and the CRDs in the profiles (see `schema-check.ts`). On when not set.
   */
  readonly schemaCheck?: boolean;
  /**
   * `pack.manifestStrategy`: how the layer's manifest documents are installed, `chart` (one Helm
   * release of a generated chart) or `manifest` (one `kubernetes_manifest` per document); see
   * `manifest-strategy.ts`. Undefined when not set: `chart`.
   */
  readonly manifestStrategy?: ManifestStrategy;
  /**
   * `pack.providesCrds`: CRDs the layer installs without listing them as documents (a Helm chart's
   * `installCRDs: true`), by name (`certificates.cert-manager.io`) or group (`*.cert-manager.io`),
   * sorted; see `classify.ts`. Empty when not set.
   */
  readonly providesCrds: readonly string[];
  /**
   * `pack.readiness`: conditions the layer's objects of a kind must reach before the next tier
   * starts, such as `[{kind: Certificate, condition: Ready}]`; see `readiness.ts`. Empty when not set.
   */
  readonly readiness: readonly ReadinessRule[];
}

/** One Kubernetes object from a manifest layer. */
export interface ManifestDocument {
  /** The manifest it came from. */
  readonly manifest: string;
  /** Its 1-based position among the documents of that manifest, counting empty ones. */
  readonly position: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The namespace it lives in; undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  /** The object as it goes to the cluster, with the namespace filled in where it was left out. */
  readonly object: Readonly<Record<string, unknown>>;
}

/** One Helm release of a pack layer. */
export interface ResolvedRelease {
  /** The chart's name, in the pack and in its repository. */
  readonly chart: string;
  readonly repository: string;
  /** The chart's exact version. */
  readonly version: string;
  /** The chart name, or `pack.releaseNameOverride.<chart>`. */
  readonly releaseName: string;
  /** The release's values as YAML; undefined when there are none. */
  readonly values?: string;
}

/**
 * A pack manifest that is a Go template over its values (`{{ if .Values.apiEnabled }}`, a pipe,
 * `range`): Palette renders it, so it goes to Helm as a template of the layer's generated chart,
 * with its `manifests.<name>:` values as `.Values` (see `manifest-chart.ts`).
 */
export interface TemplatedManifest {
  /** The manifest's name in the pack. */
  readonly name: string;
  /** The template text, as the pack ships it. */
  readonly content: string;
  /** The manifest's values: `manifests.<name>:` of the layer's values merged over the pack's. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** A value given for a variable on the command line or in a file. */
export type VariableValue = string | number | boolean;

/** A variable of the cluster, ready to become a Terraform input variable. */
export interface ClusterVariable {
  readonly name: string;
  readonly format: VariableFormat;
  /** The Terraform type: `number`, `bool` or `string`. */
  readonly type: 'number' | 'bool' | 'string';
  /** Display name and description, for the variable's description. */
  readonly description: string;
  /**
   * The default written into the stack: the value given for the cluster, else the profile's default;
   * never set for a sensitive variable. A variable that is not required and has neither gets `""`
   * (string formats only), as Palette resolves it to an empty value.
   */
  readonly default?: VariableValue;
  readonly sensitive: boolean;
  readonly required: boolean;
  /** Validations as Terraform expressions over `var.NAME`. */
  readonly validations: readonly VariableValidation[];
  /** Profiles defining it, sorted. */
  readonly profiles: readonly string[];
  /** Layers using it, sorted. */
  readonly usedBy: readonly string[];
  /** The definition as the (first) profile wrote it, for export. */
  readonly spec: ProfileVariableSpec;
}

/** A profile after validation. */
export interface ResolvedProfile {
  readonly name: string;
  readonly version: string;
  readonly type: ProfileType;
  readonly description?: string;
  readonly source?: string;
}

/** What every resolved layer has. */
export interface ResolvedLayerBase {
  readonly name: string;
  readonly kind: LayerKind;
  /** The profile the layer belongs to. */
  readonly profile: string;
  readonly slot: LayerSlot;
  readonly version: string;
  /** The parsed `pack:` block. */
  readonly settings: LayerSettings;
  /** The namespace the layer deploys into: its `pack.namespace`, else `default`. */
  readonly namespace: string;
  /** The namespaces the layer creates (namespace and additionalNamespaces, system namespaces left out). */
  readonly ownedNamespaces: readonly string[];
  /** Seconds to wait for readiness. */
  readonly timeoutSeconds: number;
  /** Where the layer was defined, for messages. */
  readonly where: Location;
  /**
   * The version train `version` was resolved from (`1.14.x`), when the layer records one.
   * @default - the version was given exactly
   */
  readonly tag?: string;
}

/** A Helm chart layer, ready to become a release. */
export interface ResolvedHelmLayer extends ResolvedLayerBase {
  readonly kind: 'helm';
  readonly chart: string;
  readonly repository: string;
  readonly releaseName: string;
  /** The values for Helm, `pack:` block removed; undefined when there are none. */
  readonly values?: string;
  /** The objects of the manifests attached to the layer; none when it has none. */
  readonly documents: readonly ManifestDocument[];
}

/** A manifest layer, ready to become objects. */
export interface ResolvedManifestLayer extends ResolvedLayerBase {
  readonly kind: 'manifest';
  readonly documents: readonly ManifestDocument[];
}

/**
 * A registry pack. In the `os` and `k8s` slots it is reported, never deployed (no releases, no
 * documents); elsewhere it deploys one release per chart and its manifests' documents.
 */
export interface ResolvedPackLayer extends ResolvedLayerBase {
  readonly kind: 'pack';
  /** The pack's name in the catalog. */
  readonly packName: string;
  /** The registry the pack comes from, as plans name it: `Charts`, or `Charts (uid ...)` when an export recorded its uid. */
  readonly registry?: string;
  /** The version train recorded next to the version, if any. */
  readonly tag?: string;
  /** One release per chart of the pack, in catalog order. */
  readonly releases: readonly ResolvedRelease[];
  /** The objects of the pack's manifests, then of the manifests attached to the layer. */
  readonly documents: readonly ManifestDocument[];
  /** The pack's manifests that are Go templates over their values, which Helm renders (packs.ts). */
  readonly templates: readonly TemplatedManifest[];
}

/** Any resolved layer. */
export type ResolvedLayer = ResolvedHelmLayer | ResolvedManifestLayer | ResolvedPackLayer | ResolvedZarfLayer;

/** One cluster's profiles, validated and normalized. */
export interface ResolvedCluster {
  readonly profiles: readonly ResolvedProfile[];
  /** Every layer of every profile, in profile order then layer order. */
  readonly layers: readonly ResolvedLayer[];
  /** The profile variables, sorted by name: each becomes a Terraform input variable. */
  readonly variables: readonly ClusterVariable[];
  /**
   * What did not stop the run but deserves a word: macros in YAML comments that could not be
   * resolved and were left as written (at most one warning per layer).
   * @default - none
   */
  readonly warnings?: readonly Problem[];
}

/** The default readiness timeout of a layer, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** A Zarf layer, ready to become a `terraform_data` that runs the Zarf CLI. */
export interface ResolvedZarfLayer extends ResolvedLayerBase {
  readonly kind: 'zarf';
  /** What `zarf package deploy` is given: an OCI reference with its tag or digest, or a tarball path. */
  readonly source: string;
  /** What `zarf package remove` is given: the package's name when known, else `source`. */
  readonly removeTarget: string;
  /** Zarf deploy-time variables by name (sorted), values as text. */
  readonly variables: Readonly<Record<string, string>>;
  /** Components to deploy, as given; empty for the package's defaults. */
  readonly components: readonly string[];
}

/** One `validation` block of a Terraform variable. */
export interface VariableValidation {
  /** A Terraform template evaluating to a bool: `${can(regex("...", var.NAME))}`. */
  readonly condition: string;
  /** The error Terraform prints. */
  readonly errorMessage: string;
}

/** How Terraform waits for an object to be ready. */
export type Readiness = { readonly rollout: true } | { readonly condition: { readonly type: string; readonly status: string } } | undefined;
