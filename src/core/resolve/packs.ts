import { findPack } from '../input/catalog';
import { CatalogPack, PackCatalog } from '../model/catalog';
import { Location, ProblemList, quotedList, shown } from '../model/errors';
import { RawDocument, readManifests } from './manifests';
import { mergeValues } from './merge-values';
import { PackLayerSpec } from '../model/spec';
import { catalogRegistryReference } from '../input/registry-identity';
import { RELEASE_NAME_FORM, isReleaseName } from '../model/names';
import { applyPresets, choosePresets, enabledPresetsOf } from './presets';
import { parseHelmYaml, toHelmYaml } from '../input/values-yaml';
import { isMap, yamlReason } from '../input/yaml';
import { ownValue } from '../model/dictionary';
import { VARIABLE_REFERENCE } from './variables';
import { LayerSettings, ResolvedRelease, TemplatedManifest } from '../model/resolved';

/**
 * Registry packs: a pack layer, looked up in the catalog, becomes one Helm release per chart of the
 * pack and the objects of its manifests.
 *
 * Values: the layer's values are merged over the pack's default values with Helm's rules (see
 * {@link mergeValues}). Of the result, `pack:` configures the layer as for any layer,
 * `charts.<chart>:` becomes that chart's release values and `manifests.<name>:` fills the
 * `{{ .Values.path }}` placeholders of that manifest. Nothing else may sit at the top level, since it
 * would reach nothing.
 */

/** What a pack layer deploys. */
export interface PackContents {
  readonly releases: readonly ResolvedRelease[];
  /** The manifests' documents, placeholders filled, not yet placed in namespaces. */
  readonly documents: readonly RawDocument[];
  /** The manifests that are Go templates over their values, rendered by Helm. */
  readonly templates: readonly TemplatedManifest[];
}

/** The top-level keys a registry pack's values may hold. */
export const PACK_VALUE_KEYS: readonly string[] = ['pack', 'charts', 'manifests'];

/**
 * Finds a pack layer's pack version in the catalog. Reports a missing pack (or a missing catalog)
 * as a problem of the layer, so that every missing pack of a run is named at once.
 */
export function lookupPack(spec: PackLayerSpec, where: Location, catalog: PackCatalog | undefined, problems: ProblemList): CatalogPack | undefined {
  const name = spec.packName ?? spec.name;
  const label = `pack "${name}" version ${shown(spec.version)}`;
  if (typeof spec.version !== 'string' || spec.version === '') {
    problems.add({ ...where, field: 'version' }, `must be the pack's version, found ${shown(spec.version)}`);
    return undefined;
  }
  if (catalog === undefined) {
    problems.add(where, `${label} is a registry pack: its charts and manifests come from a pack catalog, and none was given (--catalog FILE)`);
    return undefined;
  }
  const lookup = findPack(catalog, name, spec.version, catalogRegistryReference(catalog, spec));
  if (lookup.found !== undefined) return lookup.found;
  const from = catalog.source !== undefined ? ` (${catalog.source})` : '';
  problems.add(where, `${label} ${lookup.reason}${from}; add it to the catalog`);
  return undefined;
}

/**
 * The layer's values merged over the pack's defaults, `pack:` block included. Parse problems are
 * reported and the defaults alone are returned, so that the rest of the layer is still checked.
 */
export function mergePackValues(spec: PackLayerSpec, pack: CatalogPack, where: Location, problems: ProblemList): Record<string, unknown> {
  // Enabled presets change the pack's defaults (a new object); the layer's own values are merged over them.
  const defaults = applyPresets(pack.values, choosePresets(pack, enabledPresetsOf(spec), where, problems));
  const values = spec.values;
  if (values === undefined || values === null) return defaults;
  let parsed: unknown = values;
  if (typeof values === 'string') {
    try {
      parsed = parseHelmYaml(values) ?? {};
    } catch (err) {
      problems.add({ ...where, field: 'values' }, `is not valid YAML: ${yamlReason(err)}`);
      return defaults;
    }
  }
  if (!isMap(parsed)) {
    problems.add({ ...where, field: 'values' }, `must be a YAML map at the top level, found ${shown(parsed)}`);
    return defaults;
  }
  return mergeValues(defaults, parsed);
}

