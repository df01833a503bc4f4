import type { ResolvedLayerBase, ResolvedZarfLayer } from '../model/resolved';
import type { ResolveOptions } from '../model/resolve-options';
import { Location, ProblemList, quotedList, shown } from '../model/errors';
import { ZarfLayerSpec } from '../model/spec';
import { registryUrl } from '../input/registry-identity';
import { isMap } from '../input/yaml';

/**
 * Zarf layers: a Zarf package deployed with the Zarf CLI where Terraform runs. Resolution checks
 * the package source, variables and components; the deploy and remove commands are built here, as
 * text for a POSIX shell, so that plans and tests can show exactly what Terraform will run.
 */

/** Zarf variable names: upper-case letters, digits and '_' (Zarf's own rule). */
export const ZARF_VARIABLE_NAME = /^[A-Z0-9_]+$/;

/** Component selectors: a component name (lower-case letters, digits, '-'), with Zarf's `*` globs and a leading `-` to deselect. */
export const ZARF_COMPONENT = /^-?[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/;

/** Zarf package names (`metadata.name`). */
export const ZARF_PACKAGE_NAME = /^[a-z0-9][-a-z0-9]*$/;

const OCI_REFERENCE = /^oci:\/\/[^\s/]+(\/[^\s/:@]+)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})?$/;
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const TARBALL = /\.tar(\.zst)?(\.part\d{3})?$/;
const VALUE_KEYS: readonly string[] = ['variables', 'components'];

/**
 * Resolves a Zarf layer: the source (`package`, or `registry` + package name + version), the
 * variables and components from the layer's values (besides `pack:`). Problems go to `problems`.
 */
export function resolveZarf(
  spec: ZarfLayerSpec,
  common: Omit<ResolvedLayerBase, 'kind' | 'version'>,
  values: Readonly<Record<string, unknown>>,
  options: ResolveOptions,
  problems: ProblemList,
): ResolvedZarfLayer {
  const where = common.where;
  const version = typeof spec.version === 'string' ? spec.version : '';
  if (!OCI_TAG.test(version)) {
    problems.add({ ...where, field: 'version' }, `${shown(spec.version)} must be the package's version, usable as an OCI tag (letters, digits, '_', '.', '-'), such as "1.2.0"`);
  }
  const packageName = spec.packageName;
  if (packageName !== undefined && (typeof packageName !== 'string' || !ZARF_PACKAGE_NAME.test(packageName))) {
    problems.add({ ...where, field: 'packageName' }, `${shown(packageName)} must be a Zarf package name (lower-case letters, digits and '-')`);
  }
  const source = zarfSource(spec, version, where, options, problems);
  checkValueKeys(values, where, problems);
  return {
    ...common,
    kind: 'zarf',
    version,
    source,
    removeTarget: packageName ?? source,
    variables: readVariables(values.variables, where, problems),
    components: readComponents(values.components, where, problems),
  };
}

function zarfSource(spec: ZarfLayerSpec, version: string, where: Location, options: ResolveOptions, problems: ProblemList): string {
  if (spec.package !== undefined) {
    const ref = spec.package;
    if (typeof ref !== 'string' || ref.trim() === '') {
      problems.add({ ...where, field: 'package' }, `must be an OCI reference or a package tarball path, found ${shown(ref)}`);
      return '';
    }
    if (ref.startsWith('oci://')) return ociSource(ref, version, 'package', where, problems);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
      problems.add({ ...where, field: 'package' }, `${shown(ref)}: only OCI references (oci://) and local package tarballs are supported; Zarf needs a checksum for packages over https, so publish the package to an OCI registry or download it`);
      return ref;
    }
    if (!TARBALL.test(ref)) {
      problems.add({ ...where, field: 'package' }, `${shown(ref)} must be an OCI reference (oci://host/path[:tag]) or a Zarf package tarball (.tar.zst, .tar, or a split package's .part000)`);
    }
    return ref;
  }
  const registry = spec.registry;
  if (registry === undefined) {
    problems.add({ ...where, field: 'package' }, 'is missing: give the package (oci://host/path/name[:tag] or a tarball path), or a registry name with its URL (--registry NAME=oci://host/path)');
    return '';
  }
  const url = registryUrl(options.registries, spec);
  if (url === undefined) {
    const known = Object.keys(options.registries ?? {});
    problems.add({ ...where, field: 'registry' }, `"${registry}" has no URL; pass --registry "${registry}=oci://host/path" (known registries: ${quotedList(known)})`);
    return '';
  }
  if (!url.startsWith('oci://')) {
    problems.add({ ...where, field: 'registry' }, `"${registry}" has URL ${shown(url)}; Zarf packages come from OCI registries, so its URL must start with oci://`);
    return '';
  }
  return ociSource(`${url.replace(/\/+$/, '')}/${spec.packageName ?? spec.name}`, version, 'registry', where, problems);
}

