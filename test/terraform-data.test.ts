import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DataResource, LocalExecProvisioner, TerraformStack, Testing } from 'cdktf';
import { TerraformData } from '../src/constructs/terraform-data';

const root = resolve(__dirname, '..', '..');

describe('TerraformData', () => {
  it('synthesizes exactly what cdktf DataResource synthesizes', () => {
    // GIVEN the same configuration given to both classes in two stacks
    const config = {
      input: { tier: 'priority 10', layers: ['a', 'b'] },
      triggersReplace: { version: '1.2.3' },
      provisioners: [{ type: 'local-exec', command: 'echo hi' } as LocalExecProvisioner],
    };
    const a = new TerraformStack(Testing.app(), 'a');
    new DataResource(a, 'gate', config);
    const b = new TerraformStack(Testing.app(), 'a');
    new TerraformData(b, 'gate', config);
    // WHEN both are synthesized
    // THEN the JSON is identical
    assert.equal(Testing.synth(b), Testing.synth(a));
  });

  it('lets the CLI synthesize where terraform is not installed', () => {
    // GIVEN a PATH holding node only
    const bin = mkdtempSync(join(tmpdir(), 'no-terraform-'));
    const out = join(bin, 'out');
    symlinkSync(process.execPath, join(bin, 'node'));
    try {
      // WHEN the example profiles are synthesized
      const registries = ['Cilium=https://helm.cilium.io', 'Longhorn=https://charts.longhorn.io', 'Jetstack=https://charts.jetstack.io',
        'Ingress NGINX=https://kubernetes.github.io/ingress-nginx', 'Prometheus Community=https://prometheus-community.github.io/helm-charts'];
      const args = [join(__dirname, '..', 'src', 'cli', 'main.js'), 'synth', '--out', out, ...registries.flatMap((r) => ['--registry', r]),
        join(root, 'examples', 'profiles', 'edge-platform.json'), join(root, 'examples', 'profiles', 'team-observability.json')];
      const run = spawnSync(process.execPath, args, { env: { ...process.env, PATH: bin }, encoding: 'utf8' });
      // THEN it succeeds and writes the stack
      assert.equal(run.status, 0, run.stderr);
      assert.ok(existsSync(join(out, 'stacks', 'cluster', 'cdk.tf.json')));
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
