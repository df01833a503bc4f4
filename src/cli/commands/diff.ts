import { diffPlans, formatDiff } from '../../core/diff';
import { ProfileError, Problem } from '../../core/errors';
import { InstallPlan } from '../../core/plan';
import { OptionValues, PROFILE_OPTIONS, RESOLUTION_USAGE, UsageError, parseCommand } from '../options';
import { planFromFiles } from '../profile-input';

/** Usage of `diff`. */
export const DIFF_USAGE = `cluster-profiles diff [--json] [--catalog FILE] [--registry NAME=URL]... ${RESOLUTION_USAGE} OLD... -- NEW...`;

const OPTIONS = { ...PROFILE_OPTIONS, json: { type: 'boolean' } } as const;

/**
 * `diff`: what changing the profiles OLD into NEW does to a cluster, layer by layer (added,
 * removed, version, values, priority, namespace, objects), and every namespace that would be
 * destroyed with everything in it. Options may come on either side of `--` and apply to both.
 * Version trains resolve as for `plan`, each side from the lock file beside its first file; `diff`
 * never writes a lock file.
 */
export async function diffCommand(args: string[], print: (line: string) => void): Promise<number> {
  const split = args.indexOf('--');
  if (split < 0) throw new UsageError('diff needs the old profile files, then --, then the new ones');
  const before = parseCommand(args.slice(0, split), OPTIONS);
  const after = parseCommand(args.slice(split + 1), OPTIONS);
  if (before.positionals.length === 0) throw new UsageError('diff needs at least one old profile file before --');
  if (after.positionals.length === 0) throw new UsageError('diff needs at least one new profile file after --');
  const values = mergeOptions(before.values, after.values);
  const plans = await planBoth(before.positionals, after.positionals, (files) => planFromFiles(files, values));
  const diff = diffPlans(plans[0], plans[1]);
  print(values.json === true ? JSON.stringify(diff, null, 2) : formatDiff(diff));
  return 0;
}

function mergeOptions(a: OptionValues, b: OptionValues): OptionValues {
  if (a.catalog !== undefined && b.catalog !== undefined && a.catalog !== b.catalog) {
    throw new UsageError(`--catalog is given twice ("${String(a.catalog)}" and "${String(b.catalog)}"); one catalog serves both sides`);
  }
  return {
    ...a,
    ...b,
    catalog: b.catalog ?? a.catalog,
    json: a.json === true || b.json === true,
    registry: [...((a.registry as string[] | undefined) ?? []), ...((b.registry as string[] | undefined) ?? [])],
  };
}

/** Plans both sides, reporting the problems of both at once, each prefixed with its side. */
async function planBoth(oldFiles: string[], newFiles: string[], plan: (files: string[]) => Promise<InstallPlan>): Promise<[InstallPlan, InstallPlan]> {
  const problems: Problem[] = [];
  const attempt = async (files: string[], side: string): Promise<InstallPlan | undefined> => {
    try {
      return await plan(files);
    } catch (err) {
      if (!ProfileError.isProfileError(err)) throw err;
      problems.push(...err.problems.map((p) => ({ ...p, message: `${p.message} (${side} profiles)` })));
      return undefined;
    }
  };
  const a = await attempt(oldFiles, 'old');
  const b = await attempt(newFiles, 'new');
  if (a === undefined || b === undefined) throw new ProfileError(problems);
  return [a, b];
}
