// Plan review of chart layers: the release values that list each object with a digest, read by
// Kubernetes' YAML reader (as Helm reads values) and shown by the real terraform's plan (offline,
// on a terraform_data stand-in whose input is the release's values).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec } from '../src';
import { objectsValues } from '../src/core/plan/manifest-chart';
import { readAsKubernetes } from './engines/engines';
import { addOn, manifestLayer, packValues } from './helpers';
import { synth } from './synth-helpers';
import { terraform } from './terraform-stand-ins';

const scratch = mkdtempSync(join(tmpdir(), 'plan-review-terraform-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A ConfigMap `name` whose data `a` is `value`. */
function configMap(name: string, value: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "${value}"\n`;
}

/** Layer "web" holding the documents. */
function web(...documents: string[]): ProfileSpec[] {
  return [addOn('apps', [manifestLayer('web', documents.join('---\n'), packValues('web', 0))])];
}

describe('plan review of a chart layer', () => {
  it('lists object names that Kubernetes\' YAML reader reads back exactly, whatever their characters', () => {
    // GIVEN names with a quote, a backslash, a YAML 1.1 line break (U+2028) and a colon
    const ids = ['v1 ConfigMap web/a"b', 'v1 ConfigMap web/c\\d', 'v1 ConfigMap web/e\u2028f', 'v1 ConfigMap web/g: h'];
    // WHEN listed and read as Helm reads values (sigs.k8s.io/yaml, YAML 1.1)
    const [read] = readAsKubernetes([objectsValues(Object.fromEntries(ids.map((id) => [id, 'sha256:000000000000'])))]);
    // THEN every name comes back as written
    assert.ok('json' in read);
    assert.deepEqual(Object.keys(JSON.parse(read.json).clusterProfilesObjects).sort(), [...ids].sort());
  });

  it('shows in plain terraform plan which objects are added, changed and removed', () => {
    // GIVEN layer "web" applied with ConfigMaps a, b and d, then with a unchanged, b changed, c added and d removed,
    // each release's values given to a terraform_data stand-in as its input
    const dir = join(scratch, 'review');
    mkdirSync(dir, { recursive: true });
    const standIn = (profiles: ProfileSpec[]): string =>
      JSON.stringify({ resource: { terraform_data: { web: { input: synth(profiles).json.resource.helm_release.web.values } } } });
    writeFileSync(join(dir, 'main.tf.json'), standIn(web(configMap('a', '1'), configMap('b', '1'), configMap('d', '1'))));
    terraform(dir, 'init', '-input=false', '-no-color');
    terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
    writeFileSync(join(dir, 'main.tf.json'), standIn(web(configMap('a', '1'), configMap('b', '2'), configMap('c', '1'))));
    // WHEN planned
    const plan = terraform(dir, 'plan', '-input=false', '-no-color');
    // THEN the changed input's lines name each object with its mark: b both removed and added (changed), c added, d removed, a unmarked
    // (the stand-in's output, a copy of its input, is left out)
    const lines = plan.slice(0, plan.indexOf('~ output')).split('\n');
    const marks = (name: string): string =>
      lines
        .filter((l) => l.includes(`"v1 ConfigMap web/${name}"`))
        .map((l) => (/^\s+[-+]\s/.test(l) ? l.trim()[0] : ' '))
        .sort()
        .join('');
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((name) => [name, marks(name)]),
      [
        ['a', ' '],
        ['b', '+-'],
        ['c', '+'],
        ['d', '-'],
      ],
    );
  });
});
