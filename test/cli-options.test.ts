import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, choiceOf, parseCommand } from '../src/cli/options';
import { PROFILE_OPTIONS, readResolveOptions } from '../src/cli/profile-input';

describe('parseCommand: option values typed by their table', () => {
  it('gives strings, lists of strings, booleans and defaults as the table declares them', () => {
    // GIVEN the profile options and a command's own
    // WHEN parsed
    const { values, positionals } = parseCommand(['--registry', 'a=https://a', '--registry', 'b=https://b', '--update', '--out', 'x', 'p.yaml'], {
      ...PROFILE_OPTIONS,
      out: { type: 'string' },
      format: { type: 'string', default: 'text' },
    });
    // THEN each value has its declared type (the annotations are checked by the compiler)
    const registry: string[] | undefined = values.registry;
    const update: boolean | undefined = values.update;
    const out: string | undefined = values.out;
    const format: string = values.format;
    assert.deepEqual({ registry, update, out, format, positionals }, { registry: ['a=https://a', 'b=https://b'], update: true, out: 'x', format: 'text', positionals: ['p.yaml'] });
  });

  it("turns the parser's errors into usage errors", () => {
    // GIVEN an option no table declares  WHEN parsed  THEN a usage error with node's message
    assert.throws(() => parseCommand(['--nope'], PROFILE_OPTIONS), (err: unknown) => err instanceof UsageError && /^Unknown option '--nope'/.test(err.message));
  });
});

describe('choiceOf: an option taking one of a few words', () => {
  it('returns the word when it is one of the choices', () => {
    assert.equal(choiceOf('--format', 'dot', ['mermaid', 'dot'] as const), 'dot');
  });

  it('refuses any other word, listing the choices', () => {
    assert.throws(() => choiceOf('--format', 'svg', ['mermaid', 'dot']), new UsageError('--format "svg" must be one of mermaid, dot'));
  });
});

describe('readResolveOptions: the resolve options from the command line', () => {
  it('names the cluster after --cluster-name, else --stack, else "cluster", and reads registries and macros', () => {
    // GIVEN parsed options with and without --cluster-name and --stack
    // WHEN read  THEN the cluster name falls back as documented
    const options = readResolveOptions({ registry: ['a=https://a'], macro: ['region=eu'] });
    assert.deepEqual({ ...options, registries: { ...options.registries }, macros: { ...options.macros } }, { registries: { a: 'https://a' }, clusterName: 'cluster', macros: { region: 'eu' } });
    assert.equal(readResolveOptions({ stack: 'edge' }).clusterName, 'edge');
    assert.equal(readResolveOptions({ stack: 'edge', 'cluster-name': 'edge-1' }).clusterName, 'edge-1');
  });
});
