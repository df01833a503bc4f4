import { Location, ProblemList, ProfileError, quotedList, shown } from './errors';
import { LAYER_SLOTS, LayerSlot, LayerSpec, ManifestSpec, ProfileSpec } from './model';
import { readCopyName } from './duplicates';
import { parsePaletteVariables } from './palette-variables';
import { isMap } from './yaml';

/**
 * Reads a Palette cluster-profile export (JSON): `metadata.name`, `spec.version`,
 * `spec.template.type`, `spec.template.cloudType` and `spec.template.packs[]`. Fields this library
 * does not use are ignored. Packs of type `spectro` and `oci` are registry packs (resolved later
 * through a pack catalog); layers in the `os` and `k8s` slots are accepted whatever their type and
 * read as registry packs, since they deploy nothing.
 *
 * Fields Palette does not have, written by this library's export only where the model needs them
 * to load back the same (`chart`, `repository`, `timeoutSeconds`, `packName`), are read too.
 */
export function parsePaletteExport(text: string, file: string): ProfileSpec {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ProfileError({ file, message: `is not valid JSON: ${(err as Error).message}` });
  }
  return readPaletteExport(doc, file);
}

/** {@link parsePaletteExport} for a document already parsed from JSON. */
export function readPaletteExport(doc: unknown, file: string): ProfileSpec {
  const problems = new ProblemList();
  const at: Location = { file };
  if (!isMap(doc)) throw new ProfileError({ ...at, message: `must hold a JSON object (a Palette cluster-profile export), found ${shown(doc)}` });
  const metadata = isMap(doc.metadata) ? doc.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    throw new ProfileError({ ...at, field: 'metadata.name', message: `must be the profile's name, found ${shown(name)}` });
  }
  const where: Location = { file, profile: name };
  const spec = isMap(doc.spec) ? doc.spec : undefined;
  if (spec === undefined) throw new ProfileError({ ...where, field: 'spec', message: `must be an object with version and template, found ${shown(doc.spec)}` });
  const template = isMap(spec.template) ? spec.template : undefined;
  if (template === undefined) throw new ProfileError({ ...where, field: 'spec.template', message: `must be an object with type and packs, found ${shown(spec.template)}` });
  const packs = template.packs;
  if (!Array.isArray(packs)) throw new ProfileError({ ...where, field: 'spec.template.packs', message: `must be a list of layers, found ${shown(packs)}` });
  const layers: LayerSpec[] = [];
  packs.forEach((pack, i) => {
    const layer = parsePack(pack, i, where, problems);
    // Copies of one pack are named `<display-name>--<chart>` by Palette (duplicates.ts).
    if (layer !== undefined) layers.push(readCopyName(layer, pack as Record<string, unknown>));
  });
  const variables = parsePaletteVariables(spec.variables, where, problems);
  problems.throwIfAny();
  return {
    name,
    version: spec.version === undefined ? undefined : (spec.version as string),
    type: template.type as ProfileSpec['type'],
    description: typeof metadata.description === 'string' ? metadata.description : undefined,
    ...(typeof template.cloudType === 'string' ? { cloudType: template.cloudType } : {}),
    layers,
    ...(variables !== undefined && variables.length > 0 ? { variables } : {}),
    source: file,
  };
}

