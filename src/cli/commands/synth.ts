import { relative } from 'node:path';
import { planCluster } from '../../core';
import { loadProfileFiles } from '../../core/load';
import { formatPlan } from '../../core/plan-summary';
import { synthToDirectory } from '../../synth';
import { PROFILE_OPTIONS, UsageError, parseCommand, parseRegistries, requireFiles } from '../options';

/** Usage of `synth`. */
export const SYNTH_USAGE = 'cluster-profiles synth [--out DIR] [--stack NAME] [--registry NAME=URL]... FILE...';

/** `synth`: profiles to `DIR/stacks/<stack>/cdk.tf.json`, then the install plan. */
export function synthCommand(args: string[], print: (line: string) => void): number {
  const { values, positionals } = parseCommand(args, {
    ...PROFILE_OPTIONS,
    out: { type: 'string', default: 'cdktf.out' },
    stack: { type: 'string', default: 'cluster' },
  });
  requireFiles(positionals, 'synth');
  const stack = values.stack as string;
  if (!/^[A-Za-z0-9][-A-Za-z0-9_]*$/.test(stack)) throw new UsageError(`--stack "${stack}" must be letters, digits, '-' and '_'`);
  const registries = parseRegistries(values.registry as string[] | undefined);
  const plan = planCluster(loadProfileFiles(positionals), { registries });
  const result = synthToDirectory(values.out as string, stack, { plan });
  print(formatPlan(plan));
  print(`Wrote ${relative(process.cwd(), result.file) || result.file} (${plan.resources.length} resources in ${plan.tiers.length} tiers)`);
  return 0;
}
