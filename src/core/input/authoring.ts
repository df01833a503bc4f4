import { CATALOG_KIND, FILE_API_VERSION } from './catalog';
import { Location, ProblemList, ProfileError, quotedList, shown, unknownKeys } from '../model/errors';
import { LAYER_SLOTS, LayerSlot, LayerSpec, LayerValues, ManifestSpec, ProfileSpec } from '../model/spec';
import { parsePaletteVariables } from './palette-variables';
import { parseWithValues } from './values-yaml';
import { isMap } from './yaml';

/**
 * The authoring format: a profile written by hand in YAML, with the same content as a Palette
 * export but values as nested YAML instead of escaped strings. Recognised by its first two keys:
 *
 * ```yaml
 * apiVersion: cluster-profiles/v1
 * kind: ClusterProfile
 * name: edge-apps
 * version: 1.0.0                   # default 1.0.0
 * type: add-on                     # infra | add-on | full (Palette's cluster accepted)
 * description: Apps on every edge cluster
 * layers:                          # in order
 *   - name: cert-manager
 *     type: helm                   # helm | manifest | spectro | oci (registry packs)
 *     layer: addon                 # os | k8s | cni | csi | addon (default addon)
 *     version: 1.14.5
 *     registry: Jetstack           # or repository: https://charts.jetstack.io
 *     values:                      # a map, or YAML text (`values: |`) kept byte for byte
 *       pack:
 *         namespace: cert-manager
 *         spectrocloud.com/install-priority: "-10"
 *       installCRDs: true
 *   - name: mesh
 *     type: spectro                # a registry pack, resolved through the pack catalog
 *     packName: istio              # default: the layer's name
 *     version: 1.22.1
 *     presets: [Data plane:ambient]
 *     manifests:                   # attached manifests, on helm and registry pack layers too
 *       - name: gateway
 *         content: |
 *           apiVersion: networking.istio.io/v1
 *           ...
 * ```
 *
 * Profile `variables` are written as in a Palette export's `spec.variables`.
 *
 * Values written as a map are read the way Helm reads YAML (`yes` is true, `0644` is octal), since
 * Helm gets them; everything else as YAML 1.2 (`registry: no` is the string "no"). Unknown fields
 * are errors, so a misspelt field never goes unnoticed.
 */

/** The `kind` of an authoring file. */
export const PROFILE_KIND = 'ClusterProfile';

const PROFILE_KEYS: readonly string[] = ['apiVersion', 'kind', 'name', 'version', 'type', 'description', 'cloudType', 'variables', 'layers'];
const COMMON_LAYER_KEYS: readonly string[] = ['name', 'type', 'layer', 'version', 'values', 'timeoutSeconds'];
const LAYER_KEYS: Record<string, readonly string[]> = {
  helm: [...COMMON_LAYER_KEYS, 'chart', 'repository', 'registry', 'tag', 'manifests'],
  manifest: [...COMMON_LAYER_KEYS, 'manifests'],
  spectro: [...COMMON_LAYER_KEYS, 'packName', 'tag', 'registry', 'presets', 'manifests'],
  oci: [...COMMON_LAYER_KEYS, 'packName', 'tag', 'registry', 'presets', 'manifests'],
};

/** Whether parsed YAML is an authoring-format profile (by its apiVersion and kind). */
export function isAuthoringDocument(doc: unknown): boolean {
  return isMap(doc) && doc.apiVersion === FILE_API_VERSION && doc.kind === PROFILE_KIND;
}

/** Parses an authoring-format file's text; `file` names it in messages. */
export function parseAuthoringProfile(text: string, file: string): ProfileSpec {
  const { doc, valuesDoc } = parseWithValues(text, file);
  return readAuthoringProfile(doc, file, valuesDoc);
}

/**
 * Reads a parsed authoring-format document into the profile model. Checks the shape (fields,
 * types); the meaning (namespaces, priorities, versions) is checked when the cluster is resolved.
 * Every problem is reported at once. `valuesDoc` is the same document parsed the way Helm reads
 * YAML, where layer values written as maps are taken from.
 */
