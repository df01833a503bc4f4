import { diffPlans, formatDiff } from '../../core/report/diff';
import { ProfileError, Problem, collectProblems } from '../../core/model/errors';
import { OptionValues, UsageError, parseCommand } from '../options';
import { PROFILE_OPTIONS, ProfileOptionValues, RESOLUTION_USAGE, planFromFiles } from '../profile-input';
import { planCluster } from '../../core';
import { filesAtRevision } from '../git-base';
import { InstallPlan } from '../../core/model/planned';

/** Usage of `diff`. */
export const DIFF_USAGE = `cluster-profiles diff [--json] [--catalog FILE] [--registry NAME=URL]... ${RESOLUTION_USAGE} (OLD... -- NEW... | --base GITREF FILE...)`;

const OPTIONS = { ...PROFILE_OPTIONS, json: { type: 'boolean' }, base: { type: 'string' } } as const;

/** The values of diff's options. */
type DiffValues = OptionValues<typeof OPTIONS>;

/**
 * `diff`: what changing the profiles OLD into NEW does to a cluster, layer by layer (added,
 * removed, version, values, priority, namespace, objects), and every namespace that would be
 * destroyed with everything in it. Options may come on either side of `--` and apply to both.
 * Version trains resolve as for `plan`, each side from the lock file beside its first file; `diff`
 * never writes a lock file.
 */
export async function diffCommand(args: string[], print: (line: string) => void): Promise<number> {
  const split = args.indexOf('--');
  if (split < 0) {
    const { values, positionals } = parseCommand(args, OPTIONS);
    if (values.base === undefined) throw new UsageError('diff needs the old profile files, then --, then the new ones');
    if (positionals.length === 0) throw new UsageError('diff --base needs at least one profile file');
    const base = values.base;
    const plans = await planBoth(positionals, positionals, (files, side) => (side === 'old' ? planAtRevision(base, files, values) : planFromFiles(files, values)), `profiles at ${base}`);
    const diff = diffPlans(plans[0], plans[1]);
    print(values.json === true ? JSON.stringify(diff, null, 2) : formatDiff(diff));
    return 0;
  }
  const before = parseCommand(args.slice(0, split), OPTIONS);
  const after = parseCommand(args.slice(split + 1), OPTIONS);
  if (before.positionals.length === 0) throw new UsageError('diff needs at least one old profile file before --');
  if (after.positionals.length === 0) throw new UsageError('diff needs at least one new profile file after --');
  if (before.values.base !== undefined || after.values.base !== undefined) throw new UsageError('--base replaces the old profile files: give either OLD... -- NEW... or --base GITREF FILE...');
  const values = mergeOptions(before.values, after.values);
  const plans = await planBoth(before.positionals, after.positionals, (files) => planFromFiles(files, values));
  const diff = diffPlans(plans[0], plans[1]);
  print(values.json === true ? JSON.stringify(diff, null, 2) : formatDiff(diff));
  return 0;
}

function mergeOptions(a: DiffValues, b: DiffValues): DiffValues {
  if (a.catalog !== undefined && b.catalog !== undefined && a.catalog !== b.catalog) {
    throw new UsageError(`--catalog is given twice ("${a.catalog}" and "${b.catalog}"); one catalog serves both sides`);
  }
  return {
    ...a,
    ...b,
    catalog: b.catalog ?? a.catalog,
    json: a.json === true || b.json === true,
    registry: [...(a.registry ?? []), ...(b.registry ?? [])],
  };
}

/**
 * The plan of the profile files as they were at git revision `ref` (see git-base.ts), with the lock
 * file of that revision. Files that did not exist at `ref` are left out; problems name each file as
 * `REF:FILE`.
 */
export async function planAtRevision(ref: string, files: readonly string[], values: ProfileOptionValues): Promise<InstallPlan> {
  const copies = filesAtRevision(ref, files);
  try {
    if (copies.files.length === 0) return planCluster([]);
    const original = new Map(copies.files.map((copy, i) => [copy, `${ref}:${files.filter((f) => !copies.missing.includes(f))[i]}`]));
    try {
      return await planFromFiles(copies.files, { ...values, lock: undefined, update: false });
    } catch (err) {
      if (!ProfileError.isProfileError(err)) throw err;
      throw new ProfileError(err.problems.map((p) => (p.file !== undefined && original.has(p.file) ? { ...p, file: original.get(p.file) } : p)));
    }
  } finally {
    copies.dispose();
  }
}

/** Plans both sides, reporting the problems of both at once, each prefixed with its side. */
async function planBoth(
  oldFiles: string[],
  newFiles: string[],
  plan: (files: string[], side: 'old' | 'new') => Promise<InstallPlan>,
  oldSide = 'old profiles',
): Promise<[InstallPlan, InstallPlan]> {
  const problems: Problem[] = [];
  const attempt = (files: string[], side: 'old' | 'new'): Promise<InstallPlan | undefined> =>
    collectProblems(problems, () => plan(files, side), (p) => ({ ...p, message: `${p.message} (${side === 'old' ? oldSide : 'new profiles'})` }));
  const a = await attempt(oldFiles, 'old');
  const b = await attempt(newFiles, 'new');
  if (a === undefined || b === undefined) throw new ProfileError(problems);
  return [a, b];
}
