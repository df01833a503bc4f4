import { ManifestSpec } from './spec';

/**
 * The pack catalog: what registry packs hold. A Palette export names its registry packs
 * (`"type": "spectro"`) by name and version only; the catalog says which Helm charts and manifests
 * each pack version deploys, with its default values and presets, and where registries are.
 *
 * ```yaml
 * apiVersion: cluster-profiles/v1
 * kind: PackCatalog
 * registries:
 *   - name: Public Repo            # the name (or uid) exports use in registry.metadata
 *     uid: 5eecc89d0b150045ae661cef
 *   - name: Cilium
 *     url: https://helm.cilium.io  # also serves Helm layers that name this registry
 * packs:
 *   - name: cni-cilium-oss
 *     version: 1.15.6
 *     registry: Public Repo        # optional: the registry publishing this pack
 *     charts:
 *       - name: cilium             # the chart's name: `charts.cilium:` in values
 *         registry: Cilium         # or repository: https://helm.cilium.io
 *         version: 1.15.6
 *     manifests: []                # {name, content}; content may use {{ .Values.path }}
 *     values:                      # the pack's default values (a map or a YAML string)
 *       pack:
 *         namespace: kube-system
 *       charts:
 *         cilium:
 *           ipam: { mode: kubernetes }
 *     presets: []                  # {name, displayName, group, remove: [paths], add: values}
 * ```
 */
export interface PackCatalog {
  /** Registries by name and uid. */
  readonly registries: readonly CatalogRegistry[];
  /** Every pack version, in the order listed. */
  readonly packs: readonly CatalogPack[];
  /**
   * The file the catalog was read from, used in messages.
   * @default - built in code
   */
  readonly source?: string;
}

/** A registry: a name Palette exports use, optionally its uid and URL. */
export interface CatalogRegistry {
  /** The registry's name, as in `registry.metadata.name` of an export. */
  readonly name: string;
  /**
   * The registry's uid, as in `registry.metadata.uid`.
   * @default - none
   */
  readonly uid?: string;
  /**
   * The registry's URL (`https://...` for a Helm repository, `oci://...` for an OCI one). Helm
   * layers and pack charts naming the registry install from it.
   * @default - none: the registry only identifies packs
   */
  readonly url?: string;
}

/** One Helm chart of a pack. */
export interface CatalogChart {
  /** The chart's name in its repository; also its key under `charts:` in the pack's values. */
  readonly name: string;
  /** The chart's exact version. */
  readonly version: string;
  /**
   * The repository URL.
   * @default - the URL of `registry`
   */
  readonly repository?: string;
  /**
   * The name or uid of a registry with a URL (in the catalog or given with `--registry`).
   * @default - `repository` is set
   */
  readonly registry?: string;
}

/** A named value set of a pack, which a layer may enable (see `presets.ts`). */
export interface CatalogPreset {
  /** The preset's name, unique within its pack. */
  readonly name: string;
  /** @default - the name */
  readonly displayName?: string;
  /** At most one preset per group may be chosen. @default - no group */
  readonly group?: string;
  /** Dotted paths removed from the values when the preset is chosen. */
  readonly remove: readonly string[];
  /** Values merged in when the preset is chosen. */
  readonly add: Readonly<Record<string, unknown>>;
}

/** One version of one pack. */
export interface CatalogPack {
  readonly name: string;
  readonly version: string;
  /**
   * The registry publishing this pack version (name or uid), when packs of one name come from
   * several registries.
   * @default - any registry
   */
  readonly registry?: string;
  /** Its Helm charts; each becomes one release. */
  readonly charts: readonly CatalogChart[];
  /** Its manifests; their documents become Kubernetes objects. */
  readonly manifests: readonly ManifestSpec[];
  /** Its default values: `pack:`, `charts.<chart>:`, `manifests.<name>:`. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Its presets. */
  readonly presets: readonly CatalogPreset[];
}