export function readAuthoringProfile(doc: unknown, file?: string, valuesDoc: unknown = doc): ProfileSpec {
  const at: Location = { file };
  if (!isAuthoringDocument(doc)) {
    const found = isMap(doc) ? `apiVersion ${shown(doc.apiVersion)} and kind ${shown(doc.kind)}` : shown(doc);
    const hint = isMap(doc) && doc.kind === CATALOG_KIND ? ' (this is a pack catalog: pass it with --catalog)' : '';
    throw new ProfileError({ ...at, message: `is not an authoring-format profile: expected apiVersion "${FILE_API_VERSION}" and kind "${PROFILE_KIND}", found ${found}${hint}` });
  }
  const map = doc as Record<string, unknown>;
  if (typeof map.name !== 'string' || map.name.trim() === '') {
    throw new ProfileError({ ...at, field: 'name', message: `must be the profile's name, found ${shown(map.name)}` });
  }
  const problems = new ProblemList();
  const where: Location = { ...at, profile: map.name };
  unknownKeys(map, PROFILE_KEYS, where, '', problems, 'is not a known field here');
  const version = optionalString(map.version, { ...where, field: 'version' }, problems);
  const description = optionalString(map.description, { ...where, field: 'description' }, problems);
  const cloudType = optionalString(map.cloudType, { ...where, field: 'cloudType' }, problems);
  if (typeof map.type !== 'string') problems.add({ ...where, field: 'type' }, `must be one of "infra", "add-on", "full", found ${shown(map.type)}`);
  // Variables are written as in a Palette export's spec.variables.
  const variables = parsePaletteVariables(map.variables, where, problems);
  const layers: LayerSpec[] = [];
  if (!Array.isArray(map.layers)) {
    problems.add({ ...where, field: 'layers' }, `must be a list of layers, found ${shown(map.layers)}`);
  } else {
    const helmLayers = isMap(valuesDoc) && Array.isArray(valuesDoc.layers) ? valuesDoc.layers : [];
    map.layers.forEach((layer, i) => {
      const helmLayer = helmLayers[i];
      const spec = readLayer(layer, isMap(helmLayer) ? helmLayer.values : isMap(layer) ? layer.values : undefined, i, where, problems);
      if (spec !== undefined) layers.push(spec);
    });
  }
  problems.throwIfAny();
  return {
    name: map.name,
    ...(version !== undefined ? { version } : {}),
    type: map.type as ProfileSpec['type'],
    ...(description !== undefined ? { description } : {}),
    ...(cloudType !== undefined ? { cloudType } : {}),
    ...(variables !== undefined && variables.length > 0 ? { variables } : {}),
    layers,
    ...(file !== undefined ? { source: file } : {}),
  };
}

