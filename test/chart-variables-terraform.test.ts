import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec } from '../src';
import { renderGeneratedChart } from './engines/helm';
import { addOn, manifestLayer } from './helpers';
import { TfJson, synth } from './synth-helpers';
import { runTerraform } from './terraform';

/**
 * A generated chart's profile variables end to end: the real terraform binary computes the release
 * values from the stack's variables (offline: variables and an output only), and the Helm rendering
 * harness installs the chart with them, reading the values as the helm provider and Helm do.
 */

const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-chart-vars-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: {replicas: "{{.spectro.var.replicas}}"}\nspec:\n  replicas: "{{.spectro.var.replicas}}"\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "nginx"}]}\n';
const SETTINGS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  debug: "{{.spectro.var.debug}}"\n  note: "{{.spectro.var.note}}"\n  url: "https://{{.spectro.var.note}}/"\n';

const profiles: ProfileSpec[] = [
  {
    ...addOn('apps', [manifestLayer('web', `${DEPLOYMENT}---\n${SETTINGS}`, 'pack:\n  namespace: web\n')]),
    variables: [{ name: 'replicas', format: 'number', defaultValue: 2 }, { name: 'debug', format: 'boolean', defaultValue: false }, { name: 'note' }],
  },
];

describe('generated chart variables under terraform and Helm', () => {
  const { json, construct } = synth(profiles);
  const chart = construct.plan.resources.find((r) => r.role === 'manifest-chart')!.manifestChart;
  const dir = mkdtempSync(join(scratch, 'stack-'));
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ variable: json.variable, output: { values: { value: json.resource.helm_release.web.values[1] } } }, null, 2));
  const init = runTerraform(dir, ['init', '-input=false', '-no-color']);

  /** The objects Helm installs once terraform computed the values with `vars`, by kind. */
  function installedWith(...vars: string[]): Record<string, TfJson> {
    const apply = runTerraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color', ...vars.flatMap((v) => ['-var', v])]);
    assert.equal(apply.code, 0, apply.out);
    const values = JSON.parse(runTerraform(dir, ['output', '-json', 'values']).stdout) as string;
    const rendering = renderGeneratedChart(chart, values);
    assert.deepEqual(rendering.errors, []);
    return Object.fromEntries(rendering.objects.map((o) => [o.kind, JSON.parse(o.json!) as TfJson]));
  }

  it('initializes offline', () => {
    assert.equal(init.code, 0, init.out);
  });

  it('installs a number beyond 2^53 exactly, as a number in spec and as text in an annotation', () => {
    // GIVEN replicas = 2^53 + 1 at plan time WHEN terraform computes the values and Helm installs the chart
    const apply = runTerraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-var', 'replicas=9007199254740993', '-var', 'note=x']);
    assert.equal(apply.code, 0, apply.out);
    const values = JSON.parse(runTerraform(dir, ['output', '-json', 'values']).stdout) as string;
    const deployment = renderGeneratedChart(chart, values).objects.find((o) => o.kind === 'Deployment')!.json!;
    // THEN Kubernetes reads the exact integer in spec.replicas and its text in the annotation
    assert.match(deployment, /"spec":\{"replicas":9007199254740993,/);
    assert.match(deployment, /"annotations":\{"replicas":"9007199254740993"\}/);
  });

  it('installs a bool as text in ConfigMap data, and strings with "<no value>", U+0085 and U+2028 exactly', () => {
    // GIVEN debug = true and a note holding the characters Helm or YAML 1.1 would change
    const note = 'a <no value> b\u0085c\u2028d "q"';
    // WHEN terraform computes the values and Helm installs the chart
    const objects = installedWith('debug=true', `note=${note}`);
    // THEN the ConfigMap holds the exact strings
    assert.deepEqual(objects.ConfigMap.data, { debug: 'true', note, url: `https://${note}/` });
  });
});
