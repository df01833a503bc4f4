import { parseArgs, ParseArgsConfig } from 'node:util';
import { dictionary } from '../core/model/dictionary';

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Options every command that reads profiles accepts. */
export const PROFILE_OPTIONS = {
  registry: { type: 'string', multiple: true },
  catalog: { type: 'string' },
  debug: { type: 'boolean' },
  // Version trains, profile variables and macros (read in profile-input.ts).
  lock: { type: 'string' },
  update: { type: 'boolean' },
  var: { type: 'string', multiple: true },
  'var-file': { type: 'string', multiple: true },
  macro: { type: 'string', multiple: true },
  'macro-file': { type: 'string', multiple: true },
  'cluster-name': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** How the trains, variables and macros options of PROFILE_OPTIONS read in a usage line. */
export const RESOLUTION_USAGE =
  '[--lock FILE] [--update] [--var NAME=VALUE]... [--var-file FILE]... [--macro NAME=VALUE]... [--macro-file FILE]... [--cluster-name NAME]';

/** Option values as `parseCommand` returns them. */
export type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/**
 * Parses a command's arguments with node's own parser (no dependency needed for flags this simple),
 * turning its errors into usage errors.
 */
export function parseCommand(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): { values: OptionValues; positionals: string[] } {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Reads repeated `--registry NAME=URL` options into a map. */
export function parseRegistries(values: readonly string[] | undefined): Record<string, string> {
  const out = dictionary<string>();
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) {
      throw new UsageError(`--registry "${value}" must be NAME=URL, for example --registry "Bitnami=https://charts.bitnami.com/bitnami"`);
    }
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}

/** Checks that at least one profile file was named. */
export function requireFiles(files: readonly string[], command: string): void {
  if (files.length === 0) throw new UsageError(`${command} needs at least one profile file`);
}
