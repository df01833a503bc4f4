import { Location, ProblemList, ProfileError, quotedList, shown, unknownKeys } from '../model/errors';
import { EXACT_SEMVER } from '../model/versions';
import { CatalogChart, CatalogPack, CatalogPreset, CatalogRegistry, PackCatalog } from '../model/catalog';
import { ManifestSpec } from '../model/spec';
import { readBoundedFile } from './read-file';
import { parseHelmYaml, parseWithValues } from './values-yaml';
import { isMap, yamlReason } from './yaml';

/** The `apiVersion` of catalog and authoring files. */
export const FILE_API_VERSION = 'cluster-profiles/v1';

/** The `kind` of a catalog file. */
export const CATALOG_KIND = 'PackCatalog';

/** Catalog files larger than this are refused before parsing. */
export const MAX_CATALOG_BYTES = 64 * 1024 * 1024;

const ROOT_KEYS: readonly string[] = ['apiVersion', 'kind', 'registries', 'packs'];
const REGISTRY_KEYS: readonly string[] = ['name', 'uid', 'url'];
const PACK_KEYS: readonly string[] = ['name', 'version', 'registry', 'charts', 'manifests', 'values', 'presets'];
const CHART_KEYS: readonly string[] = ['name', 'version', 'repository', 'registry'];
const MANIFEST_KEYS: readonly string[] = ['name', 'content'];
const PRESET_KEYS: readonly string[] = ['name', 'displayName', 'group', 'remove', 'add'];

/** Reads a catalog file (YAML or JSON). Every problem in it is reported at once. */
export function loadCatalogFile(file: string): PackCatalog {
  const bytes = readBoundedFile(file, { noun: 'catalog file', cannotRead: 'cannot be read as a pack catalog', maxBytes: MAX_CATALOG_BYTES });
  return parseCatalog(bytes.toString('utf8'), file);
}

/**
 * Parses a catalog's text (YAML or JSON); `file` names it in messages. Names and versions are read
 * as YAML 1.2 (`registry: no` is the string "no"); values and preset `add` maps are read as Helm
 * reads them (`enabled: yes` is true), since Helm gets them.
 */
export function parseCatalog(text: string, file: string): PackCatalog {
  const { doc, valuesDoc } = parseWithValues(text, file);
  return readCatalog(doc, file, valuesDoc);
}

/**
 * Checks a catalog given as data (parsed YAML, or an object built in code) and returns it in its
 * normal form. Every problem is reported at once in a ProfileError naming the field. `valuesDoc`
 * is the same document parsed the way Helm reads YAML, where pack values and preset `add` maps are
 * taken from.
 */
export function readCatalog(doc: unknown, file?: string, valuesDoc: unknown = doc): PackCatalog {
  const problems = new ProblemList();
  const at: Location = { file };
  if (!isMap(doc)) throw new ProfileError({ ...at, message: `must be a map with apiVersion "${FILE_API_VERSION}" and kind "${CATALOG_KIND}", found ${shown(doc)}` });
  if (doc.apiVersion !== FILE_API_VERSION || doc.kind !== CATALOG_KIND) {
    const found = `apiVersion ${shown(doc.apiVersion)} and kind ${shown(doc.kind)}`;
    throw new ProfileError({ ...at, message: `is not a pack catalog: expected apiVersion "${FILE_API_VERSION}" and kind "${CATALOG_KIND}", found ${found}` });
  }
  unknownKeys(doc, ROOT_KEYS, at, '', problems);
  const registries = readList(doc.registries, 'registries', at, problems).map(([r, field]) => readRegistry(r, field, at, problems));
  checkRegistryNames(registries, at, problems);
  const helmPacks = isMap(valuesDoc) && Array.isArray(valuesDoc.packs) ? valuesDoc.packs : [];
  const packs = readList(doc.packs, 'packs', at, problems).map(([p, field], i) => readPack(p, helmPacks[i], field, at, problems));
  checkDuplicatePacks(packs, at, problems);
  problems.throwIfAny();
  return {
    registries: registries.filter((r): r is CatalogRegistry => r !== undefined),
    packs: packs.filter((p): p is CatalogPack => p !== undefined),
    source: file,
  };
}