function readLayer(value: unknown, values: unknown, index: number, at: Location, problems: ProblemList): LayerSpec | undefined {
  const field = `layers[${index}]`;
  if (!isMap(value)) {
    problems.add({ ...at, field }, `must be a layer map with name, type and version, found ${shown(value)}`);
    return undefined;
  }
  if (typeof value.name !== 'string' || value.name === '') {
    problems.add({ ...at, field: `${field}.name` }, `must be the layer's name, found ${shown(value.name)}`);
    return undefined;
  }
  const where: Location = { ...at, layer: value.name };
  const type = value.type;
  if (typeof type !== 'string' || LAYER_KEYS[type] === undefined) {
    problems.add({ ...where, field: 'type' }, `${shown(type)} must be one of "helm", "manifest", "spectro", "oci"`);
    return undefined;
  }
  unknownKeys(value, LAYER_KEYS[type], where, '', problems, 'is not a known field here');
  const slot = value.layer ?? 'addon';
  if (typeof slot !== 'string' || !LAYER_SLOTS.includes(slot as LayerSlot)) {
    problems.add({ ...where, field: 'layer' }, `${shown(slot)} must be one of ${quotedList(LAYER_SLOTS)}`);
    return undefined;
  }
  if (values !== undefined && values !== null && typeof values !== 'string' && !isMap(values)) {
    problems.add({ ...where, field: 'values' }, `must be a map of values or YAML text, found ${shown(values)}`);
  }
  const timeoutSeconds = value.timeoutSeconds;
  if (timeoutSeconds !== undefined && typeof timeoutSeconds !== 'number') {
    problems.add({ ...where, field: 'timeoutSeconds' }, `must be a whole number of seconds, found ${shown(timeoutSeconds)}`);
  }
  const str = (key: string): string | undefined => optionalString(value[key], { ...where, field: key }, problems);
  const version = str('version');
  // Manifests attached to a Helm or registry pack layer, written as a manifest layer's.
  const attached = type !== 'manifest' && value.manifests !== undefined && value.manifests !== null ? { manifests: readManifestList(value.manifests, where, problems) } : {};
  const common = {
    name: value.name,
    slot: slot as LayerSlot,
    ...(values !== undefined && values !== null ? { values: values as LayerValues } : {}),
    ...(typeof timeoutSeconds === 'number' ? { timeoutSeconds } : {}),
  };
  switch (type) {
    case 'helm': {
      if (version === undefined) problems.add({ ...where, field: 'version' }, 'must be the chart version, found nothing');
      const chart = str('chart');
      const repository = str('repository');
      const registry = str('registry');
      const tag = str('tag');
      return {
        ...common,
        kind: 'helm',
        version: version ?? '',
        ...(tag !== undefined ? { tag } : {}),
        ...(chart !== undefined ? { chart } : {}),
        ...(repository !== undefined ? { repository } : {}),
        ...(registry !== undefined ? { registry } : {}),
        ...attached,
      };
    }
    case 'manifest': {
      const manifests = readManifestList(value.manifests, where, problems);
      return { ...common, kind: 'manifest', manifests, ...(version !== undefined ? { version } : {}) };
    }
    default: {
      if (version === undefined) problems.add({ ...where, field: 'version' }, "must be the pack's version, found nothing");
      const packName = str('packName');
      const tag = str('tag');
      const registry = str('registry');
      const presets = readPresetNames(value.presets, where, problems);
      return {
        ...common,
        kind: 'pack',
        version: version ?? '',
        ...(packName !== undefined ? { packName } : {}),
        ...(tag !== undefined ? { tag } : {}),
        ...(registry !== undefined ? { registry } : {}),
        ...(presets !== undefined ? { presets } : {}),
        ...(type === 'oci' ? { packType: 'oci' as const } : {}),
        ...attached,
      };
    }
  }
}

function readManifestList(value: unknown, where: Location, problems: ProblemList): ManifestSpec[] {
  if (!Array.isArray(value)) {
    problems.add({ ...where, field: 'manifests' }, `must be a list of {name, content}, found ${shown(value)}`);
    return [];
  }
  const out: ManifestSpec[] = [];
  value.forEach((m, i) => {
    const field = `manifests[${i}]`;
    if (!isMap(m)) {
      problems.add({ ...where, field }, `must be a map with name and content, found ${shown(m)}`);
      return;
    }
    unknownKeys(m, ['name', 'content'], where, field, problems, 'is not a known field here');
    out.push(m as unknown as ManifestSpec);
  });
  return out;
}

function readPresetNames(value: unknown, where: Location, problems: ProblemList): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'string' && p !== '')) {
    problems.add({ ...where, field: 'presets' }, `must be a list of preset names ("name" or "Group:name"), found ${shown(value)}`);
    return undefined;
  }
  return value as string[];
}

function optionalString(value: unknown, where: Location, problems: ProblemList): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    const hint = typeof value === 'number' ? ' (quote it in YAML: "1.0")' : '';
    problems.add(where, `must be a string, found ${shown(value)}${hint}`);
    return undefined;
  }
  return value;
}

