import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../src/cli/main';
import { REPO } from './synth-helpers';

const FIXTURE = join(REPO, 'test', 'fixtures', 'terraform-plans', 'kubernetes-and-helm.json');
const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-review-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const profile = (namespace: string): string =>
  ['apiVersion: cluster-profiles/v1', 'kind: ClusterProfile', 'name: web', 'version: 1.0.0', 'type: add-on', 'layers:', '  - name: web', '    type: helm', '    version: 15.0.0', '    repository: https://charts.example.com', '    values:', '      pack:', `        namespace: ${namespace}`, ''].join('\n');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cluster-profiles review', () => {
  const file = join(scratch, 'web.yaml');
  writeFileSync(file, profile('web'));

  it('exits 3 under --fail-on destructive when a change is destructive', async () => {
    // GIVEN a plan deleting a CRD  WHEN reviewed with --fail-on destructive  THEN exit code 3
    const r = await run(['review', '--terraform-plan', FIXTURE, '--fail-on', 'destructive', '--format', 'json', file]);
    assert.equal(r.code, 3);
    assert.deepEqual(Object.keys(JSON.parse(r.out)), ['changes', 'summary']);
  });

  it('refuses an unknown --fail-on value with the usage', async () => {
    // GIVEN --fail-on anything  WHEN run  THEN exit 2 naming the value
    const r = await run(['review', '--terraform-plan', FIXTURE, '--fail-on', 'anything', file]);
    assert.equal(r.code, 2);
    assert.equal(r.err.split('\n')[0], 'cluster-profiles review: --fail-on "anything" must be "destructive"');
  });
});

describe('cluster-profiles diff --base', () => {
  it('compares the profile files with their state at a git revision', async () => {
    // GIVEN a repository where the committed profile uses namespace web and the work tree uses edge
    const repo = join(scratch, 'repo');
    execFileSync('git', ['init', '-q', repo]);
    const file = join(repo, 'web.yaml');
    writeFileSync(file, profile('web'));
    execFileSync('git', ['-C', repo, 'add', '.']);
    execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base']);
    writeFileSync(file, profile('edge'));
    // WHEN diffed against HEAD  THEN the namespace change and the namespaces destroyed and created are reported
    const r = await run(['diff', '--json', '--base', 'HEAD', file]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).namespaces, [
      { namespace: 'web', change: 'destroyed', layers: ['web'] },
      { namespace: 'edge', change: 'created', layers: ['web'] },
    ]);
  });

  it('refuses a revision git does not know', async () => {
    // GIVEN --base no-such-branch  WHEN diffed  THEN exit 2 with the revision named
    const r = await run(['diff', '--base', 'no-such-branch', join(scratch, 'web.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.err.split('\n')[0], /^cluster-profiles diff: --base "no-such-branch" is not a commit git knows in .*; give a branch, tag or commit, such as origin\/main$/);
  });
});