/**
 * Registry name and uid to URL, for every catalog registry that has a URL. Names come after uids,
 * so a name that equals another registry's uid means that name.
 */
export function catalogRegistryUrls(catalog: PackCatalog | undefined): Record<string, string> {
  // A Map, not an object: a registry named `constructor` or `__proto__` is a name like any other.
  const out = new Map<string, string>();
  for (const r of catalog?.registries ?? []) if (r.url !== undefined && r.uid !== undefined) out.set(r.uid, r.url);
  for (const r of catalog?.registries ?? []) if (r.url !== undefined) out.set(r.name, r.url);
  return Object.fromEntries(out);
}

/** The outcome of looking a pack version up. */
export type PackLookup =
  | { readonly found: CatalogPack }
  | { readonly found?: undefined; readonly reason: string };

/**
 * Finds a pack version. `registry` (a name or uid), when given, must match the entry's registry if
 * the entry names one; entries naming no registry match any.
 */
export function findPack(catalog: PackCatalog, name: string, version: string, registry?: string): PackLookup {
  const sameName = catalog.packs.filter((p) => p.name === name);
  const sameVersion = sameName.filter((p) => p.version === version);
  const matching = sameVersion.filter((p) => fromRegistry(catalog, p, registry));
  if (matching.length === 1) return { found: matching[0] };
  if (matching.length > 1) {
    const where = matching.map((p) => `"${p.registry}"`).join(', ');
    return { reason: `is listed in several registries of the catalog (${where}); name one in the layer's registry` };
  }
  if (sameVersion.length > 0) {
    const where = sameVersion.map((p) => `"${p.registry}"`).join(', ');
    return { reason: `is in the catalog only for registr${sameVersion.length === 1 ? 'y' : 'ies'} ${where}, not "${registry}"` };
  }
  if (sameName.length > 0) {
    return { reason: `is not in the catalog, which has versions ${[...new Set(sameName.map((p) => p.version))].join(', ')}` };
  }
  return { reason: 'is not in the catalog' };
}

/**
 * The versions the catalog lists for a pack, in catalog order without repeats, for version trains
 * on registry packs; undefined when the catalog has no pack of that name. `registry` (a name or uid)
 * filters as in {@link findPack}.
 */
export function listPackVersions(catalog: PackCatalog, name: string, registry?: string): string[] | undefined {
  const packs = catalog.packs.filter((p) => p.name === name && fromRegistry(catalog, p, registry));
  return packs.length === 0 ? undefined : [...new Set(packs.map((p) => p.version))];
}

/** Whether a catalog entry serves `registry` (a name or uid): always when either names none. */
function fromRegistry(catalog: PackCatalog, pack: CatalogPack, registry: string | undefined): boolean {
  return pack.registry === undefined || registry === undefined || sameRegistry(catalog, pack.registry, registry);
}

/** Whether two registry references (names or uids) mean the same registry of the catalog. */
function sameRegistry(catalog: PackCatalog, a: string, b: string): boolean {
  if (a === b) return true;
  const entry = catalog.registries.find((r) => r.name === a || r.uid === a);
  return entry !== undefined && (entry.name === b || entry.uid === b);
}

function readList(value: unknown, field: string, at: Location, problems: ProblemList): [unknown, string][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add({ ...at, field }, `must be a list, found ${shown(value)}`);
    return [];
  }
  return value.map((item, i) => [item, `${field}[${i}]`]);
}


