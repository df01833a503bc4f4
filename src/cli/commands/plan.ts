import { formatProblem } from '../../core/model/errors';
import { findHazards, formatHazard } from '../../core/report/hazards';
import { describePlan, formatPlan } from '../../core/report/plan-summary';
import { parseCommand, requireFiles } from '../options';
import { PROFILE_OPTIONS, RESOLUTION_USAGE, planFromFiles } from '../profile-input';

/** Usage of `plan`. */
export const PLAN_USAGE = `cluster-profiles plan [--json] [--strict] [--catalog FILE] [--registry NAME=URL]... ${RESOLUTION_USAGE} FILE...`;

/**
 * `plan`: the install plan for review, with no cluster and no network: the install tiers with each
 * layer's kind, chart or manifests, version and namespaces, the destroy order, and the hazards.
 * `--json` prints `{"install": [...], "destroy": [...], "hazards": [...], "profiles": [...],
 * "layers": [...]}`. `--strict` exits 1 when there is any hazard (the plan is printed either way).
 */
export async function planCommand(args: string[], print: (line: string) => void, printError: (line: string) => void = print): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...PROFILE_OPTIONS,
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
  });
  requireFiles(positionals, 'plan');
  const plan = await planFromFiles(positionals, values);
  const hazards = findHazards(plan);
  for (const warning of plan.warnings ?? []) printError(`cluster-profiles plan: warning: ${formatProblem(warning)}`);
  if (values.json === true) {
    const summary = describePlan(plan);
    const json = {
      install: summary.install,
      destroy: summary.destroy,
      hazards: hazards.map((h) => ({ kind: h.kind, layers: h.layers, message: h.message })),
      profiles: summary.profiles,
      layers: summary.layers,
    };
    print(JSON.stringify(json, null, 2));
  } else {
    print(formatPlan(plan));
    if (hazards.length === 0) print('Hazards: none');
    else {
      print(`Hazards (${hazards.length}):`);
      for (const hazard of hazards) print(`  ${formatHazard(hazard)}`);
    }
  }
  if (values.strict === true && hazards.length > 0) {
    printError(`cluster-profiles plan: ${hazards.length} hazard${hazards.length === 1 ? '' : 's'} found and --strict given`);
    return 1;
  }
  return 0;
}