/** An OCI reference with a tag: the version is appended when the reference has neither tag nor digest. */
function ociSource(ref: string, version: string, field: string, where: Location, problems: ProblemList): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const tagged = last.includes(':') || last.includes('@');
  const full = tagged ? ref : `${ref}:${version}`;
  if (!OCI_REFERENCE.test(full)) {
    problems.add({ ...where, field }, `${shown(full)} must be an OCI reference oci://host/path[:tag|@sha256:digest] without spaces`);
    return full;
  }
  if (last.includes(':') && !last.includes('@')) {
    const tag = last.slice(last.indexOf(':') + 1);
    if (tag !== version) {
      problems.add({ ...where, field }, `${shown(ref)} has tag "${tag}", but the layer's version is "${version}"; give the reference without a tag (the version is appended) or make them agree`);
    }
  }
  return full;
}

function readVariables(value: unknown, where: Location, problems: ProblemList): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isMap(value)) {
    problems.add({ ...where, field: 'values.variables' }, `must be a map of Zarf variable name to value, found ${shown(value)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const name of Object.keys(value).sort()) {
    const v = value[name];
    if (!ZARF_VARIABLE_NAME.test(name)) {
      problems.add({ ...where, field: `values.variables.${name}` }, 'is not a Zarf variable name: upper-case letters, digits and \'_\' (Zarf upper-cases names itself, so write them as the package defines them)');
    } else if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      problems.add({ ...where, field: `values.variables.${name}` }, `must be a string, number or boolean, found ${shown(v)}`);
    } else {
      const problem = zarfValueProblem(String(v));
      if (problem !== undefined) problems.add({ ...where, field: `values.variables.${name}` }, problem);
      else out[name] = String(v);
    }
  }
  return out;
}

function readComponents(value: unknown, where: Location, problems: ProblemList): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add({ ...where, field: 'values.components' }, `must be a list of component names, found ${shown(value)}`);
    return [];
  }
  const out: string[] = [];
  value.forEach((c, i) => {
    if (typeof c !== 'string' || !ZARF_COMPONENT.test(c)) {
      problems.add({ ...where, field: `values.components[${i}]` }, `${shown(c)} must be a component name (lower-case letters, digits, '-'), optionally with '*' globs or a leading '-' to deselect`);
    } else if (!out.includes(c)) out.push(c);
  });
  return out;
}

function checkValueKeys(values: Readonly<Record<string, unknown>>, where: Location, problems: ProblemList): void {
  for (const key of Object.keys(values)) {
    if (!VALUE_KEYS.includes(key)) {
      problems.add({ ...where, field: `values.${key}` }, 'is not a Zarf layer setting; a Zarf layer\'s values hold pack:, variables: and components:');
    }
  }
}

/** Quotes a word for a POSIX shell: as is when it holds only safe characters, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * One `--set-variables` item, written so that Zarf's flag parser (pflag's stringToString) reads
 * back exactly `NAME=value`. That parser takes an item with one `=` as is, only trimming double
 * quotes at its ends, and reads an item with several `=` as a CSV record. So a value without `=` is
 * passed as is (it may hold commas and quotes, but not end with a quote: see `zarfValueProblem`),
 * and a value with `=` becomes one quoted CSV field (quotes doubled). A value holding a profile
 * variable is only known when Terraform runs and is passed as is.
 */
export function zarfSetItem(name: string, value: string): string {
  const item = `${name}=${value}`;
  if (!value.includes('=') || /\{\{\s*\.spectro\.var\./.test(value)) return item;
  return `"${item.replace(/"/g, '""')}"`;
}

/** Why a variable's value cannot reach Zarf intact, if it cannot. */
export function zarfValueProblem(value: string): string | undefined {
  if (!value.includes('=') && value.endsWith('"')) {
    return `${shown(value)} ends with a double quote, which Zarf's --set-variables parser strips from a value without '='; drop or move the quote`;
  }
  return undefined;
}

/** The environment variable that carries one Zarf variable's `--set-variables` item to the deploy command. */
export function zarfSetEnvironmentName(variable: string): string {
  return `ZARF_SET_${variable}`;
}

/**
 * The deploy command. Variable values never appear in it: each comes from an environment variable
 * of the provisioner (`--set-variables "$ZARF_SET_NAME"`), so no value can break the shell's
 * quoting, and a Terraform variable in a value is expanded by Terraform, not by the shell.
 */
export function zarfDeployCommand(layer: Pick<ResolvedZarfLayer, 'source' | 'components' | 'variables' | 'timeoutSeconds'>): string {
  const words = ['zarf', 'package', 'deploy', shellQuote(layer.source), '--confirm'];
  if (layer.components.length > 0) words.push('--components', shellQuote(layer.components.join(',')));
  for (const name of Object.keys(layer.variables)) words.push('--set-variables', `"$${zarfSetEnvironmentName(name)}"`);
  words.push('--timeout', `${layer.timeoutSeconds}s`);
  return words.join(' ');
}

/** The remove command, run when the layer is destroyed or replaced. */
export function zarfRemoveCommand(layer: Pick<ResolvedZarfLayer, 'removeTarget'>): string {
  return ['zarf', 'package', 'remove', shellQuote(layer.removeTarget), '--confirm'].join(' ');
}