function readString(value: unknown, at: Location, field: string, problems: ProblemList, required: boolean, what: string): string | undefined {
  if (value === undefined || value === null) {
    if (required) problems.add({ ...at, field }, `must be ${what}, found nothing`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    const hint = typeof value === 'number' ? ' (quote it in YAML: "1.0")' : '';
    problems.add({ ...at, field }, `must be ${what}, found ${shown(value)}${hint}`);
    return undefined;
  }
  return value;
}

function readRegistry(value: unknown, field: string, at: Location, problems: ProblemList): CatalogRegistry | undefined {
  if (!isMap(value)) {
    problems.add({ ...at, field }, `must be a map with name and optionally uid and url, found ${shown(value)}`);
    return undefined;
  }
  unknownKeys(value, REGISTRY_KEYS, at, field, problems);
  const name = readString(value.name, at, `${field}.name`, problems, true, 'the registry name');
  const uid = readString(value.uid, at, `${field}.uid`, problems, false, 'the registry uid');
  const url = readString(value.url, at, `${field}.url`, problems, false, 'the registry URL');
  if (name === undefined) return undefined;
  return { name, ...(uid !== undefined ? { uid } : {}), ...(url !== undefined ? { url } : {}) };
}

function checkRegistryNames(registries: readonly (CatalogRegistry | undefined)[], at: Location, problems: ProblemList): void {
  const seen = new Map<string, number>();
  registries.forEach((r, i) => {
    if (r === undefined) return;
    for (const [key, field] of [[r.name, 'name'], [r.uid, 'uid']] as const) {
      if (key === undefined) continue;
      const other = seen.get(key);
      if (other !== undefined && other !== i) {
        problems.add({ ...at, field: `registries[${i}].${field}` }, `"${key}" also names registries[${other}]; registry names and uids must be unique`);
      } else seen.set(key, i);
    }
  });
}

function readPack(value: unknown, helmValue: unknown, field: string, at: Location, problems: ProblemList): CatalogPack | undefined {
  if (!isMap(value)) {
    problems.add({ ...at, field }, `must be a pack map with name, version, charts and/or manifests, found ${shown(value)}`);
    return undefined;
  }
  unknownKeys(value, PACK_KEYS, at, field, problems);
  const name = readString(value.name, at, `${field}.name`, problems, true, 'the pack name');
  const version = readString(value.version, at, `${field}.version`, problems, true, 'the pack version');
  const registry = readString(value.registry, at, `${field}.registry`, problems, false, 'a registry name or uid');
  const charts = readList(value.charts, `${field}.charts`, at, problems)
    .map(([c, f]) => readChart(c, f, at, problems))
    .filter((c): c is CatalogChart => c !== undefined);
  const manifests = readList(value.manifests, `${field}.manifests`, at, problems)
    .map(([m, f]) => readManifest(m, f, at, problems))
    .filter((m): m is ManifestSpec => m !== undefined);
  checkUnique(charts.map((c) => c.name), `${field}.charts`, 'chart', at, problems);
  checkUnique(manifests.map((m) => m.name), `${field}.manifests`, 'manifest', at, problems);
  const helm = isMap(helmValue) ? helmValue : value;
  const values = readValues(helm.values, `${field}.values`, at, problems);
  checkValueTargets(values, 'charts', charts.map((c) => c.name), `${field}.values`, at, problems);
  checkValueTargets(values, 'manifests', manifests.map((m) => m.name), `${field}.values`, at, problems);
  const presets = readList(value.presets, `${field}.presets`, at, problems)
    .map(([p, f], i) => readPreset(p, Array.isArray(helm.presets) ? helm.presets[i] : undefined, f, at, problems))
    .filter((p): p is CatalogPreset => p !== undefined);
  checkUnique(presets.map((p) => p.name), `${field}.presets`, 'preset', at, problems);
  if (name === undefined || version === undefined) return undefined;
  return { name, version, ...(registry !== undefined ? { registry } : {}), charts, manifests, values, presets };
}

function readChart(value: unknown, field: string, at: Location, problems: ProblemList): CatalogChart | undefined {
  if (!isMap(value)) {
    problems.add({ ...at, field }, `must be a chart map with name, version and repository or registry, found ${shown(value)}`);
    return undefined;
  }
  unknownKeys(value, CHART_KEYS, at, field, problems);
  const name = readString(value.name, at, `${field}.name`, problems, true, 'the chart name');
  const version = readString(value.version, at, `${field}.version`, problems, true, 'the chart version');
  if (version !== undefined && !EXACT_SEMVER.test(version)) {
    problems.add({ ...at, field: `${field}.version` }, `${shown(version)} must be an exact chart version such as "1.15.6"`);
  }
  const repository = readString(value.repository, at, `${field}.repository`, problems, false, 'a repository URL');
  const registry = readString(value.registry, at, `${field}.registry`, problems, false, 'a registry name or uid');
  if (value.repository === undefined && value.registry === undefined) {
    problems.add({ ...at, field }, 'needs repository (a URL) or registry (a registry name or uid)');
  } else if (value.repository !== undefined && value.registry !== undefined) {
    problems.add({ ...at, field }, 'has both repository and registry; give one');
  }
  if (name === undefined || version === undefined) return undefined;
  return { name, version, ...(repository !== undefined ? { repository } : {}), ...(registry !== undefined ? { registry } : {}) };
}

function readManifest(value: unknown, field: string, at: Location, problems: ProblemList): ManifestSpec | undefined {
  if (!isMap(value)) {
    problems.add({ ...at, field }, `must be a manifest map with name and content, found ${shown(value)}`);
    return undefined;
  }
  unknownKeys(value, MANIFEST_KEYS, at, field, problems);
  const name = readString(value.name, at, `${field}.name`, problems, true, 'the manifest name');
  const content = typeof value.content === 'string' ? value.content : undefined;
  if (content === undefined) problems.add({ ...at, field: `${field}.content` }, `must be YAML text, found ${shown(value.content)}`);
  if (name === undefined || content === undefined) return undefined;
  return { name, content };
}

function readValues(value: unknown, field: string, at: Location, problems: ProblemList): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = parseHelmYaml(value) ?? {};
    } catch (err) {
      problems.add({ ...at, field }, `is not valid YAML: ${yamlReason(err)}`);
      return {};
    }
  }
  if (!isMap(parsed)) {
    problems.add({ ...at, field }, `must be a map (or YAML text holding one), found ${shown(parsed)}`);
    return {};
  }
  return parsed;
}

