import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../src/cli/main';
import { REPO } from './synth-helpers';

// The rules of `synth --out`: the tool owns only what it wrote (docs/promises.md, "The output folder").

const REGISTRY = ['--registry', 'Charts=https://charts.example.com'];
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-out-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let count = 0;

/** A fresh project folder holding copies of the fixture profiles. */
function project(): { dir: string; platform: string; addons: string } {
  const dir = join(scratch, `project-${++count}`);
  mkdirSync(dir);
  for (const name of ['web-platform.json', 'team-addons.json']) cpSync(join(REPO, 'test', 'fixtures', name), join(dir, name));
  return { dir, platform: join(dir, 'web-platform.json'), addons: join(dir, 'team-addons.json') };
}

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(...l.split('\n')), (l) => err.push(...l.split('\n')));
  return { code, out, err };
}

/** Every file under `dir` (relative path -> content), for before/after comparisons. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, snapshot(dir, rel));
    else files[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return files;
}

describe('synth --out: the tool owns only what it wrote', () => {
  it('keeps .terraform/, the provider lock, state files and a user\'s files across a re-synth', async () => {
    // GIVEN an output that Terraform was initialized and applied in, with a note of the user's
    const { dir, platform } = project();
    const out = join(dir, 'out');
    assert.equal((await run('synth', '--out', out, ...REGISTRY, platform)).code, 0);
    const stack = join(out, 'stacks', 'cluster');
    mkdirSync(join(stack, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(stack, '.terraform', 'providers', 'helm'), 'binary');
    writeFileSync(join(stack, '.terraform.lock.hcl'), 'provider "helm" {}\n');
    writeFileSync(join(stack, 'terraform.tfstate.backup'), '{"version": 4}');
    writeFileSync(join(out, 'NOTES.md'), 'mine');
    // WHEN synthesized again
    const { code } = await run('synth', '--out', out, ...REGISTRY, platform);
    // THEN exit 0 and every file the tool did not write is still there, unchanged
    assert.equal(code, 0);
    assert.equal(readFileSync(join(stack, '.terraform', 'providers', 'helm'), 'utf8'), 'binary');
    assert.equal(readFileSync(join(stack, '.terraform.lock.hcl'), 'utf8'), 'provider "helm" {}\n');
    assert.equal(readFileSync(join(stack, 'terraform.tfstate.backup'), 'utf8'), '{"version": 4}');
    assert.equal(readFileSync(join(out, 'NOTES.md'), 'utf8'), 'mine');
  });

  it('lists what it wrote in a marker, and removes only the listed files that are no longer written', async () => {
    // GIVEN an output of stack "old", and a file of the user's beside it
    const { dir, platform } = project();
    const out = join(dir, 'out');
    assert.equal((await run('synth', '--out', out, '--stack', 'old', ...REGISTRY, platform)).code, 0);
    writeFileSync(join(out, 'stacks', 'old', 'terraform.tfstate'), 'state');
    // WHEN synthesized as stack "new"
    assert.equal((await run('synth', '--out', out, '--stack', 'new', ...REGISTRY, platform)).code, 0);
    // THEN the old stack's generated files are gone, the state in its folder stays, and the marker lists the new files
    assert.deepEqual(Object.keys(snapshot(join(out, 'stacks', 'old'))), ['terraform.tfstate']);
    const marker = readFileSync(join(out, '.cluster-profiles-output'), 'utf8').split('\n');
    assert.ok(marker.includes('stacks/new/cdk.tf.json'));
    assert.ok(marker.includes('manifest.json'));
    assert.ok(!marker.some((l) => l.startsWith('stacks/old/')));
  });

  it('refuses --out . in a project that holds a manifest.json, and deletes nothing', () => {
    // GIVEN a project folder that looks like an old output (it has a manifest.json) and holds its profile
    const { dir } = project();
    writeFileSync(join(dir, 'manifest.json'), '{}');
    const before = snapshot(dir);
    // WHEN synthesized into the working folder itself
    const runCli = spawnSync(process.execPath, [CLI, 'synth', '--out', '.', ...REGISTRY, 'web-platform.json'], { cwd: dir, encoding: 'utf8' });
    // THEN exit 1 with the reason, and the project is untouched
    assert.equal(runCli.status, 1);
    assert.equal(
      runCli.stderr.trim().split('\n').pop(),
      `cluster-profiles synth: output folder ${dir} is the working folder or holds it; synth writes into its output folder and the state file beside the working folder, so give --out a folder of its own (the default is cdktf.out)`,
    );
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses an output folder that holds an input file', async () => {
    // GIVEN a profile inside a folder that an earlier synth marked as its output
    const { dir, platform } = project();
    const out = join(dir, 'out');
    assert.equal((await run('synth', '--out', out, ...REGISTRY, platform)).code, 0);
    const inside = join(out, 'web-platform.json');
    cpSync(platform, inside);
    // WHEN synthesized from that profile into that folder
    const { code, err } = await run('synth', '--out', out, ...REGISTRY, inside);
    // THEN exit 1, naming the input
    assert.equal(code, 1);
    assert.deepEqual(err.slice(-1), [`cluster-profiles synth: output folder ${out} holds the input file ${inside}; give --out a folder that holds no profile, catalog, variable or lock file`]);
    assert.ok(existsSync(inside));
  });

  it('refuses an unmarked folder that holds an older output, saying how to proceed', async () => {
    // GIVEN a folder written by cdktf itself (a manifest.json, no marker)
    const { dir, platform } = project();
    const out = join(dir, 'cdktf.out');
    mkdirSync(join(out, 'stacks', 'cluster'), { recursive: true });
    writeFileSync(join(out, 'manifest.json'), '{}');
    // WHEN synthesized into it
    const { code, err } = await run('synth', '--out', out, ...REGISTRY, platform);
    // THEN exit 1, and the message says what to do
    assert.equal(code, 1);
    assert.deepEqual(err.slice(-1), [
      `cluster-profiles synth: output folder ${out} is not empty and was not written by cluster-profiles synth (it has no .cluster-profiles-output); synth writes only into folders it made, so give --out a new or empty folder (an output of an earlier version or of cdktf itself: delete the folder, keeping any .terraform/ or state you need, then run again)`,
    ]);
  });

  it('keeps a symlinked --out a symlink, and the folder\'s mode', async () => {
    // GIVEN --out a symlink to a folder of mode 0750
    const { dir, platform } = project();
    const real = join(dir, 'real-out');
    mkdirSync(real);
    chmodSync(real, 0o750);
    const link = join(dir, 'out');
    symlinkSync(real, link);
    // WHEN synthesized twice
    assert.equal((await run('synth', '--out', link, ...REGISTRY, platform)).code, 0);
    assert.equal((await run('synth', '--out', link, ...REGISTRY, platform)).code, 0);
    // THEN the link is still a link to the same folder, which kept its mode and holds the output
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(statSync(real).mode & 0o777, 0o750);
    assert.ok(existsSync(join(real, 'stacks', 'cluster', 'cdk.tf.json')));
  });
});

describe('synth: output and lock file are written together or not at all', () => {
  const HELM_REPO = join(REPO, 'test', 'fixtures', 'helm-repo');
  /** A profile whose Helm layer follows the train 1.x of the local repository (which resolves it to 1.10.1). */
  function trainProfile(dir: string): string {
    const file = join(dir, 'apps.json');
    const packs = [{ name: 'hello', type: 'helm', layer: 'addon', version: '1.x', registry: { metadata: { name: 'Local' } }, values: 'pack:\n  namespace: hello\n' }];
    writeFileSync(file, JSON.stringify({ metadata: { name: 'apps' }, spec: { version: '1.0.0', template: { type: 'add-on', packs } } }));
    return file;
  }

  it('leaves the earlier output and the lock as they were when the lock file cannot be written, and says so', async () => {
    // GIVEN an earlier output, a lock file that --update will change, and its temporary file's name taken by a folder of someone else's (never removed)
    const { dir } = project();
    const profile = trainProfile(dir);
    const out = join(dir, 'out');
    const lock = join(dir, 'cluster-profiles.lock.yaml');
    assert.equal((await run('synth', '--out', out, '--registry', `Local=${HELM_REPO}`, profile)).code, 0);
    writeFileSync(lock, readFileSync(lock, 'utf8').replace('1.10.1', '1.2.0'));
    const before = { output: snapshot(out), lock: readFileSync(lock, 'utf8') };
    mkdirSync(join(dir, `.cluster-profiles.lock.yaml.${process.pid}.tmp`));
    // WHEN synthesized with --update into another stack
    const { code, err } = await run('synth', '--out', out, '--stack', 'other', '--update', '--registry', `Local=${HELM_REPO}`, profile);
    // THEN exit 1, the message names the lock file and says the output was left alone, and both were
    assert.equal(code, 1);
    assert.match(err[err.length - 1], /^cluster-profiles synth: \S+cluster-profiles\.lock\.yaml cannot be written \(EEXIST: .*\); the output folder \S+ was left as it was$/);
    assert.deepEqual(snapshot(out), before.output);
    assert.equal(readFileSync(lock, 'utf8'), before.lock);
    assert.ok(statSync(join(dir, `.cluster-profiles.lock.yaml.${process.pid}.tmp`)).isDirectory());
  });

  it('writes the lock and the output together when both can be written', async () => {
    // GIVEN a profile on a train and no lock yet
    const { dir } = project();
    const profile = trainProfile(dir);
    // WHEN synthesized
    const { code, out } = await run('synth', '--out', join(dir, 'out'), '--registry', `Local=${HELM_REPO}`, profile);
    // THEN both are there and the run says so
    assert.equal(code, 0);
    assert.match(out[out.length - 1], /^Locked 1 version train in \S+cluster-profiles\.lock\.yaml$/);
    assert.match(readFileSync(join(dir, 'cluster-profiles.lock.yaml'), 'utf8'), /version: 1\.10\.1/);
    assert.match(readFileSync(join(dir, 'out', 'stacks', 'cluster', 'cdk.tf.json'), 'utf8'), /"version": "1\.10\.1"/);
  });

  it('refuses a read-only lock file instead of silently replacing it', async () => {
    // GIVEN a read-only lock file whose content is out of date
    const { dir } = project();
    const profile = trainProfile(dir);
    const lock = join(dir, 'cluster-profiles.lock.yaml');
    assert.equal((await run('synth', '--out', join(dir, 'first'), '--registry', `Local=${HELM_REPO}`, profile)).code, 0);
    writeFileSync(lock, readFileSync(lock, 'utf8').replace('1.10.1', '1.2.0'));
    chmodSync(lock, 0o444);
    const before = readFileSync(lock, 'utf8');
    const out = join(dir, 'out');
    // WHEN synthesized with --update
    const { code, err } = await run('synth', '--out', out, '--update', '--registry', `Local=${HELM_REPO}`, profile);
    // THEN exit 1, the lock file is unchanged and no output was written
    assert.equal(code, 1);
    assert.deepEqual(err.slice(-1), [`cluster-profiles synth: ${lock} is read-only; synth would replace it together with the output. Make it writable (chmod u+w ${lock}) or give another file`]);
    assert.equal(readFileSync(lock, 'utf8'), before);
    assert.ok(!existsSync(out));
  });
});

