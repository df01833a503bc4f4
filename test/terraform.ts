import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** What one run of the real terraform printed, and its exit code. */
export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr. */
  readonly out: string;
}

/**
 * Runs the real terraform in `dir`, offline and quiet (no update check, automation mode), with
 * `env` added to the environment. Throws, naming what to install, when terraform is not on PATH.
 */
export function runTerraform(dir: string | undefined, args: readonly string[], env: NodeJS.ProcessEnv = {}): TerraformRun {
  const result = spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error !== undefined) throw new Error(`terraform could not be run (${result.error.message}); install terraform 1.4 or later on PATH to run this test`);
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr, out: `${result.stdout}${result.stderr}` };
}

/** Runs terraform like `runTerraform`, asserts it succeeded, and returns what it printed on stdout. */
export function terraformOk(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  const run = runTerraform(dir, args, env);
  assert.equal(run.code, 0, `terraform ${args.join(' ')} failed in ${dir}:\n${run.stderr}`);
  return run.stdout;
}
