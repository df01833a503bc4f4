import { listPackVersions } from '../core/input/catalog';
import { PackCatalog } from '../core/model/catalog';
import { ProfileError, shown } from '../core/model/errors';
import { MACRO_NAME } from '../core/resolve/macros';
import { PackVersionLister } from '../core/input/trains';
import { VariableValue } from '../core/model/resolved';
import { VARIABLE_NAME } from '../core/resolve/variables';
import { isMap, parseYaml, yamlReason } from '../core/input/yaml';
import { UsageError } from './options';
import { dictionary } from '../core/model/dictionary';
import { readBoundedFile } from '../core/input/read-file';
import { MAX_PROFILE_BYTES } from '../core/input/load';
import { catalogRegistryReference } from '../core/input/registry-identity';

/**
 * Reading the command-line options of profile variables and macros (`--var NAME=VALUE`,
 * `--var-file FILE`, `--macro NAME=VALUE`, `--macro-file FILE`) for `readResolveOptions`, and the
 * catalog's pack versions for trains on registry packs.
 */

/** The versions the catalog lists for a pack (in a registry, when the layer names one), for `resolveTrains`. */
export function catalogVersions(catalog: PackCatalog): PackVersionLister {
  return ({ name, registry, registryUid }) => listPackVersions(catalog, name, catalogRegistryReference(catalog, { registry, registryUid }));
}

/**
 * Variable values: each `--var-file` (a JSON or YAML map of name to value, such as a
 * `.tfvars.json`), then each `--var NAME=VALUE`; later ones win.
 */
export function readVariableValues(files: readonly string[] | undefined, flags: readonly string[] | undefined): Record<string, VariableValue> | undefined {
  if ((files ?? []).length === 0 && (flags ?? []).length === 0) return undefined;
  const out = dictionary<VariableValue>();
  for (const file of files ?? []) Object.assign(out, readScalarMap(file, '--var-file', VARIABLE_NAME));
  for (const flag of flags ?? []) {
    const [name, value] = splitAssignment(flag, '--var', 'db_host=10.0.0.5');
    if (!VARIABLE_NAME.test(name)) throw new UsageError(`--var "${name}=...": the name must be letters, digits, '_' and '-', starting with a letter or '_'`);
    out[name] = value;
  }
  return out;
}

/** User macros: each `--macro-file` (a JSON or YAML map), then each `--macro NAME=VALUE`; later ones win. */
export function readMacros(files: readonly string[] | undefined, flags: readonly string[] | undefined): Record<string, string> {
  const out = dictionary<string>();
  for (const file of files ?? []) {
    for (const [name, value] of Object.entries(readScalarMap(file, '--macro-file', MACRO_NAME))) out[name] = String(value);
  }
  for (const flag of flags ?? []) {
    const [name, value] = splitAssignment(flag, '--macro', 'region=eu-west-1');
    if (!MACRO_NAME.test(name)) throw new UsageError(`--macro "${name}=...": the name must be letters, digits, '_' and '-', starting with a letter or '_'`);
    out[name] = value;
  }
  return out;
}

function splitAssignment(flag: string, option: string, example: string): [string, string] {
  const eq = flag.indexOf('=');
  // The value is not shown: it may be a secret given by mistake.
  if (eq <= 0) throw new UsageError(`${option} must be NAME=VALUE, for example ${option} ${example}`);
  return [flag.slice(0, eq), flag.slice(eq + 1)];
}

/** Reads a file holding a map of names to strings, numbers or booleans. */
function readScalarMap(file: string, option: string, namePattern: RegExp): Record<string, VariableValue> {
  const text = readBoundedFile(file, { noun: option === '--var-file' ? 'variables file' : 'macros file', cannotRead: `(${option}) cannot be read`, maxBytes: MAX_PROFILE_BYTES }).toString('utf8');
  let doc: unknown;
  try {
    doc = parseYaml(text, file);
  } catch (err) {
    throw new ProfileError({ file, message: `(${option}) is not valid JSON or YAML: ${yamlReason(err)}` });
  }
  if (doc === null || doc === undefined) return {};
  if (!isMap(doc)) throw new ProfileError({ file, message: `(${option}) must hold a map of name to value, found ${shown(doc)}` });
  const out = dictionary<VariableValue>();
  const problems: { file: string; field: string; message: string }[] = [];
  for (const [name, value] of Object.entries(doc)) {
    if (!namePattern.test(name)) problems.push({ file, field: name, message: "must be letters, digits, '_' and '-', starting with a letter or '_'" });
    else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push({ file, field: name, message: `must be a string, number or boolean, found a ${Array.isArray(value) ? 'list' : value === null ? 'null' : 'map'}` });
    } else out[name] = value;
  }
  if (problems.length > 0) throw new ProfileError(problems);
  return out;
}
