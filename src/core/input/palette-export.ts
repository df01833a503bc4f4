import { Location, ProblemList, ProfileError, quotedList, shown } from '../model/errors';
import { LAYER_SLOTS, LayerSlot, LayerSpec, ManifestSpec, ProfileSpec, slotDeploys } from '../model/spec';
import { readCopyName } from './duplicates';
import { PaletteFields, keptFields, unusedFields } from './palette-fields';
import { parsePaletteVariables } from './palette-variables';
import { isMap } from './yaml';

/**
 * Reads a Palette cluster-profile export (JSON): `metadata.name`, `spec.version`,
 * `spec.template.type`, `spec.template.cloudType` and `spec.template.packs[]`. Fields this library
 * does not use (a pack's `uid`, its registry's `uid` and `isPrivate`, `metadata.labels`, ...) are
 * kept as they were read (`paletteFields`, palette-fields.ts), and `export` writes them back; a
 * field it uses but cannot read (a `chart` that is not a string) is an error, never skipped.
 * Packs of type `spectro` and `oci` are registry packs (resolved later
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
  const description = optionalText(metadata.description, { ...where, field: 'metadata.description' }, problems);
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
  const cloudType = optionalText(template.cloudType, { ...where, field: 'spec.template.cloudType' }, problems);
  problems.throwIfAny();
  return {
    name,
    version: spec.version === undefined ? undefined : (spec.version as string),
    type: template.type as ProfileSpec['type'],
    description,
    ...(cloudType !== undefined ? { cloudType } : {}),
    layers,
    ...(variables !== undefined && variables.length > 0 ? { variables } : {}),
    source: file,
    ...keptFields(unusedFields(doc, PROFILE_FIELDS.document, PROFILE_FIELDS)),
  };
}

/** The fields of an export this library uses: of the document, and of the maps under it (by path). */
const PROFILE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  document: ['metadata', 'spec'],
  metadata: ['name', 'description'],
  spec: ['version', 'template', 'variables'],
  'spec.template': ['type', 'cloudType', 'packs'],
};

/** The fields every pack uses (`layerName`: duplicates.ts); `type` too, but in the os and k8s slots. */
const PACK_FIELDS: readonly string[] = ['name', 'layer', 'version', 'values', 'timeoutSeconds', 'layerName'];