/**
 * What a pack layer deploys, given its merged values without the `pack:` block. `registries` maps
 * registry names and uids to URLs for charts that name a registry.
 */
export function resolvePackContents(
  pack: CatalogPack,
  values: Readonly<Record<string, unknown>>,
  settings: LayerSettings,
  where: Location,
  registries: Readonly<Record<string, string>>,
  problems: ProblemList,
): PackContents {
  const label = `pack "${pack.name}" ${pack.version}`;
  if (pack.charts.length === 0 && pack.manifests.length === 0) {
    problems.add(where, `${label} has no charts and no manifests in the catalog, so it would deploy nothing; list them, or put the layer in the os or k8s slot`);
  }
  for (const key of Object.keys(values)) {
    if (!PACK_VALUE_KEYS.includes(key)) {
      problems.add({ ...where, field: `values.${key}` }, `reaches no chart or manifest of ${label}: put chart values under charts.<chart>: (${quotedList(pack.charts.map((c) => c.name))}) and manifest values under manifests.<name>: (${quotedList(pack.manifests.map((m) => m.name))})`);
    }
  }
  const chartValues = targets(values.charts, 'charts', pack.charts.map((c) => c.name), label, where, problems);
  const manifestValues = targets(values.manifests, 'manifests', pack.manifests.map((m) => m.name), label, where, problems);

  const releases = pack.charts.map((chart): ResolvedRelease => {
    let repository = chart.repository;
    if (repository === undefined && chart.registry !== undefined) {
      repository = registries[chart.registry];
      if (repository === undefined) {
        problems.add(where, `${label} chart "${chart.name}" comes from registry "${chart.registry}", which has no URL; add url to the catalog's registry or pass --registry "${chart.registry}=URL"`);
      }
    }
    const releaseName = ownValue(settings.releaseNameOverride, chart.name) ?? chart.name;
    if (!isReleaseName(releaseName)) {
      const field = ownValue(settings.releaseNameOverride, chart.name) !== undefined ? `pack.releaseNameOverride.${chart.name}` : `charts.${chart.name}`;
      problems.add({ ...where, field }, `release name ${shown(releaseName)} ${RELEASE_NAME_FORM}`);
    }
    const own = chartValues[chart.name];
    const yaml = isMap(own) && Object.keys(own).length > 0 ? toHelmYaml(own) : undefined;
    return { chart: chart.name, repository: repository ?? '', version: chart.version, releaseName, ...(yaml !== undefined ? { values: yaml } : {}) };
  });
  for (const name of Object.keys(settings.releaseNameOverride)) {
    if (!pack.charts.some((c) => c.name === name)) {
      problems.add({ ...where, field: `pack.releaseNameOverride.${name}` }, `names no chart of ${label} (charts: ${quotedList(pack.charts.map((c) => c.name))})`);
    }
  }

  // A manifest whose placeholders could not all be filled is not read further: its text is not the YAML meant.
  const templates: TemplatedManifest[] = [];
  const manifests = pack.manifests.flatMap((m) => {
    const own = manifestValues[m.name];
    const mine = isMap(own) ? own : {};
    if (isTemplatedManifest(m.content)) {
      const nested = /\{\{-?\s*(define|block)\b/.exec(m.content);
      if (nested !== null) {
        problems.add({ ...where, manifest: m.name, field: 'content' }, `is a Go template over the pack's values that uses "${nested[1]}", which the generated chart cannot hold (each templated manifest is one named template of the chart); inline the template`);
      } else {
        const variable = [...JSON.stringify(mine).matchAll(VARIABLE_REFERENCE)][0];
        if (variable !== undefined) {
          problems.add(
            { ...where, manifest: m.name, field: `values.manifests.${m.name}` },
            `uses profile variable "${variable[1]}", but manifest "${m.name}" of the pack is a Go template over these values, rendered by Helm from the chart's own values, which cannot hold Terraform variables; give the value itself`,
          );
        } else templates.push({ name: m.name, content: m.content, values: mine });
      }
      return [];
    }
    const content = fillPlaceholders(m.content, mine, { ...where, manifest: m.name }, problems);
    return content === undefined ? [] : [{ name: m.name, content }];
  });
  const documents = manifests.length > 0 ? readManifests(manifests, where, problems) : [];
  return { releases, documents, templates };
}

const ACTION = /\{\{([\s\S]*?)\}\}/g;

/**
 * Whether a pack manifest is a Go template over its values, which only a template engine renders:
 * one of its actions (`{{ ... }}`, trim markers aside) uses `.Values` (or `$.Values`) in any other
 * way than a plain `{{ .Values.path.to.key }}` placeholder: `{{ if .Values.apiEnabled }}`,
 * `{{ .Values.name | quote }}`, `{{ range .Values.hosts }}`, `{{ toYaml .Values.labels }}`. Palette
 * macros (`{{ .spectro... }}`) and text that merely looks like an action (`{{instance}}` in a
 * Grafana legend) do not make a template; a manifest of plain placeholders only is filled as text.
 */
export function isTemplatedManifest(content: string): boolean {
  for (const match of content.matchAll(ACTION)) {
    const inner = match[1].replace(/^-\s*/, '').replace(/\s*-$/, '').trim();
    if (inner.includes('.spectro.') || !/(^|[^A-Za-z0-9_])\$?\.Values\b/.test(inner)) continue;
    if (!VALUES_PATH.test(inner)) return true;
  }
  return false;
}

/** `charts:` or `manifests:` of the values: a map whose keys must name the pack's charts or manifests. */
function targets(value: unknown, key: 'charts' | 'manifests', names: readonly string[], label: string, where: Location, problems: ProblemList): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  const what = key === 'charts' ? 'chart' : 'manifest';
  if (!isMap(value)) {
    problems.add({ ...where, field: `values.${key}` }, `must be a map of ${what} name to values, found ${shown(value)}`);
    return {};
  }
  for (const [name, inner] of Object.entries(value)) {
    if (!names.includes(name)) {
      problems.add({ ...where, field: `values.${key}.${name}` }, `names no ${what} of ${label} (${key}: ${quotedList(names)})`);
    } else if (inner !== null && !isMap(inner)) {
      problems.add({ ...where, field: `values.${key}.${name}` }, `must be a map of values, found ${shown(inner)}`);
    }
  }
  return value;
}

const PLACEHOLDER = /\{\{-?\s*([^{}]*?)\s*-?\}\}/g;
const VALUES_PATH = /^\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)$/;

