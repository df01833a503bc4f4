import { Location, ProblemList, shown } from '../model/errors';
import { LayerValues, DISPLAY_NAME_KEY } from '../model/spec';
import { LAYER_NAME_FORM, NAMESPACE_FORM, commaSeparated, isLayerName, isNamespaceName } from '../model/names';
import { readProvidesCrds } from './classify';
import { ManifestStrategy, LayerSettings, MANIFEST_STRATEGIES } from '../model/resolved';
import { readReadinessRules } from './readiness';
import { VARIABLE_REFERENCE } from './variables';
import { deepEqual, isMap, parseYaml, sortKeysDeep, yamlReason } from '../input/yaml';
import { parseHelmYaml, toHelmYaml } from '../input/values-yaml';
import { dictionary } from '../model/dictionary';

/** The annotation-style key that sets a layer's install priority. */
export const INSTALL_PRIORITY_KEY = 'spectrocloud.com/install-priority';

/** A layer's values split into the `pack:` settings and what goes to the workload. */
export interface SplitValues {
  /** The `pack:` settings. */
  readonly settings: LayerSettings;
  /**
   * The values without the `pack:` block, as YAML for Helm; undefined when nothing is left. When the
   * values were YAML text, everything outside the `pack:` block is kept byte for byte (comments,
   * quoting, YAML 1.1 scalars such as `yes`), so Helm reads exactly what the author wrote.
   */
  readonly yaml?: string;
  /** The parsed values without the `pack:` block. */
  readonly parsed: Readonly<Record<string, unknown>>;
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Reads a layer's values: parses them, validates the `pack:` block and removes it. Problems go to
 * `problems`; the result is still returned (with defaults) so that every problem of a run is found.
 */
export function splitValues(values: LayerValues | undefined, where: Location, problems: ProblemList): SplitValues {
  const { parsed, helmParsed, text } = parseValues(values, where, problems);
  const settings = readLayerSettings(parsed.pack, where, problems);
  const { pack: _removed, ...rest } = helmParsed;
  if (!('pack' in parsed)) {
    return { settings, parsed: rest, yaml: text !== undefined && Object.keys(rest).length > 0 ? text : nonEmptyYaml(rest) };
  }
  const kept = text !== undefined ? removeTopLevelKey(text, 'pack') : undefined;
  const yaml = kept !== undefined && sameValues(kept, rest) ? kept : nonEmptyYaml(rest);
  return { settings, parsed: rest, yaml: Object.keys(rest).length > 0 ? yaml : undefined };
}

function nonEmptyYaml(value: Record<string, unknown>): string | undefined {
  // Keys sorted: Helm ignores map order, and the same values given as objects built in another
  // order must synthesize to the same bytes.
  return Object.keys(value).length > 0 ? toHelmYaml(sortKeysDeep(value)) : undefined;
}


/**
 * Parses a layer's values twice: as YAML 1.2 for the `pack:` block, which is the tool's own (names
 * such as `namespace: y` stay text), and as Helm reads values (YAML 1.1, `values-yaml.ts`) for the
 * rest, which goes to the workload.
 */
function parseValues(
  values: LayerValues | undefined,
  where: Location,
  problems: ProblemList,
): { parsed: Record<string, unknown>; helmParsed: Record<string, unknown>; text?: string } {
  if (values === undefined) return { parsed: {}, helmParsed: {} };
  if (typeof values !== 'string') {
    if (!isMap(values)) {
      problems.add({ ...where, field: 'values' }, `must be a YAML map, found ${shown(values)}`);
      return { parsed: {}, helmParsed: {} };
    }
    return { parsed: { ...values }, helmParsed: { ...values } };
  }
  let parsed: unknown;
  let helmParsed: unknown;
  try {
    parsed = parseYaml(values);
    helmParsed = parseHelmYaml(values);
  } catch (err) {
    problems.add({ ...where, field: 'values' }, `is not valid YAML: ${yamlReason(err)}`);
    return { parsed: {}, helmParsed: {} };
  }
  if (parsed === null || parsed === undefined) return { parsed: {}, helmParsed: {}, text: values };
  if (!isMap(parsed) || !isMap(helmParsed)) {
    problems.add({ ...where, field: 'values' }, `must be a YAML map at the top level, found ${shown(parsed)}`);
    return { parsed: {}, helmParsed: {} };
  }
  return { parsed, helmParsed, text: values };
}

function sameValues(text: string, expected: Record<string, unknown>): boolean {
  try {
    const again = parseHelmYaml(text);
    return deepEqual(again ?? {}, expected);
  } catch {
    return false;
  }
}

/**
 * Removes one top-level key of a block-style YAML map by text, keeping every other line. Returns
 * undefined when the key is not found at column 0; the caller checks the result by parsing it.
 */
function removeTopLevelKey(text: string, key: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(${key}|"${key}"|'${key}')\\s*:`).test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  // The empty piece after a final newline is not a line of the block: keep it, so the newline stays.
  const stop = text.endsWith('\n') ? lines.length - 1 : lines.length;
  while (end < stop) {
    const line = lines[end];
    const startsNewEntry = /^[^\s#]/.test(line);
    if (startsNewEntry) break;
    end++;
  }
  // Keep trailing comment lines at column 0 that precede the next key: they belong to it.
  while (end - 1 > start && /^#/.test(lines[end - 1])) end--;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

function readLayerSettings(block: unknown, where: Location, problems: ProblemList): LayerSettings {
  const empty: LayerSettings = {
    additionalNamespaces: [],
    namespaceLabels: new Map(),
    namespaceAnnotations: new Map(),
    installPriority: 0,
    releaseNameOverride: dictionary(),
    previousNames: [],
    retainNamespace: false,
    providesCrds: [],
    readiness: [],
  };
  if (block === undefined || block === null) return empty;
  if (!isMap(block)) {
    problems.add({ ...where, field: 'pack' }, `must be a map, found ${shown(block)}`);
    return empty;
  }
  return {
    namespace: readNamespace(block.namespace, { ...where, field: 'pack.namespace' }, problems),
    additionalNamespaces: readAdditionalNamespaces(block.additionalNamespaces, where, problems),
    namespaceLabels: readTargets(block.namespaceLabels, 'namespaceLabels', where, problems, true),
    namespaceAnnotations: readTargets(block.namespaceAnnotations, 'namespaceAnnotations', where, problems, false),
    installPriority: readPriority(block[INSTALL_PRIORITY_KEY], where, problems),
    displayName: readOptionalString(block[DISPLAY_NAME_KEY], { ...where, field: `pack.${DISPLAY_NAME_KEY}` }, problems),
    releaseNameOverride: readReleaseNameOverride(block.releaseNameOverride, where, problems),
    previousNames: readPreviousNames(block.previousNames, where, problems),
    retainNamespace: readFlag(block.retainNamespace, { ...where, field: 'pack.retainNamespace' }, problems),
    schemaCheck: block.schemaCheck === undefined || block.schemaCheck === null ? undefined : readFlag(block.schemaCheck, { ...where, field: 'pack.schemaCheck' }, problems),
    manifestStrategy: readManifestStrategy(block.manifestStrategy, where, problems),
    providesCrds: readProvidesCrds(block.providesCrds, where, problems),
    readiness: readReadinessRules(block.readiness, where, problems),
  };
}

/** `pack.previousNames`: a layer name, a comma-separated list of names or a list of names. */
function readPreviousNames(value: unknown, where: Location, problems: ProblemList): string[] {
  const field = 'pack.previousNames';
  if (value === undefined || value === null) return [];
  const names = typeof value === 'string' ? commaSeparated(value) : value;
  if (!Array.isArray(names)) {
    problems.add({ ...where, field }, `must be a layer name, a comma-separated list of names or a list of names (oldest first), found ${shown(value)}`);
    return [];
  }
  const out: string[] = [];
  names.forEach((name: unknown, i) => {
    const at = { ...where, field: Array.isArray(value) ? `${field}[${i}]` : field };
    if (typeof name !== 'string' || !isLayerName(name)) problems.add(at, `${shown(name)} ${LAYER_NAME_FORM}`);
    else if (out.includes(name)) problems.add(at, `lists "${name}" twice; give each earlier name once, oldest first`);
    else out.push(name);
  });
  return out;
}

function readFlag(value: unknown, where: Location, problems: ProblemList): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    problems.add(where, `must be true or false, found ${shown(value)}`);
    return false;
  }
  return value;
}

function readNamespace(value: unknown, where: Location, problems: ProblemList): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // A profile variable here is reported once, by the variables check, which says what to use instead.
  if (typeof value === 'string' && usesVariable(value)) return undefined;
  if (typeof value !== 'string' || !isNamespaceName(value)) {
    problems.add(where, `${shown(value)} ${NAMESPACE_FORM}`);
    return undefined;
  }
  return value;
}

function usesVariable(text: string): boolean {
  return new RegExp(VARIABLE_REFERENCE.source).test(text);
}

function readAdditionalNamespaces(value: unknown, where: Location, problems: ProblemList): string[] {
  const field = 'pack.additionalNamespaces';
  let names: unknown[];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') names = commaSeparated(value);
  else if (Array.isArray(value)) names = value;
  else if (isMap(value)) names = Object.keys(value);
  else {
    problems.add({ ...where, field }, `must be a namespace name, a comma-separated list of names or a list of names, found ${shown(value)}`);
    return [];
  }
  const out: string[] = [];
  names.forEach((name, i) => {
    const ns = readNamespace(name, { ...where, field: Array.isArray(value) ? `${field}[${i}]` : field }, problems);
    if (ns !== undefined && !out.includes(ns)) out.push(ns);
  });
  return out;
}

function readTargets(
  value: unknown,
  key: 'namespaceLabels' | 'namespaceAnnotations',
  where: Location,
  problems: ProblemList,
  labels: boolean,
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (value === undefined || value === null) return out;
  if (!isMap(value)) {
    problems.add({ ...where, field: `pack.${key}` }, `must be a map of namespace to "key=value,key2=value2", found ${shown(value)}`);
    return out;
  }
  for (const [target, spec] of Object.entries(value)) {
    const field = `pack.${key}.${target}`;
    if (!isNamespaceName(target)) {
      problems.add({ ...where, field }, `targets namespace ${shown(target)}, which ${NAMESPACE_FORM}`);
      continue;
    }
    if (typeof spec !== 'string') {
      problems.add({ ...where, field }, `must be a string "key=value,key2=value2", found ${shown(spec)}`);
      continue;
    }
    const pairs = parseKeyValueList(spec);
    if (pairs === undefined) {
      problems.add({ ...where, field }, `${shown(spec)} must be "key=value,key2=value2" with a non-empty key before each '='`);
      continue;
    }
    for (const [k, v] of Object.entries(pairs)) {
      if (!isQualifiedName(k)) {
        problems.add({ ...where, field }, `key ${shown(k)} must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.'`);
      } else if (labels && !(v.length <= 63 && LABEL_VALUE.test(v))) {
        problems.add({ ...where, field }, `label value ${shown(v)} for key "${k}" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
      }
    }
    out.set(target, pairs);
  }
  return out;
}

/**
 * Parses Palette's `"k=v,k2=v2"`. A comma-separated piece without `=` continues the previous value,
 * so annotation values may hold commas (`a=x,y,b=z` is `a: "x,y"`, `b: "z"`).
 */
function parseKeyValueList(spec: string): Record<string, string> | undefined {
  // A Map, not an object: a key such as `__proto__` or `constructor` is a key like any other.
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const piece of spec.split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) {
      if (last === undefined) {
        if (piece.trim() === '') continue;
        return undefined;
      }
      out.set(last, `${out.get(last)},${piece}`);
      continue;
    }
    const key = piece.slice(0, eq).trim();
    if (key === '') return undefined;
    out.set(key, piece.slice(eq + 1).trim());
    last = key;
  }
  return Object.fromEntries(out);
}

function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && !(prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

function readPriority(value: unknown, where: Location, problems: ProblemList): number {
  const field = `pack.${INSTALL_PRIORITY_KEY}`;
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^[-+]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    problems.add({ ...where, field }, `${shown(value)} must be an integer (negative, 0 or positive), as a number or a string such as "30"`);
    return 0;
  }
  return Number(text);
}

function readOptionalString(value: unknown, where: Location, problems: ProblemList): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.add(where, `must be a non-empty string, found ${shown(value)}`);
    return undefined;
  }
  return value;
}

function readReleaseNameOverride(value: unknown, where: Location, problems: ProblemList): Record<string, string> {
  const field = 'pack.releaseNameOverride';
  if (value === undefined || value === null) return dictionary();
  if (!isMap(value)) {
    problems.add({ ...where, field }, `must be a map of chart name to release name, found ${shown(value)}`);
    return dictionary();
  }
  const out = dictionary<string>();
  for (const [chart, release] of Object.entries(value)) {
    if (typeof release !== 'string' || release === '') {
      problems.add({ ...where, field: `${field}.${chart}` }, `must be a release name, found ${shown(release)}`);
    } else out[chart] = release;
  }
  return out;
}

/** Reads `pack.manifestStrategy`; undefined when not set (the default applies). */
export function readManifestStrategy(value: unknown, where: Location, problems: ProblemList): ManifestStrategy | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !MANIFEST_STRATEGIES.includes(value as ManifestStrategy)) {
    problems.add({ ...where, field: 'pack.manifestStrategy' }, `${shown(value)} must be "chart" (one Helm release of a chart generated from the documents) or "manifest" (one kubernetes_manifest per document)`);
    return undefined;
  }
  return value as ManifestStrategy;
}
