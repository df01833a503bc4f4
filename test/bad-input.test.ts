import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileError, synthToDirectory } from '../src';
import { main } from '../src/cli/main';
import { checkJsonStructure } from '../src/core/input/json-check';
import { MAX_PROFILE_BYTES } from '../src/core/input/load';
import { addOn, helmLayer } from './helpers';
import { REPO } from './synth-helpers';

const CORPUS = join(REPO, 'test', 'corpus', 'bad');
/** Corpus file -> the exact lines printed after the header; `{file}` is the path given, `{JSON.parse}` node's own parse message. */
const EXPECTED = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as Record<string, string[]>;
const scratch = mkdtempSync(join(tmpdir(), 'bad-input-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

async function synthCli(outdir: string, ...files: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['synth', '--out', outdir, '--registry', 'R=https://charts.example.com', ...files], (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

function header(count: number): string {
  return `cluster-profiles synth: ${count} problem${count === 1 ? '' : 's'} in the profiles; nothing was written:`;
}

function jsonParseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  return '(valid JSON)';
}

/** Every file of a folder with its bytes, to show a folder was left as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string, prefix: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(d, entry.name), `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = readFileSync(join(d, entry.name), 'latin1');
    }
  };
  visit(dir, '');
  return out;
}

describe('the bad-input corpus', () => {
  it('has an expected message for every file and a file for every expected message', () => {
    // GIVEN the corpus folder WHEN listed THEN it matches expected.json one to one
    const files = readdirSync(CORPUS).filter((f) => f !== 'expected.json').sort();
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
    assert.equal(files.length >= 20, true);
  });

  for (const [name, lines] of Object.entries(EXPECTED)) {
    it(`refuses ${name} with its exact message, no stack trace and no output`, async () => {
      // GIVEN the malformed profile file
      const file = join(CORPUS, name);
      const outdir = join(scratch, `out-${name}`);
      // WHEN synthesized by the CLI
      const run = await synthCli(outdir, file);
      // THEN exit 1, the header and the exact problems on stderr, nothing on stdout, no output folder
      const parse = jsonParseMessage(readFileSync(file, 'utf8'));
      const expected = lines.map((l) => `  ${l.split('{file}').join(file).split('{JSON.parse}').join(parse)}`);
      assert.deepEqual(run, { code: 1, out: [], err: [header(lines.length), ...expected] });
      assert.equal(existsSync(outdir), false);
    });
  }
});

describe('bad input made at test time', () => {
  it('refuses binary garbage', async () => {
    // GIVEN random-looking bytes with NULs and invalid UTF-8 (fixed, so the test is repeatable)
    const file = join(scratch, 'garbage.bin');
    writeFileSync(file, Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256)));
    // WHEN synthesized THEN refused as binary
    const run = await synthCli(join(scratch, 'out-garbage'), file);
    assert.deepEqual(run, { code: 1, out: [], err: [header(1), `  ${file}: is not UTF-8 text (binary data found); expected a Palette cluster-profile export (JSON)`] });
  });

  it('refuses a file over 16 MiB before reading it as a profile', async () => {
    // GIVEN a valid-looking export padded past the limit
    const file = join(scratch, 'huge.json');
    const size = MAX_PROFILE_BYTES + 1;
    writeFileSync(file, `{"metadata": {"name": "huge"}}${' '.repeat(size - 30)}`);
    // WHEN synthesized THEN refused by size
    const run = await synthCli(join(scratch, 'out-huge'), file);
    assert.deepEqual(run, { code: 1, out: [], err: [header(1), `  ${file}: is ${size} bytes; profile files may be at most ${MAX_PROFILE_BYTES} bytes`] });
  });

  it('refuses a folder and a missing file, reporting both at once', async () => {
    // GIVEN a folder and a path that does not exist
    const folder = join(scratch, 'a-folder');
    mkdirSync(folder);
    const missing = join(scratch, 'missing.json');
    // WHEN both are given THEN both are reported
    const run = await synthCli(join(scratch, 'out-two'), folder, missing);
    assert.deepEqual(run, { code: 1, out: [], err: [header(2), `  ${folder}: cannot be read: is a directory, not a profile file`, `  ${missing}: cannot be read: no such file`] });
  });
});

describe('no partial output', () => {
  const good = join(scratch, 'good.json');
  writeFileSync(
    good,
    JSON.stringify({ metadata: { name: 'good' }, spec: { version: '1.0.0', template: { type: 'add-on', packs: [{ name: 'web', type: 'helm', layer: 'addon', version: '1.0.0', values: 'pack:\n  namespace: web\n', registry: { metadata: { name: 'R' } } }] } } }),
  );

  it('leaves the previous output folder as it was when the profiles are bad', async () => {
    // GIVEN an output folder from a good run
    const outdir = join(scratch, 'kept');
    assert.equal((await synthCli(outdir, good)).code, 0);
    const before = snapshot(outdir);
    // WHEN a bad profile is synthesized into it
    const run = await synthCli(outdir, join(CORPUS, 'bad-namespace.json'));
    // THEN it fails and the folder holds the same files, byte for byte, with no staging folder beside it
    assert.equal(run.code, 1);
    assert.deepEqual(snapshot(outdir), before);
    assert.deepEqual(readdirSync(scratch).filter((f) => f.startsWith('.kept')), []);
  });

  it('replaces the output folder as a whole, or not at all, when synthesis fails half-way', () => {
    // GIVEN an output folder from a good synthesis
    const outdir = join(scratch, 'atomic');
    synthToDirectory(outdir, 'cluster', { profiles: [addOn('p', [helmLayer('web')])] });
    const before = snapshot(outdir);
    // WHEN a synthesis fails inside the construct (after its staging folder was made)
    assert.throws(
      () => synthToDirectory(outdir, 'cluster', { profiles: [addOn('p', [helmLayer('web', 'pack:\n  namespace: NO\n')])] }),
      (err: unknown) => ProfileError.isProfileError(err) && err.message === 'profile "p" layer "web": pack.namespace "NO" must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, \'-\') and be at most 63 characters',
    );
    // THEN the previous output is intact and the staging folder is gone
    assert.deepEqual(snapshot(outdir), before);
    assert.deepEqual(readdirSync(scratch).filter((f) => f.startsWith('.atomic')), []);
  });
});

describe('checkJsonStructure', () => {
  it('names a key given twice at the top level', () => {
    // GIVEN {"a": 1, "a": 2} WHEN checked THEN the key, the place and the position are named
    assert.throws(() => checkJsonStructure('{"a": 1,\n "a": 2}', 'f.json'), { message: 'f.json: has the key "a" twice in the top-level object (line 2, column 2); JSON readers keep only the last one, so remove the other' });
  });

  it('is not misled by quotes, braces and keys inside strings', () => {
    // GIVEN strings holding escaped quotes, braces and text that looks like a repeated key
    const text = '{"a": "say \\"a\\": {", "b": ["{\\"a\\": 1}", {"a": 1}], "c": {"a": 2}}';
    // WHEN checked THEN nothing is reported (each "a" is in its own object)
    assert.doesNotThrow(() => checkJsonStructure(text, 'f.json'));
  });

  it('leaves invalid JSON to the parser', () => {
    // GIVEN text that is not JSON WHEN checked THEN nothing is thrown here
    assert.doesNotThrow(() => checkJsonStructure('{"a": 1, "a"', 'f.json'));
  });
});
