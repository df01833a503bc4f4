import { isIP } from 'node:net';
import { compare } from '../model/compare';
import { ownValue } from '../model/dictionary';
import { Location, ProblemList, quotedList, shown } from '../model/errors';
import { EXACT_SEMVER } from '../model/versions';
import { LayerSpec, ProfileSpec, ProfileVariableSpec, VARIABLE_FORMATS, VariableFormat } from '../model/spec';
import { deepEqual, isMap } from '../input/yaml';
import { parseHelmYaml, parseKubernetesDocuments } from '../input/values-yaml';
import { re2Matches, re2SyntaxError } from './variable-regex';
import { escapeTemplate, hclString } from './terraform-escape';
import { VariableValue, ClusterVariable, VariableValidation } from '../model/resolved';
import { VariableOptions } from '../model/resolve-options';

/**
 * Profile variables: `{{.spectro.var.NAME}}` in a layer's values or manifests. The core leaves the
 * text in place and checks it: every variable used is defined by the layer's profile, none is used
 * where its value must be known at synthesis (the `pack:` block, a manifest's apiVersion, kind,
 * metadata.name or metadata.namespace), and each stands inside a YAML string. The constructs then
 * turn each variable into a Terraform input variable and each use into `${var.NAME}`, so every
 * cluster sets its values at plan time (`-var`, tfvars, `TF_VAR_NAME`).
 */

/**
 * A use of a profile variable, with any whitespace Go templates allow: group 1 is its name, group 2
 * the Sprig pipeline after it (`| trimPrefix "v" | upper`), if any, which `sprig-terraform.ts`
 * translates.
 */
export const VARIABLE_REFERENCE = /\{\{\s*\.spectro\.var\.([A-Za-z0-9_-]+)(\s*\|[\s\S]*?)?\s*\}\}/g;

/** Profile variable names: valid Terraform variable names too. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Names a profile variable may not take: Terraform reserves some, and the stack already has
 * `kubeconfig_path`.
 */
export const RESERVED_VARIABLE_NAMES: ReadonlySet<string> = new Set(['source', 'version', 'providers', 'count', 'for_each', 'lifecycle', 'depends_on', 'locals', 'kubeconfig_path']);

/** Every variable used in a text, in order of first use. */
export function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE_REFERENCE)].map((m) => m[1]))];
}

/**
 * Checks the variables of a cluster's profiles and their uses, and returns the variables the stack
 * gets, sorted by name. Problems go to `problems`.
 */
