import { spawn } from 'node:child_process';
import { RehearsalError } from './rehearsal-error';

/** One message of terraform's `-json` output (machine-readable UI). */
export interface TerraformMessage {
  readonly type?: string;
  readonly '@level'?: string;
  readonly '@message'?: string;
  readonly hook?: { readonly resource?: { readonly addr?: string }; readonly action?: string };
  readonly diagnostic?: { readonly severity?: string; readonly summary?: string; readonly detail?: string };
}

/** One terraform run. */
export interface TerraformCommand {
  /** The terraform binary: a name looked up on PATH, or a path. */
  readonly binary: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Stops terraform (SIGINT, which lets it finish cleanly) when aborted.
   * @default - runs to the end
   */
  readonly signal?: AbortSignal;
  /**
   * Called with each message when `args` include `-json`.
   * @default - messages are only read for errors
   */
  readonly onMessage?: (message: TerraformMessage) => void;
}

/** The lowest Terraform version with the built-in `terraform_data` resource. */
export const MIN_TERRAFORM_VERSION: readonly [number, number] = [1, 4];

/**
 * The environment terraform runs in: the caller's, without any `TF_*` setting (a user's CLI
 * arguments, workspace, plugin cache or credentials must not change a rehearsal), plus
 * `TF_IN_AUTOMATION`, `CHECKPOINT_DISABLE` (no update check over the network) and an empty CLI
 * configuration file (no provider mirrors or caches), so it runs offline and the same everywhere.
 */
export function terraformEnvironment(base: NodeJS.ProcessEnv, cliConfigFile: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!k.startsWith('TF_') && k !== 'CHECKPOINT_DISABLE') env[k] = v;
  return { ...env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: cliConfigFile, ...extra };
}

/**
 * Runs terraform and resolves with its standard output. Fails with a RehearsalError whose message
 * says what went wrong: terraform not found, its error diagnostics (or the end of its output) when it
 * exits non-zero, or that it was interrupted.
 */
export function runTerraform(command: TerraformCommand): Promise<string> {
  const step = `terraform ${command.args[0] ?? ''}`.trim();
  return new Promise((resolvePromise, reject) => {
    if (command.signal?.aborted) {
      reject(new RehearsalError(`interrupted before ${step} started`));
      return;
    }
    const child = spawn(command.binary, command.args, { cwd: command.cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const errors: string[] = [];
    const onLine = (line: string): void => {
      if (!line.startsWith('{')) return;
      let message: TerraformMessage;
      try {
        message = JSON.parse(line) as TerraformMessage;
      } catch {
        return;
      }
      if (message.type === 'diagnostic' && message.diagnostic?.severity === 'error') {
        const { summary, detail } = message.diagnostic;
        errors.push([summary, detail].filter((s) => s !== undefined && s !== '').join(': '));
      }
      command.onMessage?.(message);
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      lines.forEach(onLine);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    const abort = (): void => {
      child.kill('SIGINT');
    };
    command.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      command.signal?.removeEventListener('abort', abort);
      if (err.code === 'ENOENT') {
        const where = command.binary.includes('/') ? `at ${command.binary}` : 'on PATH';
        reject(new RehearsalError(`terraform was not found ${where}; a rehearsal runs the real Terraform (${MIN_TERRAFORM_VERSION.join('.')} or later): install it from https://developer.hashicorp.com/terraform/install and try again`));
      } else {
        reject(new RehearsalError(`${step} could not be started: ${err.message}`));
      }
    });
    child.on('close', (code, signal) => {
      command.signal?.removeEventListener('abort', abort);
      if (pending !== '') onLine(pending);
      if (command.signal?.aborted) {
        reject(new RehearsalError(`interrupted: ${step} was stopped before it finished`));
      } else if (code === 0) {
        resolvePromise(stdout);
      } else {
        const why = errors.length > 0 ? errors.join('; ') : tail(`${stderr}\n${stdout}`);
        reject(new RehearsalError(`${step} failed (${code !== null ? `exit code ${code}` : `stopped by ${signal}`}): ${why}`));
      }
    });
  });
}

/** The version of the terraform binary; fails unless it has `terraform_data` (1.4 or later). */
export async function terraformVersion(binary: string, cwd: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  const out = await runTerraform({ binary, args: ['version', '-json'], cwd, env, signal });
  let version: unknown;
  try {
    version = (JSON.parse(out) as { terraform_version?: unknown }).terraform_version;
  } catch {
    version = undefined;
  }
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)\./.exec(version) : null;
  const [major, minor] = MIN_TERRAFORM_VERSION;
  if (match === null) {
    throw new RehearsalError(`"${binary} version -json" printed no version (${tail(out)}); a rehearsal needs Terraform ${major}.${minor} or later`);
  }
  if (Number(match[1]) < major || (Number(match[1]) === major && Number(match[2]) < minor)) {
    throw new RehearsalError(`terraform ${String(version)} is too old: a rehearsal needs the built-in terraform_data resource of Terraform ${major}.${minor} or later`);
  }
  return String(version);
}

/** The last lines of an output, on one line, for an error message. */
function tail(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^[╷│╵]$/.test(l));
  const last = lines.slice(-6).map((l) => l.replace(/^[│╷╵]\s*/, '')).filter((l) => l !== '');
  return last.length > 0 ? last.join(' ') : 'no output';
}
