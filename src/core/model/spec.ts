/**
 * The profile model: what a user writes, as plain data. Files (Palette export JSON) and TypeScript
 * objects both become these types; everything downstream (validation, planning, constructs) reads
 * only them.
 */

/** The kinds of profile. Palette's API calls a full profile `cluster`; loaders accept that too. */
export type ProfileType = 'infra' | 'add-on' | 'full';

/** Every profile type, in the order they are documented. */
export const PROFILE_TYPES: readonly ProfileType[] = ['infra', 'add-on', 'full'];

/**
 * The slot a layer fills. `os` and `k8s` describe the cluster itself and deploy nothing onto an
 * existing cluster; `cni` and `csi` install before every add-on; `addon` is everything else.
 */
export type LayerSlot = 'os' | 'k8s' | 'cni' | 'csi' | 'addon';

/** Every layer slot, in install order. */
export const LAYER_SLOTS: readonly LayerSlot[] = ['os', 'k8s', 'cni', 'csi', 'addon'];

/**
 * Whether a layer in `slot` deploys anything: `os` and `k8s` layers describe the cluster itself (the
 * install plan lists them as its cluster layers) and deploy nothing onto an existing cluster.
 */
export function slotDeploys(slot: LayerSlot): boolean {
  return slot !== 'os' && slot !== 'k8s';
}

/**
 * A layer's values: a YAML string (as in a Palette export) or an already parsed object. A top-level
 * `pack:` map configures the layer (namespace, priority, ...) and never reaches Helm.
 */
export type LayerValues = string | { readonly [key: string]: unknown };

/** What every layer kind has. */
export interface LayerSpecBase {
  /**
   * The layer's name, unique among all layers of one cluster. It names the layer's Terraform
   * resources, so renaming a layer replaces them.
   */
  readonly name: string;
  /** @default 'addon' */
  readonly slot?: LayerSlot;
  /**
   * The layer's values, with the optional `pack:` block.
   * @default - no values
   */
  readonly values?: LayerValues;
  /**
   * How long Terraform waits for the layer's objects to become ready, in seconds.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Fields of the Palette export pack that this library does not use (its `uid`, its registry's `uid`, `kind` and `isPrivate`), as they
   * were read: `export` writes them back in place.
   * @default - none
   */
  readonly paletteFields?: { readonly [key: string]: unknown };
}

/** How a Palette export identifies a layer's registry besides its display name (`registry`). */
export interface RegistryIdentity {
  /**
   * The registry's uid in Palette (`registry.metadata.uid` in an export; written back by `export`).
   * Registries are told apart by uid: two with one display name and different uids (exports from
   * two tenants) are two registries. A URL given for the uid (`--registry UID=URL`, or a catalog
   * registry with that uid) is taken before one given for the name, and the name alone is refused
   * where it could mean either.
   * @default - the registry is known by `registry` alone
   */
  readonly registryUid?: string;
}

/** A Helm chart from a Helm (HTTP) or OCI repository. */
export interface HelmLayerSpec extends LayerSpecBase, RegistryIdentity {
  readonly kind: 'helm';
  /**
   * The chart's name in its repository.
   * @default - the layer's name
   */
  readonly chart?: string;
  /**
   * The chart's exact version (`1.14.4`), or a version train (`1.14.x`, `~1.14`, `^1.14.0`) that
   * `resolveTrains` (and the CLI) resolve to the newest matching release before planning.
   */
  readonly version: string;
  /**
   * The version train `version` was resolved from (`1.14.x`), as Palette exports record it next to
   * the resolved `version`; set by `resolveTrains`. Reported and exported; the version installed is
   * always `version`.
   * @default - none recorded
   */
  readonly tag?: string;
  /**
   * The repository URL (`https://charts.jetstack.io`, `oci://registry/path`).
   * @default - looked up from `registry` in the registries given to the cluster
   */
  readonly repository?: string;
  /**
   * The name of a registry whose URL is given separately (Palette exports name registries, not URLs).
   * @default - `repository` must be set
   */
  readonly registry?: string;
  /**
   * Manifests attached to the layer (Palette's `manifests` on a Helm pack): Kubernetes objects
   * deployed with the chart, in the layer's tier and namespace, as a manifest layer's are. When they
   * hold custom resources, they install after the chart's release (which brings the CRDs) and are
   * removed before it.
   * @default - none
   */
  readonly manifests?: readonly ManifestSpec[];
}

/** One named manifest of a manifest layer: one or more YAML documents separated by `---`. */
export interface ManifestSpec {
  /** The manifest's name, unique within its layer. */
  readonly name: string;
  /** The YAML text. Comments and empty documents are allowed. */
  readonly content: string;
  /**
   * Fields of the Palette export manifest entry that this library does not use (its `uid`), as they
   * were read: `export` writes them back in place.
   * @default - none
   */
  readonly paletteFields?: { readonly [key: string]: unknown };
}

