#!/usr/bin/env node
import { ProfileError } from '../core/model/errors';
import { SYNTH_USAGE, synthCommand } from './commands/synth';
import { PLAN_USAGE, planCommand } from './commands/plan';
import { GRAPH_USAGE, graphCommand } from './commands/graph';
import { DIFF_USAGE, diffCommand } from './commands/diff';
import { EXPORT_USAGE, exportCommand } from './commands/export';
import { REHEARSE_USAGE, rehearseCommand } from './commands/rehearse';
import { REVIEW_USAGE, reviewCommand } from './commands/review';
import { UsageError } from './options';
import { ownValue } from '../core/model/dictionary';
import { printable } from '../core/model/printable';

type Command = (args: string[], print: (line: string) => void, printError: (line: string) => void) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  synth: { run: synthCommand, usage: SYNTH_USAGE },
  plan: { run: planCommand, usage: PLAN_USAGE },
  graph: { run: graphCommand, usage: GRAPH_USAGE },
  diff: { run: diffCommand, usage: DIFF_USAGE },
  export: { run: exportCommand, usage: EXPORT_USAGE },
  rehearse: { run: rehearseCommand, usage: REHEARSE_USAGE },
  review: { run: reviewCommand, usage: REVIEW_USAGE },
};

function usage(): string {
  return ['Usage:', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`), '', 'Add --debug to any command to see stack traces of unexpected errors.'].join('\n');
}

/** Runs the CLI; returns the exit code. Errors are printed as messages, never as stack traces. */
export async function main(argv: string[], print = (l: string) => console.log(l), printError = (l: string) => console.error(l)): Promise<number> {
  // Every printed line comes from input somewhere: escape control characters, hide URL passwords.
  const [out, err] = [print, printError];
  print = (l) => out(printable(l));
  printError = (l) => err(printable(l));
  const [name, ...args] = argv;
  const debug = args.includes('--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    print(usage());
    return name === undefined ? 2 : 0;
  }
  const command = ownValue(COMMANDS, name);
  if (command === undefined) {
    printError(`cluster-profiles: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  // Asking for help is not a mistake: the command's usage on stdout, exit 0, whatever else was given.
  if (args.includes('--help') || args.includes('-h')) {
    print(`Usage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(args.filter((a) => a !== '--debug'), print, printError);
  } catch (err) {
    if (err instanceof UsageError) {
      printError(`cluster-profiles ${name}: ${err.message}\nUsage: ${command.usage}`);
      return 2;
    }
    if (ProfileError.isProfileError(err)) {
      const count = err.problems.length;
      printError(`cluster-profiles ${name}: ${count} problem${count === 1 ? '' : 's'} in the profiles; nothing was written:`);
      for (const line of err.message.split('\n')) printError(`  ${line}`);
      return 1;
    }
    printError(`cluster-profiles ${name}: ${(err as Error)?.message ?? String(err)}`);
    if (debug && err instanceof Error && err.stack) printError(err.stack);
    return 1;
  }
}

if (require.main === module) {
  // Ctrl-C or a kill ends the run through process.exit, so that the 'exit' handlers remove the scratch
  // folders (generated charts, staging). Synthesis itself is synchronous: a signal is handled once it
  // has finished or failed, never halfway through replacing the output.
  // A command with its own handler (rehearse stops terraform first) keeps the signal to itself.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
