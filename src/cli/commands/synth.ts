import { relative } from 'node:path';
import { formatProblem } from '../../core/model/errors';
import { findHazards, formatHazard } from '../../core/report/hazards';
import { formatPlan } from '../../core/report/plan-summary';
import { STACK_NAME } from '../../constructs/fleet';
import { synthToDirectory } from '../../synth';
import { UsageError, parseCommand, requireFiles } from '../options';
import { PROFILE_OPTIONS, RESOLUTION_USAGE, loadResolvedInput } from '../profile-input';
import { planCluster } from '../../core';

/** Usage of `synth`. */
export const SYNTH_USAGE = `cluster-profiles synth [--out DIR] [--stack NAME] [--catalog FILE] [--registry NAME=URL]... ${RESOLUTION_USAGE} [--strict] FILE...`;

/**
 * `synth`: profiles to `DIR/stacks/<stack>/cdk.tf.json`, then the install plan. Hazards are printed
 * as warnings on stderr; with `--strict` they are errors and nothing is written.
 */
export async function synthCommand(args: string[], print: (line: string) => void, printError: (line: string) => void = print): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...PROFILE_OPTIONS,
    out: { type: 'string', default: 'cdktf.out' },
    stack: { type: 'string', default: 'cluster' },
    strict: { type: 'boolean' },
  });
  requireFiles(positionals, 'synth');
  const stack = values.stack;
  if (!STACK_NAME.test(stack)) throw new UsageError(`--stack "${stack}" must be letters, digits, '-' and '_'`);
  const input = await loadResolvedInput(positionals, values);
  const plan = planCluster(input.profiles, input.options);
  const hazards = findHazards(plan);
  for (const warning of plan.warnings ?? []) printError(`cluster-profiles synth: warning: ${formatProblem(warning)}`);
  if (values.strict === true && hazards.length > 0) {
    printError(`cluster-profiles synth: ${hazards.length} hazard${hazards.length === 1 ? '' : 's'} found and --strict given; nothing was written:`);
    for (const hazard of hazards) printError(`  ${formatHazard(hazard)}`);
    return 1;
  }
  for (const hazard of hazards) printError(`cluster-profiles synth: warning: ${formatHazard(hazard)}`);
  const inputs = [...positionals, ...[values.catalog, values.lock, values['var-file'], values['macro-file']].flat().filter((f): f is string => typeof f === 'string')];
  const lockText = input.lockText;
  const result = synthToDirectory(values.out, stack, { plan }, { inputs: [...inputs, input.lockFile], alsoWrite: lockText !== undefined ? [{ path: input.lockFile, content: lockText }] : [] });
  const locked = result.alsoWritten.length > 0;
  print(formatPlan(plan));
  print(`Wrote ${relative(process.cwd(), result.file) || result.file} (${plan.resources.length} resources in ${plan.tiers.length} tier${plan.tiers.length === 1 ? '' : 's'})`);
  if (locked) print(`Locked ${input.lock.entries.length} version train${input.lock.entries.length === 1 ? '' : 's'} in ${relative(process.cwd(), input.lockFile) || input.lockFile}`);
  return 0;
}
