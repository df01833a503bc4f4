import { LayerSpec, LayerValues, DISPLAY_NAME_KEY } from '../model/spec';
import { isMap, parseYaml } from './yaml';

/**
 * Copies of one pack or chart in a cluster. Palette lets a profile hold the same pack several times
 * when each copy sets its own `spectrocloud.com/display-name` in its `pack:` block, and its exports
 * name such a copy `<display-name>--<chart-or-manifest-name>`. Here every layer already has a
 * unique name (it names the Terraform resources), so a copy is simply another layer; this module
 * only maps between the two namings when exports are read and written:
 *
 * - reading: a pack named `hello-1--hello-universe` whose display name is `hello-1` is the chart
 *   (or registry pack) `hello-universe`, in a layer named `hello-1--hello-universe`;
 * - writing: a layer with a display name is written under `<display-name>--<chart, pack or first
 *   manifest name>`; when the layer itself has another name, `layerName` keeps it, so loading the
 *   export again gives the same layers and the same Terraform addresses.
 *
 * What two copies deploy must not clash: the same Helm release in one namespace (set
 * `pack.releaseNameOverride`, or another namespace) or the same Kubernetes object is an error
 * naming both layers, reported when the cluster is resolved.
 */

/** Between the display name and the chart or manifest name in Palette's copy names. */
export const COPY_SEPARATOR = '--';

/** The `spectrocloud.com/display-name` of a layer's `pack:` block, if it sets one. */
export function displayNameOf(values: LayerValues | undefined): string | undefined {
  let parsed: unknown = values;
  if (typeof values === 'string') {
    try {
      parsed = parseYaml(values);
    } catch {
      return undefined; // reported when the cluster is resolved
    }
  }
  if (!isMap(parsed) || !isMap(parsed.pack)) return undefined;
  const name = parsed.pack[DISPLAY_NAME_KEY];
  return typeof name === 'string' && name.trim() !== '' ? name : undefined;
}

/** What a copy is a copy of: the chart, the registry pack, or the first manifest. */
export function copyBaseName(layer: LayerSpec): string {
  switch (layer.kind) {
    case 'helm':
      return layer.chart ?? layer.name;
    case 'manifest':
      return Array.isArray(layer.manifests) && typeof layer.manifests[0]?.name === 'string' ? layer.manifests[0].name : layer.name;
    case 'zarf':
      return layer.packageName ?? layer.name;
    case 'pack':
      return layer.packName ?? layer.name;
  }
}

/** Palette's name of a copy: `<display-name>--<base>`. */
export function copyName(displayName: string, base: string): string {
  return `${displayName}${COPY_SEPARATOR}${base}`;
}

/**
 * A layer read from an export, with Palette's copy naming undone: the chart or pack named after
 * `<display-name>--`, and the layer name taken from `layerName` when the export has one.
 */
export function readCopyName(layer: LayerSpec, pack: Readonly<Record<string, unknown>>): LayerSpec {
  const displayName = displayNameOf(layer.values);
  const prefix = displayName !== undefined ? `${displayName}${COPY_SEPARATOR}` : undefined;
  let out: LayerSpec = layer;
  if (prefix !== undefined && layer.name.startsWith(prefix) && layer.name.length > prefix.length) {
    const base = layer.name.slice(prefix.length);
    if (out.kind === 'helm' && out.chart === undefined) out = { ...out, chart: base };
    if (out.kind === 'pack' && out.packName === undefined) out = { ...out, packName: base };
  }
  if (typeof pack.layerName === 'string' && pack.layerName !== '' && pack.layerName !== out.name) out = { ...out, name: pack.layerName };
  return out;
}

/**
 * A pack of an export with Palette's copy naming applied: `name` becomes
 * `<display-name>--<base>` for a layer with a display name, and `layerName` keeps the layer's own
 * name when it differs. Other packs are returned as they are.
 */
export function writeCopyName(layer: LayerSpec, pack: Record<string, unknown>): Record<string, unknown> {
  const displayName = displayNameOf(layer.values);
  if (displayName === undefined) return pack;
  const base = copyBaseName(layer);
  const prefix = `${displayName}${COPY_SEPARATOR}`;
  if (layer.name.startsWith(prefix)) {
    // Already named as a copy. Reading it back takes the chart (or pack) from after the '--', so
    // a chart that defaulted to the whole layer name is written out.
    if (layer.kind === 'helm' && layer.chart === undefined) return { ...pack, chart: layer.name };
    if (layer.kind === 'pack' && layer.packName === undefined) return { ...pack, packName: layer.name };
    return pack;
  }
  return { ...pack, name: copyName(displayName, base), layerName: layer.name };
}
