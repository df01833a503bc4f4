import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../src/cli/main';
import { EMPTY_LOCK, LOCK_FILE_NAME, Lock, defaultLockPath, formatLock, parseLock, readLockFile, updateLock, writeLockFile } from '../src/core/input/lock';
import { REPO, profileErrorOf } from './synth-helpers';

const REPO_DIR = join(REPO, 'test', 'fixtures', 'helm-repo');
const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-lock-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let count = 0;
const freshDir = (): string => mkdtempSync(join(scratch, `case-${++count}-`));

const LOCK: Lock = {
  entries: [
    { profile: 'b', layer: 'x', source: 'pack x', train: '2.x', version: '2.1.0' },
    { profile: 'a', layer: 'z', source: 'registry Local, chart z', train: '1.x', version: '1.10.1' },
    { profile: 'a', layer: 'y', source: 'repository https://charts.example.com, chart y', train: '~1.2', version: '1.2.9' },
  ],
};

const LOCK_TEXT = `# cluster-profiles lock file: the exact version each version train resolved to.
# Commit it with the profiles. Runs take these versions without any network;
# run with --update to resolve every train again. Written by cluster-profiles.
lockfileVersion: 1
trains:
  - profile: a
    layer: 'y'
    source: repository https://charts.example.com, chart y
    train: ~1.2
    version: 1.2.9
  - profile: a
    layer: z
    source: registry Local, chart z
    train: 1.x
    version: 1.10.1
  - profile: b
    layer: x
    source: pack x
    train: 2.x
    version: 2.1.0
`;

describe('lock file format', () => {
  it('is written sorted by profile then layer, one field per line, with a header', () => {
    assert.equal(formatLock(LOCK), LOCK_TEXT);
  });

  it('reads back what it writes', () => {
    assert.deepEqual(parseLock(LOCK_TEXT, 'l.yaml'), { entries: [LOCK.entries[2], LOCK.entries[1], LOCK.entries[0]] });
  });

  it('reports every bad entry, naming the file and field', () => {
    const text = 'lockfileVersion: 1\ntrains:\n  - profile: a\n    layer: b\n    source: s\n    train: 1.x\n  - 7\n';
    assert.equal(
      profileErrorOf(() => parseLock(text, 'l.yaml')).message,
      'l.yaml: trains[0].version must be a non-empty string, found nothing\nl.yaml: trains[1] must be a map with profile, layer, source, train, version, found 7',
    );
  });

  it('refuses a lock format it does not know', () => {
    assert.equal(
      profileErrorOf(() => parseLock('lockfileVersion: 2\n', 'l.yaml')).message,
      'l.yaml: lockfileVersion 2 is not a lock format this version reads (expected 1); delete the file and run again to re-create it',
    );
  });

  it('lives beside the first profile file by default', () => {
    assert.equal(defaultLockPath(['profiles/a.json', 'other/b.json']), join('profiles', LOCK_FILE_NAME));
  });

  it('keeps entries of profiles a run did not read', () => {
    const next = updateLock(LOCK, ['a'], [{ profile: 'a', layer: 'z', source: 'registry Local, chart z', train: '1.x', version: '1.11.0' }]);
    assert.deepEqual(next.entries.map((e) => `${e.profile}/${e.layer}@${e.version}`), ['a/z@1.11.0', 'b/x@2.1.0']);
  });

  it('is written only when its content changes, and not at all when empty', () => {
    // GIVEN a folder without a lock
    const dir = freshDir();
    const file = join(dir, LOCK_FILE_NAME);
    // WHEN an empty lock is written, THEN no file appears
    assert.equal(writeLockFile(file, EMPTY_LOCK), false);
    assert.equal(existsSync(file), false);
    // WHEN a lock is written twice, THEN the second write changes nothing
    assert.equal(writeLockFile(file, LOCK), true);
    const mtime = statSync(file).mtimeMs;
    assert.equal(writeLockFile(file, LOCK), false);
    assert.equal(statSync(file).mtimeMs, mtime);
    assert.deepEqual(readLockFile(file).entries.length, 3);
  });
});

