import { planCluster } from '../core';
import { PackCatalog, catalogRegistryUrls, loadCatalogFile } from '../core/input/catalog';
import { ResolveOptions } from '../core/resolve/cluster';
import { ProfileError, Problem, collectProblems } from '../core/model/errors';
import { loadProfileFiles } from '../core/input/load';
import { ProfileSpec } from '../core/model/spec';
import { Lock, changedLockText, defaultLockPath, readLockFile, writeLockFile } from '../core/input/lock';
import { TrainResolution, resolveTrains } from '../core/input/trains';
import { OptionValues, parseRegistries } from './options';
import { catalogVersions, readResolutionOptions } from './resolution-options';
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
  /** Registries and catalog, for `planCluster` / `resolveCluster`. */
  readonly options: ResolveOptions;
}

/** Reads `--catalog` and `--registry` into resolve options (no profile files). */
export function readResolveOptions(values: OptionValues): ResolveOptions {
  const registries = parseRegistries(values.registry as string[] | undefined);
  const catalogFile = values.catalog as string | undefined;
  const catalog: PackCatalog | undefined = catalogFile !== undefined ? loadCatalogFile(catalogFile) : undefined;
  // --cluster-name, --macro(-file), --var(-file): macros and profile variables.
  return { registries, ...(catalog !== undefined ? { catalog } : {}), ...readResolutionOptions(values) };
}

/** Reads the catalog, the registries and the profile files. */
export function loadProfileInput(files: readonly string[], values: OptionValues): ProfileInput {
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
export async function loadResolvedInput(files: readonly string[], values: OptionValues): Promise<ResolvedProfileInput> {
  const input = loadProfileInput(files, values);
  const lockFile = (values.lock as string | undefined) ?? defaultLockPath(files);
  const catalog = input.options.catalog;
  const trains = await resolveTrains(input.profiles, {
    registries: { ...catalogRegistryUrls(catalog), ...input.options.registries },
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
export async function planFromFiles(files: readonly string[], values: OptionValues): Promise<InstallPlan> {
  const input = await loadResolvedInput(files, values);
  return planCluster(input.profiles, input.options);
}