describe('synth: one run per output folder, and nothing left behind', () => {
  it('refuses to write a folder another live synth is writing', async () => {
    // GIVEN the lock of the output folder held by a live process
    const { dir, platform } = project();
    const out = join(dir, 'out');
    const holder: ChildProcess = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, '.out.synth-lock'), `${holder.pid}\n`);
      // WHEN synthesized into it
      const { code, err } = await run('synth', '--out', out, ...REGISTRY, platform);
      // THEN exit 1 naming the other process, and nothing was written
      assert.equal(code, 1);
      assert.deepEqual(err.slice(-1), [`cluster-profiles synth: output folder ${out} is being written by another synth (process ${holder.pid}, lock ${join(dir, '.out.synth-lock')}); run again when it has finished`]);
      assert.ok(!existsSync(out));
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left by a process that is gone, and removes it when done', async () => {
    // GIVEN a stale lock (its process has ended)
    const { dir, platform } = project();
    const gone = spawnSync('true');
    writeFileSync(join(dir, '.out.synth-lock'), `${gone.pid}\n`);
    // WHEN synthesized
    const { code } = await run('synth', '--out', join(dir, 'out'), ...REGISTRY, platform);
    // THEN it succeeds and leaves no lock
    assert.equal(code, 0);
    assert.ok(!existsSync(join(dir, '.out.synth-lock')));
  });

  it('leaves no staging folder, lock or scratch chart folder when interrupted with Ctrl-C', async () => {
    // GIVEN a synth of many manifest layers (so that it runs for a while), with its own temporary folder
    const { dir } = project();
    const temp = join(dir, 'tmp');
    mkdirSync(temp);
    const manifests = [{ name: 'cm', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' }];
    const packs = Array.from({ length: 3000 }, (_, i) => ({ name: `layer-${i}`, type: 'manifest', layer: 'addon', values: `pack:\n  namespace: ns-${i}\n`, manifests }));
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ metadata: { name: 'big' }, spec: { version: '1.0.0', template: { type: 'add-on', packs } } }));
    // WHEN interrupted while it works
    const child = spawn(process.execPath, [CLI, 'synth', '--out', 'out', 'big.json'], { cwd: dir, env: { ...process.env, TMPDIR: temp } });
    // (once its scratch chart folder exists: by then the CLI has installed its signal handlers, so the
    // test does not depend on how fast the machine loads the modules)
    const code = await new Promise<number | null>((done) => {
      const poll = setInterval(() => {
        if (readdirSync(temp).length > 0) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 10);
      child.on('exit', (c) => {
        clearInterval(poll);
        done(c);
      });
    });
    // THEN it exits 130, and nothing is left beside the output or in the temporary folder
    assert.equal(code, 130, 'interrupted before it finished');
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.')), []);
    assert.deepEqual(readdirSync(temp), []);
    if (existsSync(join(dir, 'out'))) assert.ok(existsSync(join(dir, 'out', '.cluster-profiles-output')), 'an output that exists is complete');
  });
});
