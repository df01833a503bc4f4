import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderCheck, checkOrder } from './check-order';
import { RehearsalError } from './rehearsal-error';
import { REHEARSAL_LOG_VARIABLE, RehearsalEvent, parseRehearsalLog } from './rehearsal-log';
import { StackResource, readStackGraph } from './stack-graph';
import { checkReadiness, standInConfig, workloadAddresses } from './stand-ins';
import { TerraformMessage, runTerraform, terraformEnvironment, terraformVersion } from './terraform-runner';
import { Timeline, buildTimeline } from './timeline';
import { InstallPlan } from '../core/model/planned';

/** Options of {@link rehearse}. */
export interface RehearseOptions {
  /**
   * Seconds each workload stand-in (Helm release, Kubernetes object) takes to become ready, so the
   * timeline shows what waiting and parallelism cost.
   * @default 0
   */
  readonly readinessSeconds?: number;
  /**
   * Terraform's `-parallelism`: how many resources it creates or destroys at once.
   * @default 10 (Terraform's own default)
   */
  readonly parallelism?: number;
  /**
   * The terraform binary: a name looked up on PATH, or a path.
   * @default 'terraform'
   */
  readonly terraform?: string;
  /**
   * Called as the rehearsal goes: at each step, and as stand-ins are created and destroyed.
   * @default - silent
   */
  readonly onProgress?: (progress: RehearsalProgress) => void;
  /**
   * Stops the rehearsal when aborted (terraform is interrupted, the folder removed).
   * @default - runs to the end
   */
  readonly signal?: AbortSignal;
  /**
   * Keep the temporary folder (stand-in configuration, state, log) for inspection.
   * @default false
   */
  readonly keepDirectory?: boolean;
}

/** Where a rehearsal is. */
export interface RehearsalProgress {
  readonly step: 'init' | 'apply' | 'destroy';
  /** Stand-ins created (apply) or destroyed (destroy) so far; 0 for init. */
  readonly done: number;
  /** Stand-ins in all. */
  readonly total: number;
}

/** What a rehearsal did. */
export interface RehearsalResult {
  /** The terraform version that ran it. */
  readonly terraformVersion: string;
  readonly readinessSeconds: number;
  readonly parallelism: number;
  /** The stack's resources and their dependencies, as the stand-ins kept them. */
  readonly resources: readonly StackResource[];
  /** The rehearsal log, in the order it was written. */
  readonly events: readonly RehearsalEvent[];
  /** The order check; passed when it holds no violation. */
  readonly check: OrderCheck;
  readonly timeline: Timeline;
  /** Wall-clock milliseconds of each terraform step. */
  readonly durations: { readonly init: number; readonly apply: number; readonly destroy: number };
  /** The temporary folder, when kept. */
  readonly directory?: string;
}

/** The default of `-parallelism`, Terraform's own. */
export const DEFAULT_PARALLELISM = 10;

/**
 * The version of the terraform a rehearsal would run; fails with a clear message when it is missing
 * or older than 1.4. Worth calling before anything slow (synthesizing a large stack), so that a
 * missing terraform is reported before the wait rather than after it.
 */
export function findTerraform(binary = 'terraform', signal?: AbortSignal): Promise<string> {
  return terraformVersion(binary, process.cwd(), terraformEnvironment(process.env, devNull), signal);
}

/**
 * Rehearses a synthesized stack's install and teardown with the real terraform binary, offline:
 * every resource becomes a `terraform_data` stand-in that keeps its dependencies and logs when it
 * was created and destroyed; terraform runs `init`, `apply` and `destroy` in a temporary folder
 * (always removed, unless kept); the executed order is then checked against the install plan and the
 * stack's own dependencies. It proves the order of Terraform's dependency graph, nothing about Helm,
 * the cluster or the readiness of real workloads.
 *
 * @param stack the parsed `cdk.tf.json` of a stack synthesized from `plan`
 * @param plan the install plan the stack was synthesized from
 */
export async function rehearse(stack: unknown, plan: InstallPlan, options: RehearseOptions = {}): Promise<RehearsalResult> {
  const readinessSeconds = checkReadiness(options.readinessSeconds ?? 0);
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 1000) {
    throw new RehearsalError(`parallelism ${String(parallelism)} must be a whole number from 1 to 1000`);
  }
  const resources = readStackGraph(stack);
  const config = standInConfig(resources, { readinessSeconds, workloads: workloadAddresses(plan, resources) });
  const binary = options.terraform ?? 'terraform';
  const total = resources.length;
  const progress = options.onProgress ?? ((): void => undefined);

  const dir = mkdtempSync(join(tmpdir(), 'cluster-profiles-rehearsal-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
    const cliConfig = join(dir, 'terraformrc');
    writeFileSync(cliConfig, '');
    const log = join(dir, 'rehearsal.log');
    const env = terraformEnvironment(process.env, cliConfig, { [REHEARSAL_LOG_VARIABLE]: log });
    const run = (args: string[], onMessage?: (m: TerraformMessage) => void): Promise<string> =>
      runTerraform({ binary, args, cwd: dir, env, signal: options.signal, onMessage });
    const counter = (step: 'apply' | 'destroy', action: string) => {
      let done = 0;
      return (m: TerraformMessage): void => {
        if (m.type === 'apply_complete' && m.hook?.action === action) progress({ step, done: ++done, total });
      };
    };

    const terraformVersionText = await terraformVersion(binary, dir, env, options.signal);
    let started = Date.now();
    progress({ step: 'init', done: 0, total });
    await run(['init', '-input=false', '-no-color']);
    const init = Date.now() - started;

    started = Date.now();
    progress({ step: 'apply', done: 0, total });
    await run(['apply', '-input=false', '-no-color', '-auto-approve', '-json', `-parallelism=${parallelism}`], counter('apply', 'create'));
    const apply = Date.now() - started;

    started = Date.now();
    progress({ step: 'destroy', done: 0, total });
    await run(['destroy', '-input=false', '-no-color', '-auto-approve', '-json', `-parallelism=${parallelism}`], counter('destroy', 'delete'));
    const destroy = Date.now() - started;

    const events = parseRehearsalLog(existsSync(log) ? readFileSync(log, 'utf8') : '');
    return {
      terraformVersion: terraformVersionText,
      readinessSeconds,
      parallelism,
      resources,
      events,
      check: checkOrder({ resources, plan, events }),
      timeline: buildTimeline(plan, resources, events),
      durations: { init, apply, destroy },
      directory: options.keepDirectory ? dir : undefined,
    };
  } finally {
    if (!options.keepDirectory) rmSync(dir, { recursive: true, force: true });
  }
}