/**
 * Fills `{{ .Values.path }}` placeholders of a pack manifest from its `manifests.<name>:` values. A
 * string goes in as written (quote the placeholder in the YAML when the string needs quoting), a
 * number or boolean as its text, a map or list as JSON (a YAML flow collection). A path with no
 * value is an error; then undefined is returned. A manifest that uses `.Values` in any other way
 * (pipes, functions, `if`) is a template ({@link isTemplatedManifest}), never filled here.
 * Placeholders that do not use `.Values` (Palette macros such as `{{.spectro.system.cluster.name}}`)
 * are left as they are.
 */
export function fillPlaceholders(content: string, values: Readonly<Record<string, unknown>>, where: Location, problems: ProblemList): string | undefined {
  let failed = false;
  const filled = content.replace(PLACEHOLDER, (whole: string, inner: string) => {
    if (!/\.Values\b/.test(inner)) return whole;
    // Any other use of .Values makes the manifest a template (isTemplatedManifest), rendered by Helm.
    const path = VALUES_PATH.exec(inner);
    if (path === null) return whole;
    const keys = path[1].slice(1).split('.');
    let value: unknown = values;
    for (const key of keys) value = isMap(value) ? value[key] : undefined;
    if (value === undefined || value === null) {
      problems.add({ ...where, field: 'content' }, `placeholder ${whole} has no value: set manifests.${String(where.manifest)}.${keys.join('.')} in the layer's values or the pack's defaults`);
      failed = true;
      return whole;
    }
    return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
  return failed ? undefined : filled;
}
