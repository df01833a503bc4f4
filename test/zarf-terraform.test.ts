/**
 * Runs the synthesized Zarf layers with the real `terraform` binary and a stand-in `zarf` on PATH
 * that records the arguments and KUBECONFIG it is given: proves the commands run in tier order on
 * apply, in reverse on destroy, that a changed variable replaces the deployment (remove, then
 * deploy), and that every value reaches Zarf's flag parser intact through Terraform and the shell.
 * Slow (terraform init, three applies and a destroy), hence its own file. Needs terraform on PATH.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import { ClusterProfiles, ProfileSpec, ZarfLayerSpec } from '../src';
import { terraformOk } from './terraform';

const work = mkdtempSync(join(tmpdir(), 'cluster-profiles-zarf-'));
after(() => rmSync(work, { recursive: true, force: true }));

const log = join(work, 'zarf.log');
const bin = join(work, 'bin');
mkdirSync(bin);
// The stand-in zarf: one record per call, each argument on its own line between markers.
writeFileSync(join(bin, 'zarf'), '#!/bin/sh\n{ echo "CALL KUBECONFIG=$KUBECONFIG"; for a in "$@"; do printf \'ARG<%s>\\n\' "$a"; done; } >> "$ZARF_STAND_IN_LOG"\n');
/** The Zarf stand-in first on PATH, and where it writes what it was called with. */
const ZARF_ENV = { PATH: `${bin}:${process.env.PATH}`, ZARF_STAND_IN_LOG: log };
chmodSync(join(bin, 'zarf'), 0o755);

/** Synthesizes the profiles (Zarf layers only, so nothing but terraform_data) into `dir/main.tf.json`. */
function synthInto(dir: string, profiles: ProfileSpec[]): void {
  const app = Testing.app({ outdir: join(work, 'cdktf.out') });
  const stack = new TerraformStack(app, 'zarf');
  new ClusterProfiles(stack, 'cluster', { profiles, zarfKubeconfig: '/etc/kube/edge config.yaml', outputs: false });
  writeFileSync(join(dir, 'main.tf.json'), Testing.synth(stack));
}

/** The calls the stand-in recorded: KUBECONFIG and arguments of each. */
function calls(): { kubeconfig: string; args: string[] }[] {
  const text = readFileSync(log, 'utf8');
  return text.split(/^CALL /m).filter((c) => c !== '').map((call) => {
    const [first, ...rest] = call.split('\n');
    return { kubeconfig: first.replace(/^KUBECONFIG=/, ''), args: rest.join('\n').split(/\nARG<|^ARG</).filter((a) => a !== '').map((a) => a.replace(/>\n?$/, '')) };
  });
}

/**
 * Zarf's reading of a `--set-variables` item (pflag's stringToString): one '=' is taken as is with
 * quotes trimmed at the ends; several are read as a CSV record.
 */
function pflagItem(item: string): Record<string, string> {
  const fields: string[] = [];
  if ((item.match(/=/g) ?? []).length === 1) fields.push(item.replace(/^"+|"+$/g, ''));
  else {
    let field = '';
    let quoted = false;
    for (let i = 0; i < item.length; i++) {
      const c = item[i];
      if (quoted && c === '"' && item[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { fields.push(field); field = ''; } else field += c;
    }
    fields.push(field);
  }
  return Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
}

function zarfLayer(name: string, priority: number, variables: Record<string, string>): ZarfLayerSpec {
  const vars = Object.entries(variables).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n');
  return { kind: 'zarf', name, version: '1.0.0', package: `oci://registry.example.com/zarf/${name}`, values: `pack:\n  spectrocloud.com/install-priority: ${priority}\nvariables:\n${vars}\n` };
}

describe('Zarf layers run by terraform', () => {
  const tricky = { NOTE: 'it\'s "fine", ${HOME} %{x} `id` $(id)', QUERY: 'a=1,b="2"' };

  it('deploys in tier order, replaces on a changed variable, removes in reverse, with every value intact', () => {
    // GIVEN a database package at priority 10 and an app package at 20 whose variables hold shell, Terraform and CSV syntax
    const dir = join(work, 'tf');
    mkdirSync(dir);
    const profiles = (replicas: string): ProfileSpec[] => [{ name: 'apps', type: 'add-on', layers: [zarfLayer('db', 10, { SIZE: 'small' }), zarfLayer('app', 20, { ...tricky, REPLICAS: replicas })] }];
    synthInto(dir, profiles('1'));
    // WHEN terraform applies it, applies it again with another REPLICAS, and destroys it
    terraformOk(dir, ['init', '-input=false', '-no-color'], ZARF_ENV);
    terraformOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=1'], ZARF_ENV);
    synthInto(dir, profiles('3'));
    terraformOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=1'], ZARF_ENV);
    terraformOk(dir, ['destroy', '-auto-approve', '-input=false', '-no-color', '-parallelism=1'], ZARF_ENV);
    // THEN zarf ran: deploy db, deploy app; remove app, deploy app (replaced); remove app, remove db
    const recorded = calls();
    assert.deepEqual(recorded.map((c) => `${c.args[1]} ${c.args[2]}`), [
      'deploy oci://registry.example.com/zarf/db:1.0.0',
      'deploy oci://registry.example.com/zarf/app:1.0.0',
      'remove oci://registry.example.com/zarf/app:1.0.0',
      'deploy oci://registry.example.com/zarf/app:1.0.0',
      'remove oci://registry.example.com/zarf/app:1.0.0',
      'remove oci://registry.example.com/zarf/db:1.0.0',
    ]);
    // AND every call got the kubeconfig, the destroy-time ones too
    assert.deepEqual([...new Set(recorded.map((c) => c.kubeconfig))], ['/etc/kube/edge config.yaml']);
    // AND Zarf's flag parser reads back exactly the values written in the profile
    const setVariables = (args: string[]): Record<string, string> =>
      Object.assign({}, ...args.flatMap((a, i) => (args[i - 1] === '--set-variables' ? [pflagItem(a)] : [])));
    assert.deepEqual(setVariables(recorded[1].args), { ...tricky, REPLICAS: '1' });
    assert.deepEqual(setVariables(recorded[3].args), { ...tricky, REPLICAS: '3' });
    assert.deepEqual(recorded[4].args, ['package', 'remove', 'oci://registry.example.com/zarf/app:1.0.0', '--confirm']);
  });
});
