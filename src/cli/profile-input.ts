import { planCluster } from '../core';
import { loadCatalogFile } from '../core/input/catalog';
import { ResolveOptions } from '../core/model/resolve-options';
import { ProfileError, Problem, collectProblems } from '../core/model/errors';
import { loadProfileFiles } from '../core/input/load';
import { ProfileSpec } from '../core/model/spec';
import { Lock, changedLockText, defaultLockPath, readLockFile, writeLockFile } from '../core/input/lock';
import { TrainResolution, resolveTrains } from '../core/input/trains';
import { registryUrls } from '../core/input/registry-identity';
import { OptionTable, OptionValues, UsageError, parseRegistries } from './options';
import { catalogVersions, readMacros, readVariableValues } from './resolution-options';
import { InstallPlan } from '../core/model/planned';

/**
 * The one path from command-line arguments to profiles and a plan, shared by every command that
 * reads profiles: `--catalog FILE` (the pack catalog, whose registries with a URL serve Helm layers
 * too), `--registry NAME=URL` (wins over the catalog's registry of that name or uid), then the
 * profile files. Problems of the catalog and of every file are reported together.
 */

/** Profiles read from files, with what resolving them needs. */
export interface ProfileInput {
  readonly profiles: readonly ProfileSpec[];
  /** The resolve options (registries, catalog, cluster name, macros, variable values), for `planCluster` / `resolveCluster`. */
  readonly options: ResolveOptions;
}

/**
 * Options every command that reads profiles accepts: the resolve options (read by
 * `readResolveOptions`), version trains (`--lock`, `--update`) and `--debug`.
 */
export const PROFILE_OPTIONS = {
  registry: { type: 'string', multiple: true },
  catalog: { type: 'string' },
  debug: { type: 'boolean' },
  // Version trains, profile variables and macros (read below and in resolution-options.ts).
  lock: { type: 'string' },
  update: { type: 'boolean' },
  var: { type: 'string', multiple: true },
  'var-file': { type: 'string', multiple: true },
  macro: { type: 'string', multiple: true },
  'macro-file': { type: 'string', multiple: true },
  'cluster-name': { type: 'string' },
} as const satisfies OptionTable;

/** How the trains, variables and macros options of PROFILE_OPTIONS read in a usage line. */
export const RESOLUTION_USAGE =
  '[--lock FILE] [--update] [--var NAME=VALUE]... [--var-file FILE]... [--macro NAME=VALUE]... [--macro-file FILE]... [--cluster-name NAME]';

/** The values of PROFILE_OPTIONS, and `--stack` of the commands that have it (the default cluster name). */
export type ProfileOptionValues = OptionValues<typeof PROFILE_OPTIONS> & { readonly stack?: string };

/**
 * Reads the resolve options (no profile files): `--registry`, `--catalog`, `--cluster-name`
 * (default: `--stack`, else `cluster`, the name `synth` gives its stack), `--var(-file)` and
 * `--macro(-file)`.
 */
export function readResolveOptions(values: ProfileOptionValues): ResolveOptions {
  const registries = parseRegistries(values.registry);
  const catalog = values.catalog !== undefined ? loadCatalogFile(values.catalog) : undefined;
  const clusterName = values['cluster-name'] ?? values.stack ?? 'cluster';
  if (clusterName.trim() === '') throw new UsageError('--cluster-name must not be empty');
  const variableValues = readVariableValues(values['var-file'], values.var);
  const macros = readMacros(values['macro-file'], values.macro);
  return { registries, ...(catalog !== undefined ? { catalog } : {}), clusterName, macros, ...(variableValues !== undefined ? { variableValues } : {}) };
}

/** Reads the catalog, the registries and the profile files. */
export function loadProfileInput(files: readonly string[], values: ProfileOptionValues): ProfileInput {
  const problems: Problem[] = [];
  const options = collectProblems(problems, () => readResolveOptions(values)) ?? {};
  const profiles = collectProblems(problems, () => loadProfileFiles(files)) ?? [];
  if (problems.length > 0) throw new ProfileError(problems);
  return { profiles, options };
}

/** Profiles read from files with their version trains resolved, and the lock file to update. */
export interface ResolvedProfileInput extends ProfileInput {
  /** Every version train resolved, and where from. */
  readonly resolutions: readonly TrainResolution[];
  /** The lock file: `--lock FILE`, else `cluster-profiles.lock.yaml` beside the first profile file. */
  readonly lockFile: string;
  /** The lock after this run. */
  readonly lock: Lock;
  /** Writes the lock file if it changed; returns whether it did. Call it once the run has succeeded. */
  saveLock(): boolean;
  /** The lock file's new text, or undefined when it is unchanged: for `synth`, which writes it together with the output. */
  readonly lockText: string | undefined;
}

/**
 * Reads everything and resolves version trains: the version an export records next to its train,
 * else the lock file's entry, else the newest match in the Helm repository's index.yaml or the
 * catalog; `--update` resolves all of them again (see core/trains.ts).
 */
export async function loadResolvedInput(files: readonly string[], values: ProfileOptionValues): Promise<ResolvedProfileInput> {
  const input = loadProfileInput(files, values);
  const lockFile = values.lock ?? defaultLockPath(files);
  const catalog = input.options.catalog;
  const trains = await resolveTrains(input.profiles, {
    registries: registryUrls(input.options),
    lock: readLockFile(lockFile),
    update: values.update === true,
    packVersions: catalog !== undefined ? catalogVersions(catalog) : undefined,
  });
  return {
    profiles: trains.profiles,
    options: input.options,
    resolutions: trains.resolutions,
    lockFile,
    lock: trains.lock,
    saveLock: () => writeLockFile(lockFile, trains.lock),
    lockText: changedLockText(lockFile, trains.lock),
  };
}

/**
 * Reads everything, resolves version trains and plans the cluster, for the commands that review or
 * rehearse (`plan`, `graph`, `diff`, `rehearse`). They read the lock file but never write it: reviewing a change must not change the
 * repository. `synth` is the command that records resolutions.
 */
export async function planFromFiles(files: readonly string[], values: ProfileOptionValues): Promise<InstallPlan> {
  const input = await loadResolvedInput(files, values);
  return planCluster(input.profiles, input.options);
}
