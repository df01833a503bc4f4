import { LayerSpec, LayerValues, ManifestSpec, ProfileSpec } from '../model/spec';
import { writeCopyName } from './duplicates';
import { withPaletteFields } from './palette-fields';
import { toPaletteVariables } from './palette-variables';
import { toHelmYaml } from './values-yaml';
import { RegistryReference } from './registry-identity';
import { withEnabledPresetsComment } from './enabled-presets';

/**
 * Writes a profile as a Palette cluster-profile export (JSON), the format {@link parsePaletteExport}
 * reads. Loading the written export gives the same synthesized configuration as the profile it was
 * written from.
 *
 * Values given as text are written byte for byte; values given as a map are written as YAML with
 * every string quoted, so Helm reads the same types. Palette's export has no place for a Helm
 * layer's repository URL, a chart name other than the layer's, a readiness timeout or a pack name
 * other than the layer's; those are written as extra fields (`repository`, `chart`,
 * `timeoutSeconds`, `packName`) only when set, and this library reads them back. Fields of the
 * export the profile was read from that this library does not use (`paletteFields`) are written
 * back in place.
 */
export function toPaletteExport(profile: ProfileSpec): Record<string, unknown> {
  return withPaletteFields({
    metadata: {
      name: profile.name,
      ...(profile.description !== undefined ? { description: profile.description } : {}),
      labels: {},
    },
    spec: {
      version: profile.version ?? '1.0.0',
      template: {
        type: profile.type === 'full' ? 'cluster' : profile.type,
        cloudType: profile.cloudType ?? 'all',
        packs: profile.layers.map((layer) => writeCopyName(layer, withPaletteFields(toPack(layer), layer.paletteFields))),
      },
      variables: toPaletteVariables(profile.variables),
    },
  }, profile.paletteFields);
}

/** The export as the text of a `.json` file: two-space indentation and a final newline. */
export function formatPaletteExport(profile: ProfileSpec): string {
  return `${JSON.stringify(toPaletteExport(profile), null, 2)}\n`;
}

function toPack(layer: LayerSpec): Record<string, unknown> {
  const name = layer.name;
  const slot = layer.slot ?? 'addon';
  // What every kind writes after its version: values and budget.
  const settings: { values?: string; timeoutSeconds?: number } = {
    ...(layer.values !== undefined ? { values: valuesText(layer.values) } : {}),
    ...(layer.timeoutSeconds !== undefined ? { timeoutSeconds: layer.timeoutSeconds } : {}),
  };
  switch (layer.kind) {
    case 'helm':
      return {
        name,
        type: 'helm',
        layer: slot,
        ...(layer.tag !== undefined ? { tag: layer.tag } : {}),
        version: layer.version,
        ...settings,
        ...(layer.chart !== undefined && layer.chart !== layer.name ? { chart: layer.chart } : {}),
        ...(layer.repository !== undefined ? { repository: layer.repository } : {}),
        ...registry(layer, 'helm'),
        ...attached(layer.manifests),
      };
    case 'manifest':
      return {
        name,
        type: 'manifest',
        layer: slot,
        version: layer.version ?? '1.0.0',
        ...settings,
        manifests: layer.manifests.map(manifestEntry),
      };
    case 'zarf':
      return {
        name,
        type: 'zarf',
        layer: slot,
        version: layer.version,
        ...settings,
        ...(layer.package !== undefined ? { package: layer.package } : {}),
        ...(layer.packageName !== undefined ? { packageName: layer.packageName } : {}),
        ...registry(layer, 'oci'),
      };
    default:
      return {
        name,
        type: layer.packType ?? 'spectro',
        layer: slot,
        ...(layer.tag !== undefined ? { tag: layer.tag } : {}),
        version: layer.version,
        ...settings,
        // Enabled presets are recorded as Palette does: the values' first-line comment.
        ...(layer.presets !== undefined ? { values: withEnabledPresetsComment(settings.values ?? '', layer.presets) } : {}),
        ...(layer.packName !== undefined && layer.packName !== layer.name ? { packName: layer.packName } : {}),
        ...registry(layer, 'pack'),
        ...attached(layer.manifests),
      };
  }
}

/** A layer's manifests as Palette writes them (`manifests: [{name, content}]`), when it has any. */
function attached(manifests: readonly ManifestSpec[] | undefined): { manifests?: Record<string, unknown>[] } {
  return manifests === undefined || manifests.length === 0 ? {} : { manifests: manifests.map(manifestEntry) };
}

/** One manifest as Palette writes it, `{name, content}`, with the fields kept from the export read. */
function manifestEntry(manifest: ManifestSpec): Record<string, unknown> {
  return withPaletteFields({ name: manifest.name, content: manifest.content }, manifest.paletteFields);
}

function valuesText(values: LayerValues): string {
  return typeof values === 'string' ? values : toHelmYaml(values);
}

/** The registry as Palette writes it: uid (when known), name and kind; a registry known only by its uid has no name. */
function registry(layer: RegistryReference, kind: 'helm' | 'pack' | 'oci'): Record<string, unknown> {
  const { registry: name, registryUid: uid } = layer;
  if (name === undefined) return {};
  return { registry: { metadata: { ...(uid !== undefined ? { uid } : {}), ...(name !== uid ? { name } : {}), kind } } };
}
