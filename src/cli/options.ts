import { parseArgs, ParseArgsConfig } from 'node:util';
import { dictionary } from '../core/model/dictionary';

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command's option table, as node's `parseArgs` takes it; declared `as const` (or inline), its values are typed. */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** How every command parses: strict, with positionals. */
interface CommandParse<T extends OptionTable> {
  args: string[];
  options: T;
  allowPositionals: true;
  strict: true;
}

/** What `parseCommand` returns for a table: node's own types, read from the table. */
export type ParsedCommand<T extends OptionTable> = ReturnType<typeof parseArgs<CommandParse<T>>>;

/**
 * Option values as `parseCommand` returns them for the table `T`: a string (array when
 * `multiple`) or a boolean per option, optional unless the option has a default.
 */
export type OptionValues<T extends OptionTable> = ParsedCommand<T>['values'];

/**
 * Parses a command's arguments with node's own parser (no dependency needed for flags this simple),
 * turning its errors into usage errors.
 */
export function parseCommand<const T extends OptionTable>(args: string[], options: T): ParsedCommand<T> {
  try {
    return parseArgs<CommandParse<T>>({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The value of an option that takes one of a few words (`--format`), or a usage error listing them. */
export function choiceOf<C extends string>(option: string, value: string, choices: readonly C[]): C {
  const choice = choices.find((c) => c === value);
  if (choice === undefined) throw new UsageError(`${option} "${value}" must be one of ${choices.join(', ')}`);
  return choice;
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