/** Runs the CLI in this process, capturing what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(...l.split('\n')), (l) => err.push(...l.split('\n')));
  return { code, out, err };
}

/** A Palette export with one Helm layer `hello` at `version`, from registry "Local". */
function exportWithTrain(dir: string, version: string): string {
  const file = join(dir, 'apps.json');
  const profile = {
    metadata: { name: 'apps' },
    spec: {
      version: '1.0.0',
      template: { type: 'add-on', packs: [{ name: 'hello', type: 'helm', layer: 'addon', version, registry: { metadata: { name: 'Local' } }, values: 'pack:\n  namespace: hello\n' }] },
    },
  };
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

describe('lock file: the CLI', () => {
  it('resolves a train once, then reuses the lock with no network', async () => {
    // GIVEN a profile at train 1.x and the repository index in a local folder
    const dir = freshDir();
    const profile = exportWithTrain(dir, '1.x');
    // WHEN synthesized
    const first = await run('synth', '--out', join(dir, 'out1'), '--registry', `Local=${REPO_DIR}`, profile);
    // THEN 1.10.1 is installed and locked next to the profile
    assert.equal(first.code, 0, first.err.join('\n'));
    assert.ok(first.out.includes('      hello  [helm hello 1.x -> 1.10.1]  ns hello, creates hello  (profile apps)'), first.out.join('\n'));
    assert.equal(first.out[first.out.length - 1], `Locked 1 version train in ${relative(process.cwd(), join(dir, LOCK_FILE_NAME))}`);
    assert.deepEqual(readLockFile(join(dir, LOCK_FILE_NAME)).entries, [
      { profile: 'apps', layer: 'hello', source: 'registry Local, chart hello', train: '1.x', version: '1.10.1' },
    ]);

    // WHEN synthesized again with the registry pointing at a URL nobody answers
    const second = await run('synth', '--out', join(dir, 'out2'), '--registry', 'Local=http://127.0.0.1:4', profile);
    // THEN the lock supplies the version: same release, nothing fetched, lock unchanged
    assert.equal(second.code, 0, second.err.join('\n'));
    const release = JSON.parse(readFileSync(join(dir, 'out2', 'stacks', 'cluster', 'cdk.tf.json'), 'utf8')).resource.helm_release.hello;
    assert.deepEqual([release.version, release.repository], ['1.10.1', 'http://127.0.0.1:4']);
    assert.equal(second.out.some((l) => l.startsWith('Locked')), false);

    // WHEN run with --update against the unreachable URL
    const third = await run('synth', '--out', join(dir, 'out3'), '--registry', 'Local=http://127.0.0.1:4', '--update', profile);
    // THEN the train is resolved again, which fails and says why; nothing is written
    assert.equal(third.code, 1);
    assert.deepEqual(third.err, [
      'cluster-profiles synth: 1 problem in the profiles; nothing was written:',
      `  ${profile}: profile "apps" layer "hello": registry "Local" has an index that cannot be read, so version train "1.x" cannot be resolved (cannot fetch http://127.0.0.1:4/index.yaml: ECONNREFUSED); fix the index or its URL, or give an exact version`,
    ]);
    assert.equal(existsSync(join(dir, 'out3')), false);
  });

  it('reads and writes the lock file given with --lock', async () => {
    const dir = freshDir();
    const profile = exportWithTrain(dir, '1.9.x');
    const lockFile = join(dir, 'elsewhere.lock.yaml');
    const result = await run('synth', '--out', join(dir, 'out'), '--registry', `Local=${REPO_DIR}`, '--lock', lockFile, profile);
    assert.equal(result.code, 0, result.err.join('\n'));
    assert.equal(existsSync(join(dir, LOCK_FILE_NAME)), false);
    assert.deepEqual(readLockFile(lockFile).entries.map((e) => e.version), ['1.9.0']);
  });

  it('refuses a lock entry outside its version train instead of installing it', async () => {
    // GIVEN a lock resolved for train 1.x, then edited by hand to a 2.x version
    const dir = freshDir();
    const profile = exportWithTrain(dir, '1.x');
    assert.equal((await run('synth', '--out', join(dir, 'out1'), '--registry', `Local=${REPO_DIR}`, profile)).code, 0);
    const lockFile = join(dir, LOCK_FILE_NAME);
    writeFileSync(lockFile, readFileSync(lockFile, 'utf8').replace('version: 1.10.1', 'version: 2.0.0'));
    // WHEN synthesized again
    const result = await run('synth', '--out', join(dir, 'out2'), '--registry', `Local=${REPO_DIR}`, profile);
    // THEN exit 1 naming the train and the locked version; nothing is written
    assert.equal(result.code, 1);
    assert.deepEqual(result.err, [
      'cluster-profiles synth: 1 problem in the profiles; nothing was written:',
      `  ${profile}: profile "apps" layer "hello": version "1.x" is pinned by the lock file to "2.0.0", which the train does not accept; run with --update to resolve the train again, or correct the lock file's entry`,
    ]);
    assert.equal(existsSync(join(dir, 'out2')), false);
  });

  it('writes no lock when the run fails', async () => {
    // GIVEN a train that matches nothing
    const dir = freshDir();
    const profile = exportWithTrain(dir, '9.x');
    // WHEN synthesized
    const result = await run('synth', '--out', join(dir, 'out'), '--registry', `Local=${REPO_DIR}`, profile);
    // THEN it fails and leaves no lock behind
    assert.equal(result.code, 1);
    assert.equal(existsSync(join(dir, LOCK_FILE_NAME)), false);
  });
});