export function resolveVariables(profiles: readonly ProfileSpec[], options: VariableOptions, problems: ProblemList): ClusterVariable[] {
  const defined = new Map<string, { spec: ProfileVariableSpec; profiles: string[]; where: Location }>();
  const usedBy = new Map<string, Set<string>>();
  for (const profile of profiles) {
    if (typeof profile !== 'object' || profile === null) continue;
    const at: Location = { file: profile.source, profile: profile.name };
    const own = readDefinitions(profile, at, problems);
    for (const [name, spec] of own) {
      const other = defined.get(name);
      if (other === undefined) defined.set(name, { spec, profiles: [profile.name], where: at });
      else if (!sameDefinition(other.spec, spec)) {
        problems.add({ ...at, field: `variables.${name}` }, `is also defined by profile "${other.profiles[0]}" differently; one cluster has one Terraform variable per name, so define it the same way in both profiles or rename one`);
      } else other.profiles.push(profile.name);
    }
    if (!Array.isArray(profile.layers)) continue;
    for (const layer of profile.layers) {
      if (typeof layer !== 'object' || layer === null || typeof layer.name !== 'string') continue;
      const where: Location = { ...at, layer: layer.name };
      for (const name of checkLayer(layer, where, problems)) {
        if (!own.has(name)) {
          const list = [...own.keys()];
          problems.add({ ...where, field: 'values' }, `uses profile variable "${name}" ({{.spectro.var.${name}}}), which profile "${profile.name}" does not define (it defines: ${quotedList(list)}); add it to the profile's variables`);
          continue;
        }
        usedBy.set(name, (usedBy.get(name) ?? new Set()).add(layer.name));
      }
    }
  }
  const values = options.variableValues;
  if (values !== undefined) checkGivenValues(values, defined, problems);
  const out: ClusterVariable[] = [];
  for (const [name, { spec, profiles: owners }] of [...defined.entries()].sort((a, b) => compare(a[0], b[0]))) {
    const format = spec.format ?? 'string';
    const sensitive = spec.sensitive === true;
    const required = spec.required === true;
    // Own keys only: a variable named `constructor` must not find Object.prototype's.
    const given = ownValue(values, name);
    let value: VariableValue | undefined = given !== undefined && !sensitive ? convert(given, format) : undefined;
    if (value === undefined && !sensitive && spec.defaultValue !== undefined) value = convert(spec.defaultValue, format);
    if (value === undefined && !sensitive && !required && isStringFormat(format)) value = '';
    if (values !== undefined && required && !sensitive && value === undefined) {
      problems.add({ field: `--var ${name}` }, `is required by profile "${owners[0]}" and has no default; give it with --var ${name}=VALUE or in --var-file`);
    }
    out.push({
      name,
      format,
      type: format === 'number' ? 'number' : format === 'boolean' ? 'bool' : 'string',
      description: describe(spec),
      default: value,
      sensitive,
      required,
      validations: terraformValidations(spec),
      profiles: [...owners].sort(),
      usedBy: [...(usedBy.get(name) ?? [])].sort(),
      spec,
    });
  }
  return out;
}

function isStringFormat(format: VariableFormat): boolean {
  return format !== 'number' && format !== 'boolean';
}

function describe(spec: ProfileVariableSpec): string {
  const title = spec.displayName !== undefined && spec.displayName !== spec.name ? spec.displayName : undefined;
  return [title, spec.description].filter((s): s is string => s !== undefined && s !== '').join(': ') || `Profile variable ${spec.name}`;
}

function sameDefinition(a: ProfileVariableSpec, b: ProfileVariableSpec): boolean {
  const strip = (v: ProfileVariableSpec): Record<string, unknown> =>
    Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== false));
  return deepEqual(strip(a), strip(b));
}

function readDefinitions(profile: ProfileSpec, at: Location, problems: ProblemList): Map<string, ProfileVariableSpec> {
  const out = new Map<string, ProfileVariableSpec>();
  const list = profile.variables;
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    problems.add({ ...at, field: 'variables' }, `must be a list of variables, found ${shown(list)}`);
    return out;
  }
  list.forEach((spec: ProfileVariableSpec, i: number) => {
    const field = `variables[${i}]`;
    if (!isMap(spec)) {
      problems.add({ ...at, field }, `must be a variable object with a name, found ${shown(spec)}`);
      return;
    }
    if (typeof spec.name !== 'string' || !VARIABLE_NAME.test(spec.name)) {
      problems.add({ ...at, field: `${field}.name` }, `${shown(spec.name)} must be letters, digits, '_' and '-', starting with a letter or '_' (it becomes a Terraform variable name)`);
      return;
    }
    const where: Location = { ...at, field: `variables.${spec.name}` };
    if (RESERVED_VARIABLE_NAMES.has(spec.name)) {
      problems.add({ ...where, field: `${where.field}.name` }, `"${spec.name}" is reserved (by Terraform, or by the stack's own kubeconfig_path variable); rename the variable`);
      return;
    }
    if (out.has(spec.name)) {
      problems.add(where, 'is defined twice in this profile');
      return;
    }
    const format = spec.format ?? 'string';
    if (!VARIABLE_FORMATS.includes(format)) {
      problems.add({ ...where, field: `${where.field}.format` }, `${shown(format)} must be one of ${quotedList(VARIABLE_FORMATS)}`);
      return;
    }
    if (spec.regex !== undefined) {
      const why = typeof spec.regex === 'string' ? re2SyntaxError(spec.regex) : 'it is not a string';
      if (why !== undefined) {
        problems.add({ ...where, field: `${where.field}.regex` }, `${shown(spec.regex)} is not a regular expression in Terraform's (RE2) syntax: ${why}; lookarounds and backreferences are not supported`);
        return;
      }
    }
    if (spec.options !== undefined && (!Array.isArray(spec.options) || spec.options.some((o) => !isMap(o) || typeof o.value !== 'string'))) {
      problems.add({ ...where, field: `${where.field}.options` }, `must be a list of {value, label, description} with string values, found ${shown(spec.options)}`);
      return;
    }
    if (spec.defaultValue !== undefined && spec.sensitive !== true) {
      const why = invalidValue(spec, spec.defaultValue);
      if (why !== undefined) problems.add({ ...where, field: `${where.field}.defaultValue` }, `${shown(spec.defaultValue)} ${why}`);
    }
    out.set(spec.name, spec);
  });
  return out;
}