function checkValueTargets(values: Record<string, unknown>, key: 'charts' | 'manifests', names: readonly string[], field: string, at: Location, problems: ProblemList): void {
  const targets = values[key];
  if (targets === undefined || targets === null) return;
  if (!isMap(targets)) {
    problems.add({ ...at, field: `${field}.${key}` }, `must be a map of ${key === 'charts' ? 'chart' : 'manifest'} name to values, found ${shown(targets)}`);
    return;
  }
  for (const name of Object.keys(targets)) {
    if (!names.includes(name)) {
      const known = quotedList([...new Set(names)]);
      problems.add({ ...at, field: `${field}.${key}.${name}` }, `names no ${key === 'charts' ? 'chart' : 'manifest'} of this pack (${key}: ${known})`);
    }
  }
}

function readPreset(value: unknown, helmValue: unknown, field: string, at: Location, problems: ProblemList): CatalogPreset | undefined {
  if (!isMap(value)) {
    problems.add({ ...at, field }, `must be a preset map with name, group, remove and add, found ${shown(value)}`);
    return undefined;
  }
  unknownKeys(value, PRESET_KEYS, at, field, problems);
  const name = readString(value.name, at, `${field}.name`, problems, true, 'the preset name');
  const displayName = readString(value.displayName, at, `${field}.displayName`, problems, false, 'a display name');
  const group = readString(value.group, at, `${field}.group`, problems, false, 'a group name');
  const remove: string[] = [];
  readList(value.remove, `${field}.remove`, at, problems).forEach(([path, f]) => {
    const p = readString(path, at, f, problems, true, 'a dotted values path');
    if (p !== undefined) remove.push(p);
  });
  const add = readValues((isMap(helmValue) ? helmValue : value).add, `${field}.add`, at, problems);
  if (name === undefined) return undefined;
  return { name, ...(displayName !== undefined ? { displayName } : {}), ...(group !== undefined ? { group } : {}), remove, add };
}

function checkUnique(names: readonly string[], field: string, what: string, at: Location, problems: ProblemList): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.add({ ...at, field }, `lists ${what} "${name}" twice; ${what} names must be unique within a pack`);
    seen.add(name);
  }
}

function checkDuplicatePacks(packs: readonly (CatalogPack | undefined)[], at: Location, problems: ProblemList): void {
  const seen = new Map<string, number>();
  packs.forEach((p, i) => {
    if (p === undefined) return;
    const key = `${p.name}\u0000${p.version}\u0000${p.registry ?? ''}`;
    const other = seen.get(key);
    if (other !== undefined) {
      const registry = p.registry !== undefined ? ` in registry "${p.registry}"` : '';
      problems.add({ ...at, field: `packs[${i}]` }, `repeats pack "${p.name}" version "${p.version}"${registry} of packs[${other}]; each pack version may be listed once per registry`);
    } else seen.set(key, i);
  });
}