function parsePack(pack: unknown, index: number, at: Location, problems: ProblemList): LayerSpec | undefined {
  const field = `spec.template.packs[${index}]`;
  if (!isMap(pack)) {
    problems.add({ ...at, field }, `must be a layer object, found ${shown(pack)}`);
    return undefined;
  }
  if (typeof pack.name !== 'string' || pack.name === '') {
    problems.add({ ...at, field: `${field}.name` }, `must be the layer's name, found ${shown(pack.name)}`);
    return undefined;
  }
  const where: Location = { ...at, layer: pack.name };
  const slot = pack.layer ?? 'addon';
  if (typeof slot !== 'string' || !LAYER_SLOTS.includes(slot as LayerSlot)) {
    problems.add({ ...where, field: 'layer' }, `${shown(slot)} must be one of ${quotedList(LAYER_SLOTS)}`);
    return undefined;
  }
  const values = pack.values;
  if (values !== undefined && values !== null && typeof values !== 'string') {
    problems.add({ ...where, field: 'values' }, `must be a YAML string, found ${shown(values)}`);
    return undefined;
  }
  const version = typeof pack.version === 'string' ? pack.version : typeof pack.tag === 'string' ? pack.tag : (pack.version as string);
  const registry = isMap(pack.registry) && isMap(pack.registry.metadata) ? pack.registry.metadata : undefined;
  const registryName = typeof registry?.name === 'string' ? registry.name : typeof registry?.uid === 'string' ? registry.uid : undefined;
  const common = {
    name: pack.name,
    slot: slot as LayerSlot,
    values: (values ?? undefined) as string | undefined,
    ...(pack.timeoutSeconds !== undefined ? { timeoutSeconds: pack.timeoutSeconds as number } : {}),
  };
  // Manifests attached to a Helm or registry pack (a manifest pack's are its content, read below).
  const attached = pack.type !== 'manifest' ? attachedManifests(pack.manifests, where, problems) : undefined;
  if (attached === null) return undefined;
  const withManifests = attached !== undefined ? { manifests: attached } : {};
  const registryPack = (): LayerSpec => ({
    ...common,
    kind: 'pack',
    version,
    ...(typeof pack.packName === 'string' ? { packName: pack.packName } : {}),
    ...(typeof pack.tag === 'string' ? { tag: pack.tag } : {}),
    ...(registryName !== undefined ? { registry: registryName } : {}),
    ...(pack.type === 'oci' ? { packType: 'oci' as const } : {}),
    ...withManifests,
  });
  if (slot === 'os' || slot === 'k8s') return registryPack();
  switch (pack.type) {
    case 'helm':
      return {
        ...common,
        kind: 'helm',
        version,
        ...(typeof pack.tag === 'string' && pack.tag !== version ? { tag: pack.tag } : {}),
        ...(typeof pack.chart === 'string' ? { chart: pack.chart } : {}),
        ...(typeof pack.repository === 'string' ? { repository: pack.repository } : {}),
        ...(registryName !== undefined ? { registry: registryName } : {}),
        ...withManifests,
      };
    case 'manifest': {
      if (!Array.isArray(pack.manifests)) {
        problems.add({ ...where, field: 'manifests' }, `must be a list of {name, content}, found ${shown(pack.manifests)}`);
        return undefined;
      }
      return { ...common, kind: 'manifest', version, manifests: pack.manifests as ManifestSpec[] };
    }
    case 'spectro':
    case 'oci':
      return registryPack();
    case 'zarf':
      if (attached !== undefined) {
        problems.add({ ...where, field: 'manifests' }, 'lists manifests attached to a Zarf layer, which deploys only its package; move them into a manifest layer');
        return undefined;
      }
      // `package` and `packageName` are this library's fields; Palette names the registry.
      return {
        ...common,
        kind: 'zarf',
        version,
        ...(typeof pack.package === 'string' ? { package: pack.package } : {}),
        ...(typeof pack.packageName === 'string' ? { packageName: pack.packageName } : {}),
        ...(registryName !== undefined ? { registry: registryName } : {}),
      };
    default:
      problems.add({ ...where, field: 'type' }, `${shown(pack.type)} must be "spectro", "oci", "helm", "manifest" or "zarf" (or any type in the os and k8s slots)`);
      return undefined;
  }
}

/**
 * The `manifests` attached to a non-manifest pack: undefined when there are none, null (after
 * reporting) when the field is not a list. Each entry's name and content are checked with the
 * layer's documents (manifests.ts).
 */
function attachedManifests(value: unknown, where: Location, problems: ProblemList): ManifestSpec[] | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.add({ ...where, field: 'manifests' }, `must be a list of {name, content}, found ${shown(value)}`);
    return null;
  }
  return value.length === 0 ? undefined : (value as ManifestSpec[]);
}