/** A text field: undefined when absent (or null), reported when it is not a string. */
function optionalText(value: unknown, where: Location, problems: ProblemList): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  problems.add(where, `must be a string, found ${shown(value)}`);
  return undefined;
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
  const text = (key: string): string | undefined => optionalText(pack[key], { ...where, field: key }, problems);
  const tag = text('tag');
  const registry = readRegistry(pack.registry, where, problems);
  const registryName = registry?.name;
  /** The pack's fields this library does not use, given those the layer's kind uses. */
  // The registry's kind is what export writes for the layer's kind (palette-writer.ts); another is kept.
  const kept = (used: readonly string[], registryKind?: string): { paletteFields?: PaletteFields } => {
    const metadata = isMap(pack.registry) && isMap(pack.registry.metadata) ? pack.registry.metadata : {};
    const registryUsed = [registry?.from ?? 'name', ...(registry?.uid !== undefined ? ['uid'] : []), ...(metadata.kind === registryKind ? ['kind'] : [])];
    return keptFields(unusedFields(pack, [...PACK_FIELDS, ...used, ...(registry !== undefined ? ['registry'] : [])], { registry: ['metadata'], 'registry.metadata': registryUsed }));
  };
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
  const registryPack = (): LayerSpec => {
    const packName = text('packName');
    // In the os and k8s slots any type is read as a registry pack; another type than these is kept.
    const typeUsed = pack.type === 'spectro' || pack.type === 'oci' ? ['type'] : [];
    const manifestsUsed = attached !== undefined ? ['manifests'] : [];
    return {
      ...common,
      kind: 'pack',
      version,
      ...(packName !== undefined ? { packName } : {}),
      ...(tag !== undefined ? { tag } : {}),
      ...(registryName !== undefined ? { registry: registryName } : {}),
      ...(registry?.uid !== undefined ? { registryUid: registry.uid } : {}),
      ...(pack.type === 'oci' ? { packType: 'oci' as const } : {}),
      ...withManifests,
      ...kept(['packName', 'tag', ...typeUsed, ...manifestsUsed], 'pack'),
    };
  };
  if (!slotDeploys(slot as LayerSlot)) return registryPack();
  switch (pack.type) {
    case 'helm': {
      const chart = text('chart');
      const repository = text('repository');
      return {
        ...common,
        kind: 'helm',
        version,
        ...(tag !== undefined && tag !== version ? { tag } : {}),
        ...(chart !== undefined ? { chart } : {}),
        ...(repository !== undefined ? { repository } : {}),
        ...(registryName !== undefined ? { registry: registryName } : {}),
        ...(registry?.uid !== undefined ? { registryUid: registry.uid } : {}),
        ...withManifests,
        // A tag equal to the version is not the model's (the version says it): kept as read.
        ...kept(['type', 'chart', 'repository', ...(tag !== version ? ['tag'] : []), ...(attached !== undefined ? ['manifests'] : [])], 'helm'),
      };
    }
    case 'manifest': {
      if (!Array.isArray(pack.manifests)) {
        problems.add({ ...where, field: 'manifests' }, `must be a list of {name, content}, found ${shown(pack.manifests)}`);
        return undefined;
      }
      return { ...common, kind: 'manifest', version, manifests: pack.manifests.map(manifestEntry), ...kept(['type', 'manifests']) };
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
      {
        const packageRef = text('package');
        const packageName = text('packageName');
        return {
          ...common,
          kind: 'zarf',
          version,
          ...(packageRef !== undefined ? { package: packageRef } : {}),
          ...(packageName !== undefined ? { packageName } : {}),
          ...(registryName !== undefined ? { registry: registryName } : {}),
          ...(registry?.uid !== undefined ? { registryUid: registry.uid } : {}),
          ...kept(['type', 'package', 'packageName'], 'oci'),
        };
      }
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
  return value.length === 0 ? undefined : value.map(manifestEntry);
}

/**
 * One `{name, content}` entry of a pack's manifests, its other fields (a `uid`) kept. Entries that
 * are not maps are left as they are, for manifests.ts to report.
 */
function manifestEntry(entry: unknown): ManifestSpec {
  if (!isMap(entry)) return entry as ManifestSpec;
  const fields = unusedFields(entry, ['name', 'content']);
  return fields === undefined ? (entry as unknown as ManifestSpec) : ({ name: entry.name, content: entry.content, paletteFields: fields } as ManifestSpec);
}

/**
 * The registry of a pack (`registry.metadata`): its name, else its uid, and which field it came
 * from; undefined when there is none. A registry that is not a map with a metadata map is an error.
 */
function readRegistry(value: unknown, where: Location, problems: ProblemList): { name: string; from: 'name' | 'uid'; uid?: string } | undefined {
  if (value === undefined || value === null) return undefined;
  const metadata = isMap(value) ? value.metadata : undefined;
  if (!isMap(metadata)) {
    problems.add({ ...where, field: 'registry' }, `must be {metadata: {name, uid}} naming the pack's registry, found ${shown(value)}`);
    return undefined;
  }
  // Palette writes `{"uid": "", "name": "", "kind": "", "isPrivate": false}` on a manifest layer, which has no registry: kept as read.
  if (metadata.name === '' && metadata.uid === '') return undefined;
  const uid = typeof metadata.uid === 'string' && metadata.uid !== '' ? metadata.uid : undefined;
  if (typeof metadata.name === 'string' && metadata.name !== '') return { name: metadata.name, from: 'name', ...(uid !== undefined ? { uid } : {}) };
  if (uid !== undefined) return { name: uid, from: 'uid', uid };
  problems.add({ ...where, field: 'registry.metadata' }, `must name the pack's registry with name or uid, found ${shown(metadata)}`);
  return undefined;
}