function checkGivenValues(
  values: Readonly<Record<string, VariableValue>>,
  defined: ReadonlyMap<string, { spec: ProfileVariableSpec; profiles: string[] }>,
  problems: ProblemList,
): void {
  for (const [name, value] of Object.entries(values)) {
    const field = `--var ${name}`;
    const found = defined.get(name);
    if (found === undefined) {
      const list = [...defined.keys()].sort();
      problems.add({ field }, `names no variable of the cluster's profiles (defined: ${quotedList(list)})`);
      continue;
    }
    if (found.spec.sensitive === true) {
      // The value is not echoed: it is a secret.
      problems.add({ field }, `is sensitive, so its value is never written into the synthesized files; give it to Terraform at plan time instead (TF_VAR_${name}=... or -var ${name}=...)`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.add({ field }, `must be a string, number or boolean, found ${shown(value)}`);
      continue;
    }
    const why = invalidValue(found.spec, value);
    if (why !== undefined) problems.add({ field }, `${shown(value)} ${why}`);
  }
}

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Why a value does not fit a variable, or undefined when it does. */
export function invalidValue(spec: ProfileVariableSpec, value: VariableValue): string | undefined {
  const format = spec.format ?? 'string';
  const converted = convert(value, format);
  if (converted === undefined) return `is not a ${format === 'boolean' ? 'boolean (true or false)' : 'number'}`;
  if (format === 'number' && Number.isInteger(converted) && !Number.isSafeInteger(converted)) {
    return `is an integer beyond 2^53 - 1 (9007199254740991): written into cdk.tf.json, a JSON number, it would be rounded; give the value to Terraform at plan time instead (-var ${spec.name}=..., which keeps it exact through to the cluster), or use a string variable`;
  }
  const text = String(converted);
  if (spec.required === true && text === '') return 'is empty, but the variable is required';
  if (text !== '' || spec.required === true) {
    const formatProblem = checkFormat(format, text);
    if (formatProblem !== undefined) return formatProblem;
    if (spec.regex !== undefined && !re2Matches(spec.regex, text)) return `does not match the variable's regex ${shown(spec.regex)}`;
    if (spec.options !== undefined && spec.options.length > 0 && !spec.options.some((o) => o.value === text)) {
      return `is not one of the variable's options (${spec.options.map((o) => shown(o.value)).join(', ')})`;
    }
  }
  return undefined;
}

function checkFormat(format: VariableFormat, text: string): string | undefined {
  switch (format) {
    case 'ipv4':
      return IPV4.test(text) ? undefined : 'is not an IPv4 address such as 10.0.0.1';
    case 'ipv4cidr': {
      const [ip, prefix, extra] = text.split('/');
      return extra === undefined && IPV4.test(ip) && /^([0-9]|[12][0-9]|3[0-2])$/.test(prefix ?? '') ? undefined : 'is not an IPv4 CIDR block such as 10.0.0.0/16';
    }
    case 'ipv6':
      return isIP(text) === 6 ? undefined : 'is not an IPv6 address such as fd00::1';
    case 'version':
      return EXACT_SEMVER.test(text) ? undefined : 'is not a semantic version such as 1.2.3';
    case 'base64':
      return BASE64.test(text) ? undefined : 'is not base64 text';
    default:
      return undefined;
  }
}

/** The value in the variable's Terraform type, or undefined when it cannot be. */
function convert(value: VariableValue, format: VariableFormat): VariableValue | undefined {
  if (format === 'number') {
    if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
    const text = String(value).trim();
    return text !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
  }
  if (format === 'boolean') {
    if (typeof value === 'boolean') return value;
    return value === 'true' ? true : value === 'false' ? false : undefined;
  }
  return String(value);
}

/**
 * The Terraform validations of a variable: its format (except number and boolean, which its type
 * checks), its regex and its options. A variable that is not required accepts the empty value.
 */
export function terraformValidations(spec: ProfileVariableSpec): VariableValidation[] {
  const ref = `var.${spec.name}`;
  const format = spec.format ?? 'string';
  const optionalEmpty = spec.required !== true && isStringFormat(format) ? `${ref} == "" || ` : '';
  const out: VariableValidation[] = [];
  const add = (check: string, message: string): void => {
    out.push({ condition: `\${${optionalEmpty}${check}}`, errorMessage: escapeTemplate(message) });
  };
  switch (format) {
    case 'ipv4':
      add(`can(regex(${hclString(IPV4.source)}, ${ref}))`, `The value of ${spec.name} must be an IPv4 address such as 10.0.0.1.`);
      break;
    case 'ipv4cidr':
      add(`can(cidrnetmask(${ref}))`, `The value of ${spec.name} must be an IPv4 CIDR block such as 10.0.0.0/16.`);
      break;
    case 'ipv6':
      add(`can(cidrhost(format("%s/128", ${ref}), 0))`, `The value of ${spec.name} must be an IPv6 address such as fd00::1.`);
      break;
    case 'version':
      add(`can(regex(${hclString(EXACT_SEMVER.source)}, ${ref}))`, `The value of ${spec.name} must be a semantic version such as 1.2.3.`);
      break;
    case 'base64':
      add(`can(base64decode(${ref}))`, `The value of ${spec.name} must be base64 text.`);
      break;
    default:
      break;
  }
  if (spec.regex !== undefined) {
    add(`can(regex(${hclString(spec.regex)}, tostring(${ref})))`, `The value of ${spec.name} must match the regular expression "${spec.regex}".`);
  }
  if (spec.options !== undefined && spec.options.length > 0) {
    const list = spec.options.map((o) => hclString(o.value)).join(', ');
    add(`contains([${list}], tostring(${ref}))`, `The value of ${spec.name} must be one of ${spec.options.map((o) => o.value).join(', ')}.`);
  }
  return out;
}

/** The variables a layer uses, after checking where and how it uses them. */
function checkLayer(layer: LayerSpec, where: Location, problems: ProblemList): string[] {
  const used: string[] = [];
  const values = layer.values;
  if (typeof values === 'string') {
    used.push(...variablesIn(values));
    if (used.length > 0) {
      const parsed = checkQuoted(values, false, { ...where, field: 'values' }, problems);
      if (isMap(parsed)) checkPackBlock(parsed.pack, where, problems);
    }
  } else if (isMap(values)) {
    used.push(...deepVariables(values));
    checkPackBlock(values.pack, where, problems);
  }
  if (layer.kind === 'manifest' && Array.isArray(layer.manifests)) {
    for (const manifest of layer.manifests) {
      if (typeof manifest?.content !== 'string') continue;
      const inManifest = variablesIn(manifest.content);
      if (inManifest.length === 0) continue;
      used.push(...inManifest);
      const at: Location = { ...where, manifest: manifest.name };
      const docs = checkQuoted(manifest.content, true, { ...at, field: 'content' }, problems);
      if (Array.isArray(docs)) checkManifestIdentity(docs, at, problems);
    }
  }
  return [...new Set(used)];
}

function deepVariables(value: unknown): string[] {
  if (typeof value === 'string') return variablesIn(value);
  if (Array.isArray(value)) return value.flatMap(deepVariables);
  if (isMap(value)) return Object.entries(value).flatMap(([k, v]) => [...variablesIn(k), ...deepVariables(v)]);
  return [];
}

/** Variables in the `pack:` block: its settings order and name resources, so they must be known now. */
function checkPackBlock(block: unknown, where: Location, problems: ProblemList): void {
  for (const [path, name] of deepPaths(block, 'pack')) {
    problems.add({ ...where, field: path }, `uses profile variable "${name}", but the pack: block decides namespaces, install order and release names when the stack is synthesized; use a value known then, such as a user macro {{.spectro.macro.${name}}} given with --macro`);
  }
}

function deepPaths(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return variablesIn(value).map((n) => [path, n]);
  if (Array.isArray(value)) return value.flatMap((v, i) => deepPaths(v, `${path}[${i}]`));
  if (isMap(value)) {
    return Object.entries(value).flatMap(([k, v]) => [...variablesIn(k).map((n): [string, string] => [`${path}.${k}`, n]), ...deepPaths(v, `${path}.${k}`)]);
  }
  return [];
}

/** A manifest's identity fields name its Terraform resource and namespace: no variables there. */
function checkManifestIdentity(docs: readonly unknown[], where: Location, problems: ProblemList): void {
  docs.forEach((doc, i) => {
    if (!isMap(doc)) return;
    const meta = isMap(doc.metadata) ? doc.metadata : {};
    const fields: [string, unknown][] = [
      ['apiVersion', doc.apiVersion],
      ['kind', doc.kind],
      ['metadata.name', meta.name],
      ['metadata.namespace', meta.namespace],
    ];
    for (const [field, value] of fields) {
      if (typeof value !== 'string') continue;
      for (const name of variablesIn(value)) {
        problems.add({ ...where, document: i + 1, field }, `uses profile variable "${name}", but a manifest's ${field} names its Terraform resource and decides its namespace when the stack is synthesized; use a value known then, such as a user macro {{.spectro.macro.${name}}} given with --macro`);
      }
    }
  });
}

/**
 * YAML reads `key: {{.spectro.var.x}}` as a map, not as text, so a variable must stand inside a
 * string. Checked by parsing the text once as it is and once with each use replaced by a plain
 * word: the two differ exactly when some use is not inside a string. Returns the text as parsed
 * (the list of documents when `multiDocument`), or undefined when it is not valid YAML, which is
 * reported when the cluster is resolved.
 */
function checkQuoted(text: string, multiDocument: boolean, where: Location, problems: ProblemList): unknown {
  const placeholders: string[] = [];
  const replaced = text.replace(VARIABLE_REFERENCE, (whole: string) => {
    placeholders.push(whole);
    return `cdktfclusterprofilesvariable${placeholders.length - 1}x`;
  });
  const parse = (t: string): unknown => (multiDocument ? parseKubernetesDocuments(t) : parseHelmYaml(t));
  let original: unknown;
  let substituted: unknown;
  try {
    original = parse(text);
  } catch {
    return undefined;
  }
  try {
    substituted = parse(replaced);
  } catch {
    return original; // the text is valid YAML; its own problems are reported when the cluster is resolved
  }
  const restore = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/cdktfclusterprofilesvariable(\d+)x/g, (_m, i: string) => placeholders[Number(i)]);
    if (Array.isArray(value)) return value.map(restore);
    if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [restore(k) as string, restore(v)]));
    return value;
  };
  if (!deepEqual(original, restore(substituted))) {
    const names = [...new Set(placeholders.map((p) => p.replace(VARIABLE_REFERENCE, '$1')))];
    problems.add(where, `uses a profile variable outside a YAML string, where YAML reads {{ }} as a map; quote every use, for example '{{.spectro.var.${names[0]}}}' (variables used: ${quotedList(names)})`);
  }
  return original;
}
