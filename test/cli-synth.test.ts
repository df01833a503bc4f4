import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { ProfileError, formatPlan, loadProfileFiles, planCluster, synthToDirectory } from '../src';
import { SYNTH_USAGE } from '../src/cli/commands/synth';
import { main } from '../src/cli/main';
import { REPO } from './synth-helpers';

const REGISTRY = ['--registry', 'Charts=https://charts.example.com'];
const NAMESPACE_FORM = "must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters";

const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
// The CLI writes a lock file next to the profiles it reads: give it copies, never the repository's files.
const FIXTURES = join(scratch, 'fixtures');
mkdirSync(FIXTURES);
for (const name of ['web-platform.json', 'team-addons.json', 'bad-namespace.json']) cpSync(join(REPO, 'test', 'fixtures', name), join(FIXTURES, name));
const PLATFORM = join(FIXTURES, 'web-platform.json');
const ADDONS = join(FIXTURES, 'team-addons.json');
const BAD_NAMESPACE = join(FIXTURES, 'bad-namespace.json');
let count = 0;
/** A fresh, not yet existing folder path inside the scratch folder. */
const freshPath = (): string => join(scratch, `case-${++count}`);

/** Runs the CLI in this process, capturing what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(...l.split('\n')), (l) => err.push(...l.split('\n')));
  return { code, out, err };
}

/** Every file under `dir` with its content, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const outFiles: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else outFiles[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return outFiles;
}

describe('cluster-profiles synth', () => {
  it('counts a single tier in the singular', async () => {
    // GIVEN an add-on profile with one manifest layer
    const file = join(FIXTURES, 'one-tier.json');
    const manifests = [{ name: 'cm', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' }];
    const packs = [{ name: 'solo', type: 'manifest', layer: 'addon', values: 'pack:\n  namespace: solo\n', manifests }];
    writeFileSync(file, JSON.stringify({ metadata: { name: 'one' }, spec: { version: '1.0.0', template: { type: 'add-on', packs } } }));
    // WHEN synthesized
    const out = freshPath();
    const { code, out: stdout } = await run('synth', '--out', out, file);
    // THEN the summary line says "1 tier"
    assert.equal(code, 0);
    assert.equal(stdout.find((l) => l.startsWith('Wrote ')), `Wrote ${relative(process.cwd(), join(out, 'stacks', 'cluster', 'cdk.tf.json'))} (3 resources in 1 tier)`);
  });

  it('writes DIR/stacks/<stack>/cdk.tf.json and prints the install plan', async () => {
    // GIVEN the fixture profiles and their registry
    const out = freshPath();
    // WHEN synthesized with --stack
    const { code, out: stdout } = await run('synth', '--out', out, '--stack', 'edge', ...REGISTRY, PLATFORM, ADDONS);
    // THEN exit 0, the plan and the written file are printed, and the file holds the resources
    const file = join(out, 'stacks', 'edge', 'cdk.tf.json');
    const plan = planCluster(loadProfileFiles([PLATFORM, ADDONS]), { registries: { Charts: 'https://charts.example.com' } });
    assert.equal(code, 0);
    const expected = [...formatPlan(plan).split('\n'), `Wrote ${relative(process.cwd(), file)} (9 resources in 3 tiers)`];
    assert.deepEqual(stdout.slice(0, expected.length), expected);
    // (what follows reports the version-train lock file, which the trains feature owns)
    assert.deepEqual(
      stdout.slice(expected.length).filter((l) => !l.startsWith('Locked ')),
      [],
    );
    assert.ok(Testing.toHaveResourceWithProperties(readFileSync(file, 'utf8'), 'helm_release', { name: 'web', namespace: 'web', version: '3.2.1', wait: true }));
    assert.ok(Testing.toHaveResourceWithProperties(readFileSync(file, 'utf8'), 'helm_release', { name: 'site', namespace: 'web', wait: true, wait_for_jobs: true, take_ownership: true }));
    assert.ok(Testing.toHaveResourceWithProperties(readFileSync(file, 'utf8'), 'kubernetes_namespace_v1', { metadata: { name: 'web', labels: { team: 'web' } } }));
  });

  it('replaces the files of an earlier output, removes those no longer written, and leaves no staging folder behind', async () => {
    // GIVEN an earlier output with a stack that no longer exists
    const out = freshPath();
    assert.equal((await run('synth', '--out', out, '--stack', 'old', ...REGISTRY, PLATFORM)).code, 0);
    // WHEN synthesized again into the same folder under another stack name
    const { code } = await run('synth', '--out', out, '--stack', 'new', ...REGISTRY, PLATFORM);
    // THEN only the new output is there (its stack and the generated chart of the manifest layer), and the parent holds nothing else
    assert.equal(code, 0);
    const site = JSON.parse(readFileSync(join(out, 'stacks', 'new', 'cdk.tf.json'), 'utf8')).resource.helm_release.site.chart as string;
    const chartFiles = ['Chart.yaml', 'files/001-site-1.json', 'files/002-site-3.json', 'templates/objects.yaml'].map((f) => join('stacks', 'new', site, f));
    assert.match(site, /^assets\/cluster_charts_site_6363F9A3\/[0-9A-F]{32}$/);
    assert.deepEqual(Object.keys(snapshot(out)).sort(), ['.cluster-profiles-output', 'manifest.json', ...chartFiles, join('stacks', 'new', 'cdk.tf.json')].sort());
    assert.deepEqual(
      readdirSync(scratch).filter((n) => n.startsWith('.')),
      [],
    );
  });

  it('creates missing parent folders of --out', async () => {
    // GIVEN an output path two folders deep that does not exist
    const out = join(freshPath(), 'nested', 'out');
    // WHEN synthesized
    const { code } = await run('synth', '--out', out, ...REGISTRY, PLATFORM);
    // THEN it is written
    assert.equal(code, 0);
    assert.ok(existsSync(join(out, 'stacks', 'cluster', 'cdk.tf.json')));
  });

  it('reads an export saved with a UTF-8 byte order mark', async () => {
    // GIVEN the add-on fixture written by an editor that adds a BOM
    const file = join(scratch, 'bom.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(ADDONS)]));
    const out = freshPath();
    // WHEN synthesized
    const { code } = await run('synth', '--out', out, ...REGISTRY, file);
    // THEN it is read like any other export
    assert.equal(code, 0);
    assert.ok(existsSync(join(out, 'stacks', 'cluster', 'cdk.tf.json')));
  });

  it('keeps a U+FFFD character in values, which is valid UTF-8 text and not binary data', async () => {
    // GIVEN an export whose Helm values hold the replacement character
    const file = join(scratch, 'replacement-char.json');
    writeFileSync(file, readFileSync(ADDONS, 'utf8').replace('spectrocloud.com/install-priority: \\"10\\"\\n', 'spectrocloud.com/install-priority: \\"10\\"\\nmark: \\"\uFFFD\\"\\n'));
    const out = freshPath();
    // WHEN synthesized
    const { code } = await run('synth', '--out', out, ...REGISTRY, file);
    // THEN the character reaches Helm's values
    assert.equal(code, 0);
    const json = JSON.parse(readFileSync(join(out, 'stacks', 'cluster', 'cdk.tf.json'), 'utf8'));
    assert.deepEqual(json.resource.helm_release.metrics.values, ['mark: "\uFFFD"\n']);
  });

  it('refuses to replace a folder that is not a synth output', async () => {
    // GIVEN a folder with someone's notes
    const out = freshPath();
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    // WHEN synthesized into it
    const { code, err } = await run('synth', '--out', out, ...REGISTRY, PLATFORM);
    // THEN exit 1 with the reason, and the notes are untouched
    assert.equal(code, 1);
    assert.deepEqual(err.slice(-1), [
      `cluster-profiles synth: output folder ${out} is not empty and was not written by cluster-profiles synth (it has no .cluster-profiles-output); synth writes only into folders it made, so give --out a new or empty folder`,
    ]);
    assert.deepEqual(snapshot(out), { 'notes.txt': 'keep me' });
  });
});

describe('synthToDirectory', () => {
  it('keeps the earlier output and leaves no staging folder when synthesis fails midway', async () => {
    // GIVEN an earlier output, and profiles that only fail once the stack is being built
    const out = freshPath();
    assert.equal((await run('synth', '--out', out, ...REGISTRY, PLATFORM)).code, 0);
    const before = snapshot(out);
    const bad = [{ name: 'p', type: 'add-on' as const, layers: [{ kind: 'helm' as const, name: 'x', version: 'latest', repository: 'https://x' }] }];
    // WHEN synthesized into the same folder
    // THEN the error surfaces, the earlier output is byte for byte the same, and no staging folder is left
    assert.throws(() => synthToDirectory(out, 'cluster', { profiles: bad }), (err: unknown) => ProfileError.isProfileError(err));
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(
      readdirSync(scratch).filter((n) => n.startsWith('.')),
      [],
    );
  });

  it('refuses an output path that is a file', () => {
    // GIVEN a file where the output folder should go
    const file = join(scratch, 'plain-file');
    writeFileSync(file, 'x');
    // WHEN synthesized there
    // THEN the message says so, and the file is untouched
    assert.throws(() => synthToDirectory(file, 'cluster', { profiles: loadProfileFiles([ADDONS]), registries: { Charts: 'https://charts.example.com' } }), {
      message: `output folder ${file} is a file; give --out a folder to write into`,
    });
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });
});

describe('cluster-profiles synth: problems in the profiles (exit 1, nothing written)', () => {
  const expectNothingWritten = async (files: string[], expected: string[]): Promise<void> => {
    // an earlier output must survive a failed run byte for byte
    const out = freshPath();
    assert.equal((await run('synth', '--out', out, ...REGISTRY, PLATFORM)).code, 0);
    const before = snapshot(out);
    const { code, out: stdout, err } = await run('synth', '--out', out, ...REGISTRY, ...files);
    assert.equal(code, 1);
    assert.deepEqual(err, expected);
    assert.deepEqual(stdout, []);
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(
      readdirSync(scratch).filter((n) => n.startsWith('.')),
      [],
    );
  };

  it('names file, profile, layer, field and value of an invalid namespace', async () => {
    // GIVEN an export whose layer has namespace "Grafana_NS"
    // WHEN synthesized
    // THEN one problem, in the STYLE.md form, and the earlier output is untouched
    await expectNothingWritten(
      [BAD_NAMESPACE],
      ['cluster-profiles synth: 1 problem in the profiles; nothing was written:', `  ${BAD_NAMESPACE}: profile "observability" layer "grafana": pack.namespace "Grafana_NS" ${NAMESPACE_FORM}`],
    );
  });

  it('reports a missing file', async () => {
    // GIVEN a path where there is no file
    const missing = join(scratch, 'missing.json');
    // WHEN synthesized
    // THEN the file is named
    await expectNothingWritten([missing], ['cluster-profiles synth: 1 problem in the profiles; nothing was written:', `  ${missing}: cannot be read: no such file`]);
  });

  it('reports a directory given as a file', async () => {
    // GIVEN the fixtures folder
    // WHEN synthesized
    // THEN the folder is named
    await expectNothingWritten([FIXTURES], ['cluster-profiles synth: 1 problem in the profiles; nothing was written:', `  ${FIXTURES}: cannot be read: is a directory, not a profile file`]);
  });

  it('reports invalid JSON with the parser\'s reason', async () => {
    // GIVEN a truncated export
    const file = join(scratch, 'truncated.json');
    writeFileSync(file, '{"metadata": {"name": "x"}, "spec": ');
    const reason = (() => {
      try {
        JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    // WHEN synthesized
    // THEN the file and the reason
    await expectNothingWritten([file], ['cluster-profiles synth: 1 problem in the profiles; nothing was written:', `  ${file}: is not valid JSON: ${reason}`]);
  });

  it('reports binary garbage', async () => {
    // GIVEN bytes that are not text
    const file = join(scratch, 'garbage.json');
    writeFileSync(file, Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x89, 0x50, 0x4e, 0x47]));
    // WHEN synthesized
    // THEN the file is named and the expected format given
    await expectNothingWritten([file], [
      'cluster-profiles synth: 1 problem in the profiles; nothing was written:',
      `  ${file}: is not UTF-8 text (binary data found); expected a Palette cluster-profile export (JSON)`,
    ]);
  });

  it('reports a Helm layer from a registry without a URL', async () => {
    // GIVEN the add-on fixture and no --registry
    const out = freshPath();
    // WHEN synthesized
    const { code, err } = await run('synth', '--out', out, ADDONS);
    // THEN the registry and the fix are named, and nothing is written
    assert.equal(code, 1);
    assert.deepEqual(err, [
      'cluster-profiles synth: 1 problem in the profiles; nothing was written:',
      `  ${ADDONS}: profile "team-addons" layer "metrics": registry "Charts" has no URL; pass --registry "Charts=URL" (known registries: none)`,
    ]);
    assert.equal(existsSync(out), false);
  });

  it('reports the problems of every unreadable file at once', async () => {
    // GIVEN a missing file and a directory
    const missing = join(scratch, 'nope.json');
    // WHEN synthesized together with a good file
    // THEN both problems, in the order given
    await expectNothingWritten(
      [missing, PLATFORM, FIXTURES],
      [
        'cluster-profiles synth: 2 problems in the profiles; nothing was written:',
        `  ${missing}: cannot be read: no such file`,
        `  ${FIXTURES}: cannot be read: is a directory, not a profile file`,
      ],
    );
  });

  it('reports a layer name used by two profiles, naming both', async () => {
    // GIVEN the add-on fixture given twice under two profile names
    const copy = join(scratch, 'copy.json');
    writeFileSync(copy, readFileSync(ADDONS, 'utf8').replace('"team-addons"', '"other-addons"'));
    // WHEN synthesized
    // THEN the second names the first profile
    await expectNothingWritten(
      [ADDONS, copy],
      [
        'cluster-profiles synth: 1 problem in the profiles; nothing was written:',
        `  ${copy}: profile "other-addons" layer "metrics": name "metrics" is also a layer of profile "team-addons"; layer names must be unique within a cluster (they name the Terraform resources)`,
      ],
    );
  });
});

describe('cluster-profiles synth: usage mistakes (exit 2)', () => {
  it('asks for at least one file', async () => {
    // GIVEN no files
    // WHEN run
    const { code, err } = await run('synth', '--out', freshPath());
    // THEN the mistake and the usage
    assert.equal(code, 2);
    assert.deepEqual(err, ['cluster-profiles synth: synth needs at least one profile file', `Usage: ${SYNTH_USAGE}`]);
  });

  it('rejects a --registry without "="', async () => {
    // GIVEN --registry Charts
    // WHEN run
    const { code, err } = await run('synth', '--registry', 'Charts', PLATFORM);
    // THEN the expected form with an example
    assert.equal(code, 2);
    assert.deepEqual(err, [
      'cluster-profiles synth: --registry "Charts" must be NAME=URL, for example --registry "Bitnami=https://charts.bitnami.com/bitnami"',
      `Usage: ${SYNTH_USAGE}`,
    ]);
  });

  it('rejects an unknown option', async () => {
    // GIVEN --bogus
    // WHEN run
    const { code, err } = await run('synth', '--bogus', PLATFORM);
    // THEN node's parser names it, followed by the usage
    assert.equal(code, 2);
    assert.match(err[0], /^cluster-profiles synth: Unknown option '--bogus'/);
    assert.equal(err[err.length - 1], `Usage: ${SYNTH_USAGE}`);
  });

  it('rejects an unknown command', async () => {
    // GIVEN "synthesize"
    // WHEN run
    const { code, err } = await run('synthesize');
    // THEN the command is named
    assert.equal(code, 2);
    assert.equal(err[0], 'cluster-profiles: unknown command "synthesize"');
  });
});

describe('cluster-profiles as a process', () => {
  const cli = join(__dirname, '..', 'src', 'cli', 'main.js');

  it('exits 1 with the problems and no stack trace', () => {
    // GIVEN the compiled CLI and a profile with a bad namespace
    const out = freshPath();
    // WHEN run as its own process
    const result = spawnSync(process.execPath, [cli, 'synth', '--out', out, ...REGISTRY, BAD_NAMESPACE], { encoding: 'utf8' });
    // THEN exit code 1, the problem on stderr, no "    at " frame anywhere, nothing written
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `cluster-profiles synth: 1 problem in the profiles; nothing was written:\n  ${BAD_NAMESPACE}: profile "observability" layer "grafana": pack.namespace "Grafana_NS" ${NAMESPACE_FORM}\n`);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
    assert.equal(existsSync(out), false);
  });

  it('exits 2 on a usage mistake, with no stack trace', () => {
    // GIVEN no files
    // WHEN run as its own process
    const result = spawnSync(process.execPath, [cli, 'synth'], { encoding: 'utf8' });
    // THEN exit code 2 and the usage
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `cluster-profiles synth: synth needs at least one profile file\nUsage: ${SYNTH_USAGE}\n`);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
  });
});
