// Runs the real terraform binary (offline: terraform_data stand-ins) on the order of a chart layer's
// CRD release and objects' release, and on the move from the earlier layout (one release per layer).
// What Helm does inside each release is in test/crd-lifecycle.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec } from '../src';
import { addOn, manifestLayer, packValues, widgetCrd } from './helpers';
import { TfJson, synth } from './synth-helpers';
import { standIns, terraform } from './terraform-stand-ins';

const scratch = mkdtempSync(join(tmpdir(), 'crd-lifecycle-terraform-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n';
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';
const BUNDLE: ProfileSpec[] = [addOn('apps', [manifestLayer('bundle', [widgetCrd(), WIDGET, CONFIG].join('---\n'), packValues('bundle', 0))])];
const CRDS = 'terraform_data.helm_release__bundle--crds';
const OBJECTS = 'terraform_data.helm_release__bundle';

/**
 * The stand-ins of the stack as an earlier version wrote it: the same addresses without the CRD
 * releases (one release per layer), and the releases that wait for one with another chart version
 * (their chart held the CRDs).
 */
function earlierLayout(json: TfJson): TfJson {
  const resources = { ...(json.resource.terraform_data as TfJson) };
  for (const name of Object.keys(resources)) if (name.endsWith('--crds')) delete resources[name];
  for (const [name, body] of Object.entries(resources)) {
    const { depends_on: deps, input } = body as { depends_on?: string[]; input: string };
    if (!(deps ?? []).some((d) => d.endsWith('--crds'))) continue;
    resources[name] = { input: input.replace(/0\.0\.0-sha256-[0-9a-f]{12}/, '0.0.0-sha256-000000000000'), depends_on: deps!.filter((d) => !d.endsWith('--crds')) };
  }
  return { ...json, resource: { terraform_data: resources } };
}

/** A folder holding `config` as main.tf.json, initialized. */
function workspace(name: string, config: TfJson): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
  terraform(dir, 'init', '-input=false', '-no-color');
  return dir;
}

/** Terraform's progress lines about `addresses` (but reading the state), in the order printed, without ids and times. */
function progress(output: string, addresses: readonly string[]): string[] {
  return output
    .split('\n')
    .filter((l) => addresses.some((a) => l.startsWith(`${a}: `)))
    .map((l) => l.replace(/ after \d+s/, '').replace(/ \[id=[^\]]*\]/, ''))
    .filter((l) => !l.endsWith('Refreshing state...'));
}

describe('the CRD release of a chart layer with real terraform (terraform_data stand-ins)', () => {
  it('installs the CRD release before the objects\' release, and destroys it after', () => {
    // GIVEN a layer holding the Widget CRD, a Widget and a ConfigMap, as stand-ins
    const dir = workspace('first-apply', standIns(synth(BUNDLE).json));
    // WHEN applied, then destroyed, one resource at a time
    const applied = terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=1');
    const destroyed = terraform(dir, 'destroy', '-auto-approve', '-input=false', '-no-color', '-parallelism=1');
    // THEN the CRD release is complete before the objects' release starts, and destroyed after it is gone
    assert.deepEqual(progress(applied, [CRDS, OBJECTS]), [`${CRDS}: Creating...`, `${CRDS}: Creation complete`, `${OBJECTS}: Creating...`, `${OBJECTS}: Creation complete`]);
    assert.deepEqual(progress(destroyed, [CRDS, OBJECTS]), [`${OBJECTS}: Destroying...`, `${OBJECTS}: Destruction complete`, `${CRDS}: Destroying...`, `${CRDS}: Destruction complete`]);
  });

  it('moves a layer from the earlier layout by creating its CRD release, then upgrading its release in place', () => {
    // GIVEN the layer applied as the earlier version wrote it (one release), then as this version writes it
    const now = standIns(synth(BUNDLE).json);
    const dir = workspace('move', earlierLayout(now));
    terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(now));
    // WHEN planned and applied
    terraform(dir, 'plan', '-input=false', '-no-color', '-out=move.plan');
    const plan = JSON.parse(terraform(dir, 'show', '-json', 'move.plan')) as { resource_changes: { address: string; change: { actions: string[] } }[] };
    const applied = terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color', 'move.plan');
    // THEN the release keeps its address and is updated in place (no delete, no replace), after the CRD release is created
    assert.deepEqual(
      plan.resource_changes.filter((c) => c.change.actions.join() !== 'no-op').map((c) => `${c.address}: ${c.change.actions.join('+')}`),
      [`${OBJECTS}: update`, `${CRDS}: create`],
    );
    assert.deepEqual(progress(applied, [CRDS, OBJECTS]), [`${CRDS}: Creating...`, `${CRDS}: Creation complete`, `${OBJECTS}: Modifying...`, `${OBJECTS}: Modifications complete`]);
  });
});