/** Raw Kubernetes manifests. */
export interface ManifestLayerSpec extends LayerSpecBase {
  readonly kind: 'manifest';
  /** The manifests, in order. */
  readonly manifests: readonly ManifestSpec[];
  /**
   * The layer's version, reported in plans and outputs.
   * @default '1.0.0'
   */
  readonly version?: string;
}

/**
 * A registry pack (Palette's `spectro` and `oci` layer types): one or more Helm charts and/or
 * manifests with default values, looked up by name and version in a pack catalog. In the `os` and
 * `k8s` slots a pack deploys nothing and needs no catalog; in every other slot it becomes one Helm
 * release per chart (`helm_release.<layer>--<chart>`) and its manifests' objects. The layer's values
 * are merged over the pack's default values: `charts.<chart>:` goes to that chart's release,
 * `manifests.<name>:` fills `{{ .Values.path }}` placeholders of that manifest, `pack:` configures
 * the layer as for any other kind.
 */
export interface PackLayerSpec extends LayerSpecBase, RegistryIdentity {
  readonly kind: 'pack';
  /** The pack's exact version, as the catalog lists it (an export records the resolved version). */
  readonly version: string;
  /**
   * The pack's name in the catalog.
   * @default - the layer's name
   */
  readonly packName?: string;
  /**
   * The version train the profile asked for (`1.15.x`), as Palette exports record it next to the
   * resolved `version`. Reported and exported; the version used is always `version`.
   * @default - none recorded
   */
  readonly tag?: string;
  /**
   * The registry the pack comes from, by name or uid. When the catalog lists the pack in several
   * registries, this picks one.
   * @default - none recorded
   */
  readonly registry?: string;
  /**
   * Palette's layer type for the pack: `spectro` for a pack registry, `oci` for a pack in an OCI
   * registry. Only kept so that an export writes back what was read.
   * @default 'spectro'
   */
  readonly packType?: 'spectro' | 'oci';
  /**
   * Presets of the pack to enable, by name (`disable-api`) or as Palette writes them
   * (`Backend:disable-api`); at most one per group. Each removes its `remove` paths from the pack's
   * default values and merges its `add` values in; the layer's values then override the result.
   * @default - the presets named by the values' first-line comment
   *   `# spectrocloud.com/enabled-presets: Group:name,...`, else none
   */
  readonly presets?: readonly string[];
  /**
   * Manifests attached to the layer in the profile (Palette's `manifests` on a registry pack),
   * deployed with the pack's own manifests: in the layer's tier and namespace, after the pack's
   * charts when they hold custom resources. In the `os` and `k8s` slots nothing is deployed; they
   * are kept for export and reported.
   * @default - none
   */
  readonly manifests?: readonly ManifestSpec[];
}

/**
 * A Zarf package (an air-gap bundle of charts, manifests and images), deployed with the Zarf CLI
 * where Terraform runs: `zarf package deploy SOURCE --confirm` on create, `zarf package remove ...
 * --confirm` on destroy, in the layer's tier like any other layer. The layer's values, besides the
 * `pack:` block, hold the deployment's inputs:
 * `variables:` (a map of Zarf variable name to value, passed as `--set-variables NAME=VALUE`) and
 * `components:` (a list of component names, passed as `--components a,b`; Zarf's globs `*` and
 * deselection `-name` allowed). A change of source, version, variables or components replaces the
 * deployment (remove, then deploy).
 */
export interface ZarfLayerSpec extends LayerSpecBase, RegistryIdentity {
  readonly kind: 'zarf';
  /**
   * The package's version. Appended as the tag to an OCI reference that has none; reported in plans.
   */
  readonly version: string;
  /**
   * Where the package comes from: an OCI reference (`oci://ghcr.io/org/packages/podinfo`, with or
   * without `:tag` or `@sha256:digest`), or a package tarball
   * (`/srv/zarf/zarf-package-podinfo-amd64-6.4.0.tar.zst`; a relative path is relative to the folder
   * Terraform runs in, `cdktf.out/stacks/<stack>`).
   * @default - `<registry URL>/<packageName>:<version>`, from `registry`
   */
  readonly package?: string;
  /**
   * The name of an OCI registry whose URL (`oci://host/path`) is given separately, as Palette exports
   * name registries.
   * @default - `package` must be set
   */
  readonly registry?: string;
  /**
   * The package's name (its `metadata.name`). When set, the package is removed by name, which needs
   * neither the registry nor the tarball at destroy time; also the package's name in `registry`.
   * @default - removed by the same source it was deployed from; the layer's name in `registry`
   */
  readonly packageName?: string;
}

