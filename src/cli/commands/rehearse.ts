import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTimeline } from '../../rehearse/format-timeline';
import { mermaidGantt } from '../../rehearse/mermaid-gantt';
import { RehearsalProgress, RehearsalResult, findTerraform, rehearse } from '../../rehearse/rehearse';
import { RehearsalError } from '../../rehearse/rehearsal-error';
import { MAX_READINESS_SECONDS } from '../../rehearse/stand-ins';
import { synthToDirectory } from '../../synth';
import { UsageError, parseCommand, requireFiles } from '../options';
import { PROFILE_OPTIONS, RESOLUTION_USAGE, planFromFiles } from '../profile-input';
import { InstallPlan } from '../../core/model/planned';

/** Usage of `rehearse`. */
export const REHEARSE_USAGE = `cluster-profiles rehearse [--catalog FILE] [--registry NAME=URL]... ${RESOLUTION_USAGE} [--readiness SECONDS] [--parallelism N] [--mermaid FILE] [--synthesized CDK_TF_JSON] [--keep] FILE...`;

/** Violations printed before the rest are only counted. */
const SHOWN_VIOLATIONS = 50;

/** Progress lines at most this often, except when a step starts or ends. */
const PROGRESS_INTERVAL_MS = 1000;

/**
 * `rehearse`: synthesizes the profiles (or reads a stack synthesized from them, `--synthesized`),
 * runs the stack's install and teardown with terraform on `terraform_data` stand-ins, prints the
 * timeline and checks the order. Exit code 1 when the order is broken, 130 when interrupted.
 * Progress goes to `progress` (standard error), so the timeline on standard output stays clean.
 */
export async function rehearseCommand(args: string[], print: (line: string) => void, progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...PROFILE_OPTIONS,
    readiness: { type: 'string', default: '0' },
    parallelism: { type: 'string', default: '10' },
    mermaid: { type: 'string' },
    synthesized: { type: 'string' },
    keep: { type: 'boolean', default: false },
  });
  requireFiles(positionals, 'rehearse');
  const readinessSeconds = parseNumber('--readiness', values.readiness, { max: MAX_READINESS_SECONDS, what: 'a number of seconds from 0', example: '0.5 or 2' });
  const parallelism = parseNumber('--parallelism', values.parallelism, { max: 1000, what: 'a whole number from 1', example: '10', whole: true });
  // The same path from files to plan as synth (catalog, registries, locked version trains, variables);
  // the lock file is only read: a rehearsal writes nothing but its chart.
  const plan = await planFromFiles(positionals, values);
  // Ctrl-C stops terraform and removes every temporary folder, also while synthesizing.
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let result: RehearsalResult;
  try {
    // First, so that a missing or old terraform is reported before a synthesis that may take a while.
    await findTerraform('terraform', controller.signal);
    const stack = values.synthesized !== undefined ? readStack(values.synthesized) : synthesizeStack(plan);
    result = await rehearse(stack, plan, {
      readinessSeconds,
      parallelism,
      signal: controller.signal,
      keepDirectory: values.keep,
      onProgress: throttled(progress),
    });
  } catch (err) {
    if (!controller.signal.aborted) throw err;
    progress(`cluster-profiles rehearse: ${(err as Error).message}; the temporary folder was removed`);
    return 130;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }

  const { check, timeline } = result;
  print(`Rehearsal with terraform ${result.terraformVersion}: readiness ${result.readinessSeconds} s per workload, up to ${result.parallelism} resources at once`);
  print('');
  print(formatTimeline(timeline));
  print('');
  if (values.mermaid !== undefined) {
    const file = values.mermaid;
    const markdown = file.endsWith('.md');
    writeFileSync(file, markdown ? markdownCharts(result) : mermaidGantt(timeline));
    print(`Wrote ${file} (${markdown ? 'Markdown with Mermaid gantt charts of the install and the teardown' : 'Mermaid gantt chart'})`);
  }
  if (result.directory !== undefined) print(`Kept ${result.directory} (stand-in configuration, state and rehearsal log)`);
  if (check.violations.length === 0) {
    print(`Order check passed: ${check.resources} resources created once and destroyed once; ${check.dependencies} dependencies and ${check.tiers} tiers kept on install and in reverse on teardown.`);
    return 0;
  }
  print(`Order check FAILED: ${check.violations.length} violation${check.violations.length === 1 ? '' : 's'} of the install plan:`);
  for (const v of check.violations.slice(0, SHOWN_VIOLATIONS)) print(`  ${v.message}`);
  if (check.violations.length > SHOWN_VIOLATIONS) print(`  ... and ${check.violations.length - SHOWN_VIOLATIONS} more`);
  return 1;
}

/**
 * Markdown for a code-review page: the install and the teardown as two Mermaid charts, each on its
 * own time scale (a teardown of stand-ins takes a fraction of the install).
 */
function markdownCharts(result: RehearsalResult): string {
  const fence = (chart: string): string => `\`\`\`mermaid\n${chart}\`\`\`\n`;
  return [
    `Rehearsal with terraform ${result.terraformVersion} (readiness ${result.readinessSeconds} s per workload, up to ${result.parallelism} resources at once): the install tier by tier, then the teardown in reverse.`,
    '',
    fence(mermaidGantt(result.timeline, { phases: ['install'] })),
    fence(mermaidGantt(result.timeline, { phases: ['teardown'] })),
  ].join('\n');
}

/** The stack `synth` would write, as parsed JSON; synthesized in a temporary folder that is always removed. */
function synthesizeStack(plan: InstallPlan): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-profiles-rehearsal-synth-'));
  try {
    const result = synthToDirectory(join(dir, 'out'), 'cluster', { plan });
    return JSON.parse(readFileSync(result.file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A stack synthesized earlier (`synth` output), to check it against the plan of the profiles given. */
function readStack(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RehearsalError(`--synthesized ${file} cannot be read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RehearsalError(`--synthesized ${file} is not JSON (${(err as Error).message}); expected a cdk.tf.json written by synth`);
  }
}

/** A non-negative decimal number within bounds (a whole one from 1 when `whole`), or a usage error. */
function parseNumber(flag: string, text: string, rule: { max: number; what: string; example: string; whole?: boolean }): number {
  const value = (rule.whole ? /^\d+$/ : /^\d+(\.\d+)?$/).test(text) ? Number(text) : NaN;
  if (!(value >= (rule.whole ? 1 : 0) && value <= rule.max)) throw new UsageError(`${flag} "${text}" must be ${rule.what} to ${rule.max}, such as ${rule.example}`);
  return value;
}

/** Progress as lines: each step's start and end, and in between at most one line a second. */
function throttled(write: (line: string) => void): (p: RehearsalProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    const edge = p.done === 0 || p.done === p.total;
    if (!edge && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    if (p.step === 'init') write(`terraform init: ${p.total} terraform_data stand-ins in a temporary folder`);
    else if (p.step === 'apply') write(`terraform apply: ${p.done}/${p.total} stand-ins created`);
    else write(`terraform destroy: ${p.done}/${p.total} stand-ins destroyed`);
  };
}
