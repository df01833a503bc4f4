import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIFF_USAGE } from '../src/cli/commands/diff';
import { EXPORT_USAGE } from '../src/cli/commands/export';
import { GRAPH_USAGE } from '../src/cli/commands/graph';
import { PLAN_USAGE } from '../src/cli/commands/plan';
import { REHEARSE_USAGE } from '../src/cli/commands/rehearse';
import { SYNTH_USAGE } from '../src/cli/commands/synth';
import { cli } from './cli-helpers';

describe('cluster-profiles COMMAND --help', () => {
  const usages: [string, string][] = [
    ['synth', SYNTH_USAGE],
    ['plan', PLAN_USAGE],
    ['graph', GRAPH_USAGE],
    ['diff', DIFF_USAGE],
    ['export', EXPORT_USAGE],
    ['rehearse', REHEARSE_USAGE],
  ];
  for (const [command, usage] of usages) {
    it(`${command} --help prints the usage of ${command} on stdout and exits 0`, async () => {
      // GIVEN no profile file, only --help
      // WHEN the command is run with it
      const run = await cli(command, '--help');
      // THEN its usage is printed, nothing goes to stderr, and the exit code is 0
      assert.deepEqual(run, { code: 0, out: [`Usage: ${usage}`], err: [] });
    });
  }

  it('-h among other options is help too', async () => {
    // GIVEN -h after an option and a file name
    // WHEN synth is run with them
    const run = await cli('synth', '--out', 'somewhere', '-h', 'profile.json');
    // THEN the usage is printed and nothing else is done
    assert.deepEqual(run, { code: 0, out: [`Usage: ${SYNTH_USAGE}`], err: [] });
  });
});