/** Any layer. */
export type LayerSpec = HelmLayerSpec | ManifestLayerSpec | PackLayerSpec | ZarfLayerSpec;

/** The layer kinds understood. */
export type LayerKind = LayerSpec['kind'];

/** A cluster profile: a named, versioned, ordered set of layers. */
export interface ProfileSpec {
  /** The profile's name. */
  readonly name: string;
  /**
   * The profile's semantic version.
   * @default '1.0.0'
   */
  readonly version?: string;
  /** The profile's type; `cluster` is accepted for `full`. */
  readonly type: ProfileType | 'cluster';
  /**
   * A description, reported in outputs.
   * @default - none
   */
  readonly description?: string;
  /**
   * The cloud type Palette records (`edge-native`, `aws`, `all`); kept so that an export writes it
   * back, not used otherwise.
   * @default - none recorded ('all' on export)
   */
  readonly cloudType?: string;
  /** The layers, in the order the profile lists them. */
  readonly layers: readonly LayerSpec[];
  /**
   * The profile's variables: `{{.spectro.var.NAME}}` in its layers' values becomes the Terraform
   * input variable NAME of the synthesized stack, set per cluster at plan time.
   * @default - no variables
   */
  readonly variables?: readonly ProfileVariableSpec[];
  /**
   * The file the profile was read from, used in error messages.
   * @default - the profile was built in code
   */
  readonly source?: string;
  /**
   * Fields of the Palette export document that this library does not use (`metadata.labels`, `metadata.uid`; shaped like the document), as they
   * were read: `export` writes them back in place.
   * @default - none
   */
  readonly paletteFields?: { readonly [key: string]: unknown };
}

/** The formats of a profile variable, as Palette names them. */
export type VariableFormat = 'string' | 'number' | 'boolean' | 'ipv4' | 'ipv4cidr' | 'ipv6' | 'version' | 'base64';

/** Every variable format. */
export const VARIABLE_FORMATS: readonly VariableFormat[] = ['string', 'number', 'boolean', 'ipv4', 'ipv4cidr', 'ipv6', 'version', 'base64'];

/** One choice of a dropdown variable. */
export interface VariableOptionSpec {
  /** The value the variable takes. */
  readonly value: string;
  /**
   * What Palette shows for it.
   * @default - the value
   */
  readonly label?: string;
  /**
   * A longer description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Fields of the Palette export choice that this library does not use, as they
   * were read: `export` writes them back in place.
   * @default - none
   */
  readonly paletteFields?: { readonly [key: string]: unknown };
}

/**
 * A profile variable (Palette's `spec.variables[]`). It becomes a Terraform input variable of the
 * stack: its format gives the type and validations, `regex` another validation, `sensitive` hides
 * the value from plans and outputs.
 */
export interface ProfileVariableSpec {
  /** The name used in `{{.spectro.var.NAME}}`: letters, digits, '_' and '-', starting with a letter or '_'. */
  readonly name: string;
  /**
   * What Palette shows; used in the Terraform variable's description.
   * @default - the name
   */
  readonly displayName?: string;
  /**
   * The description.
   * @default - none
   */
  readonly description?: string;
  /**
   * The value's format: `number` and `boolean` become Terraform `number` and `bool`, the others a
   * `string` with a validation.
   * @default 'string'
   */
  readonly format?: VariableFormat;
  /**
   * The default value. Never written into the stack for a sensitive variable.
   * @default - none
   */
  readonly defaultValue?: string | number | boolean;
  /**
   * A regular expression (RE2 syntax, as Terraform and Palette use) the value must match
   * somewhere; anchor it with `^...$` to match the whole value.
   * @default - no pattern
   */
  readonly regex?: string;
  /**
   * Whether a value must be given.
   * @default false
   */
  readonly required?: boolean;
  /**
   * Whether the value is a secret: masked by Terraform, never written by this tool.
   * @default false
   */
  readonly sensitive?: boolean;
  /**
   * Palette hides the variable when deploying a cluster. Kept for export only.
   * @default false
   */
  readonly hidden?: boolean;
  /**
   * Palette lets nobody change the value when deploying a cluster. Kept for export only.
   * @default false
   */
  readonly immutable?: boolean;
  /**
   * The allowed values of a dropdown variable.
   * @default - any value
   */
  readonly options?: readonly VariableOptionSpec[];
  /**
   * Fields of the Palette export variable that this library does not use (an `inputType` other than a dropdown's), as they
   * were read: `export` writes them back in place.
   * @default - none
   */
  readonly paletteFields?: { readonly [key: string]: unknown };
}

/** The key that distinguishes copies of one pack in a cluster. */
export const DISPLAY_NAME_KEY = 'spectrocloud.com/display-name';
