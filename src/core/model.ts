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
}

/** A Helm chart from a Helm (HTTP) or OCI repository. */
export interface HelmLayerSpec extends LayerSpecBase {
  readonly kind: 'helm';
  /**
   * The chart's name in its repository.
   * @default - the layer's name
   */
  readonly chart?: string;
  /** The chart's exact version (`1.14.4`). */
  readonly version: string;
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
}

/** One named manifest of a manifest layer: one or more YAML documents separated by `---`. */
export interface ManifestSpec {
  /** The manifest's name, unique within its layer. */
  readonly name: string;
  /** The YAML text. Comments and empty documents are allowed. */
  readonly content: string;
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
 * A registry pack. Only accepted in the `os` and `k8s` slots, which deploy nothing and so need no
 * pack catalog to resolve their contents.
 */
export interface PackLayerSpec extends LayerSpecBase {
  readonly kind: 'pack';
  /** The pack's version. */
  readonly version: string;
  /**
   * The registry the pack comes from.
   * @default - none recorded
   */
  readonly registry?: string;
}

/** Any layer. */
export type LayerSpec = HelmLayerSpec | ManifestLayerSpec | PackLayerSpec;

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
  /** The layers, in the order the profile lists them. */
  readonly layers: readonly LayerSpec[];
  /**
   * The file the profile was read from, used in error messages.
   * @default - the profile was built in code
   */
  readonly source?: string;
}
