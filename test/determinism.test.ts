import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec, loadProfileFiles, synthToDirectory } from '../src';
import { addOn, helmLayer, manifestLayer } from './helpers';
import { REPO, synth } from './synth-helpers';

const PROFILES = join(REPO, 'examples', 'profiles');
const EXAMPLE_FILES = [join(PROFILES, 'edge-platform.json'), join(PROFILES, 'team-observability.json')];
const REGISTRIES = JSON.parse(readFileSync(join(PROFILES, 'registries.json'), 'utf8')) as Record<string, string>;
const scratch = mkdtempSync(join(tmpdir(), 'determinism-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir` (relative path -> bytes), so two output folders compare as wholes. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const file = join(d, name);
      if (statSync(file).isDirectory()) visit(file);
      else out.set(relative(dir, file), readFileSync(file, 'latin1'));
    }
  };
  visit(dir);
  return out;
}

function synthFolder(name: string, profiles: readonly ProfileSpec[]): Map<string, string> {
  const outdir = join(scratch, name);
  synthToDirectory(outdir, 'cluster', { profiles, registries: REGISTRIES });
  return tree(outdir);
}

/** Rebuilds every JSON object with its keys in reverse order; strings (YAML values) are left alone. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('deterministic output', () => {
  it('writes the same bytes whatever the order the profile files are given in', () => {
    // GIVEN the example's two profile files, in both orders
    // WHEN each order is synthesized into its own folder
    const forward = synthFolder('forward', loadProfileFiles(EXAMPLE_FILES));
    const backward = synthFolder('backward', loadProfileFiles([...EXAMPLE_FILES].reverse()));
    // THEN every file of both folders (cdk.tf.json, manifest.json, the chart generated from the documents of each
    // manifest layer, grafana-dashboards, hello-universe and platform-issuers, in a folder named by its content hash)
    // is byte for byte the same
    const chart = (asset: string, files: string[]): string[] => ['Chart.yaml', ...files, 'templates/objects.yaml'].map((file) => join('stacks', 'cluster', 'assets', asset, '<hash>', file));
    assert.deepEqual(
      [...forward.keys()].map((f) => f.replace(/[0-9A-F]{32}/, '<hash>')),
      [
        '.cluster-profiles-output',
        'manifest.json',
        ...chart('cluster_charts_grafana-dashboards_F5131235', ['files/001-dashboards-1.json']),
        ...chart('cluster_charts_hello-universe_D6074D13', ['files/001-hello-universe-1.json', 'files/002-hello-universe-2.json', 'files/003-hello-ingress-1.json']),
        ...chart('cluster_charts_platform-issuers_754D8595', ['files/001-issuers-1.json', 'files/002-issuers-2.json', 'files/003-issuers-3.json']),
        join('stacks', 'cluster', 'cdk.tf.json'),
      ],
    );
    assert.deepEqual(backward, forward);
  });

  it('writes the same bytes whatever the order of the keys of the export JSON', () => {
    // GIVEN the example's files, and copies with every JSON object's keys reversed
    const reversed = EXAMPLE_FILES.map((file, i) => {
      const copy = join(scratch, `reversed-${i}.json`);
      writeFileSync(copy, JSON.stringify(reverseKeys(JSON.parse(readFileSync(file, 'utf8'))), null, 2));
      return copy;
    });
    // WHEN both are synthesized
    const original = synthFolder('original', loadProfileFiles(EXAMPLE_FILES));
    const shuffled = synthFolder('shuffled', loadProfileFiles(reversed));
    // THEN the output is the same (the file names appear nowhere in it)
    assert.deepEqual(shuffled, original);
  });

  it('writes the same bytes whatever the order of the layers within a profile', () => {
    // GIVEN the example's full profile, and a copy with its layers listed in reverse
    const [platform, observability] = loadProfileFiles(EXAMPLE_FILES);
    const reversed: ProfileSpec = { ...platform, layers: [...platform.layers].reverse() };
    // WHEN both are synthesized
    const original = synthFolder('layers-forward', [platform, observability]);
    const shuffled = synthFolder('layers-backward', [reversed, observability]);
    // THEN the output is the same: tiers and resources are ordered by priority and name, not by list position
    assert.deepEqual(shuffled, original);
  });

  it('gives Helm the same values whatever the order of the keys of values given as objects', () => {
    // GIVEN one layer whose values object is built in two key orders, nested maps included
    const a = { replicas: 2, image: { tag: 'v1', repository: 'nginx' }, pack: { namespace: 'web' } };
    const b = { pack: { namespace: 'web' }, image: { repository: 'nginx', tag: 'v1' }, replicas: 2 };
    // WHEN each is synthesized
    const first = synth([addOn('p', [helmLayer('web', a)])]);
    const second = synth([addOn('p', [helmLayer('web', b)])]);
    // THEN the synthesized text is the same, with keys sorted in the values YAML
    assert.equal(second.text, first.text);
    assert.deepEqual(first.json.resource.helm_release.web.values, ["image:\n  repository: 'nginx'\n  tag: 'v1'\nreplicas: 2\n"]);
  });

  it('writes a manifest object the same whatever the key order of its YAML document', () => {
    // GIVEN one ConfigMap written with its keys in two orders
    const one = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: app\ndata:\n  b: "2"\n  a: "1"\n';
    const two = 'data:\n  a: "1"\n  b: "2"\nmetadata:\n  namespace: app\n  name: c\nkind: ConfigMap\napiVersion: v1\n';
    // WHEN each is synthesized
    const first = synth([addOn('p', [manifestLayer('cfg', one)])]);
    const second = synth([addOn('p', [manifestLayer('cfg', two)])]);
    // THEN the synthesized text is the same
    assert.equal(second.text, first.text);
  });

  it('writes the same bytes in another time zone, locale, working folder and time', () => {
    // GIVEN the CLI run twice on the example in child processes: from two working folders, in two
    // time zones and two locales (Turkish case rules differ), a moment apart
    const cli = join(__dirname, '..', 'src', 'cli', 'main.js');
    const registries = Object.entries(REGISTRIES).flatMap(([k, v]) => ['--registry', `${k}=${v}`]);
    const run = (folder: string, env: Record<string, string>): Map<string, string> => {
      const cwd = join(scratch, folder);
      mkdirSync(cwd);
      execFileSync(process.execPath, [cli, 'synth', '--out', 'out', ...registries, ...EXAMPLE_FILES], { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
      return tree(join(cwd, 'out'));
    };
    // WHEN both run
    const one = run('one', { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' });
    const two = run('two', { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    // THEN both write the same bytes, and the state file is named relative to the stack's folder (the
    // working folder, as CDKTF's default does, but without this machine's absolute path)
    assert.deepEqual(two, one);
    const config = JSON.parse(one.get(join('stacks', 'cluster', 'cdk.tf.json'))!) as { terraform: { backend: unknown } };
    assert.deepEqual(config.terraform.backend, { local: { path: '../../../terraform.cluster.tfstate' } });
  });
});
