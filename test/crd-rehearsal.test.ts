/**
 * Custom resources and their CRDs rehearsed with the real terraform binary (slow: each test runs
 * terraform on stand-ins or on the stack's values). terraform must be on PATH.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { ClusterStack, InstallPlan, ProfileSpec, RehearsalResult, loadProfileFiles, planCluster, rehearse } from '../src';
import { parseYaml } from '../src/core/input/yaml';
import { renderGeneratedChart } from './engines/helm';
import { addOn, manifestLayer, widgetCrd } from './helpers';
import { synth } from './synth-helpers';
import { terraformOk } from './terraform';

const REPO = resolve(__dirname, '..', '..');
const EXAMPLES = join(REPO, 'examples', 'profiles');
const scratch = mkdtempSync(join(tmpdir(), 'crd-rehearsal-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The stack `synth` writes for a plan, parsed. */
function synthesize(plan: InstallPlan): unknown {
  return JSON.parse(Testing.synth(new ClusterStack(Testing.app({ outdir: join(scratch, 'cdktf') }), 'rehearsal', { plan })));
}

/** Position of an event in the rehearsal log; fails when it is not there exactly once. */
function at(result: RehearsalResult, phase: string, address: string): number {
  const found = result.events.filter((e) => e.phase === phase && e.address === address);
  assert.equal(found.length, 1, `${phase} ${address} logged ${found.length} times`);
  return found[0].seq;
}

/** Asserts the addresses' events came in this order (positions strictly increasing). */
function inOrder(result: RehearsalResult, ...steps: [string, string][]): void {
  const positions = steps.map(([phase, address]) => at(result, phase, address));
  positions.slice(1).forEach((p, i) => assert.ok(positions[i] < p, `${steps[i].join(' ')} (#${positions[i]}) must come before ${steps[i + 1].join(' ')} (#${p})`));
}

describe('rehearsing CRDs and their custom resources', () => {
  it('installs the example\'s cert-manager, its gate, then the issuers and their readiness check; tears them down in reverse', async () => {
    // GIVEN the example profiles, whose platform-issuers layer holds cert-manager custom resources
    const registries = JSON.parse(readFileSync(join(EXAMPLES, 'registries.json'), 'utf8')) as Record<string, string>;
    const plan = planCluster(loadProfileFiles([join(EXAMPLES, 'edge-platform.json'), join(EXAMPLES, 'team-observability.json')]), { registries });
    // WHEN rehearsed
    const result = await rehearse(synthesize(plan), plan);
    // THEN the order check passes
    assert.deepEqual(result.check.violations, []);
    // AND the CRD layer is ready, then its tier's gate, then the custom resources' release starts, then kubectl checks them
    inOrder(
      result,
      ['create-end', 'helm_release.cert-manager'],
      ['create-end', 'terraform_data.tier_-10'],
      ['create-start', 'helm_release.platform-issuers'],
      ['create-end', 'helm_release.platform-issuers'],
      ['create-start', 'terraform_data.ready--platform-issuers'],
      ['create-end', 'terraform_data.ready--platform-issuers'],
      ['create-end', 'terraform_data.tier_0'],
    );
    // AND teardown removes the check and the custom resources before the gate and the CRD layer
    inOrder(
      result,
      ['destroy-end', 'terraform_data.ready--platform-issuers'],
      ['destroy-end', 'helm_release.platform-issuers'],
      ['destroy-start', 'terraform_data.tier_-10'],
      ['destroy-start', 'helm_release.cert-manager'],
    );
    // AND the timeline shows cert-manager's tier, then the issuers' tier holding its namespace, the layer and the gate
    const tiers = result.timeline.tiers.map((t) => [t.label, t.rows.map((r) => `${r.kind} ${r.label}`)]);
    const i = tiers.findIndex(([label]) => label === 'priority -10');
    assert.deepEqual(tiers.slice(i, i + 2), [
      ['priority -10', ['namespace namespace cert-manager', 'layer cert-manager', 'gate gate']],
      ['priority 0', ['namespace namespace platform-pki', 'layer platform-issuers', 'gate gate']],
    ]);
  });

  for (const strategy of ['chart', 'manifest'] as const) {
    it(`installs a CRD manifest (${strategy} strategy), waits for its gate, then the custom resources; destroys them first, the namespaces last`, async () => {
      // GIVEN the Widget CRD as a manifest at priority 0, installed as a generated chart or as a
      // kubernetes_manifest, and a Widget at priority 10
      const crd = widgetCrd();
      const pin = strategy === 'manifest' ? '  manifestStrategy: manifest\n' : '';
      const plan = planCluster([
        addOn('apps', [
          manifestLayer('operator', crd, `pack:\n  namespace: operator\n${pin}`),
          manifestLayer('widgets', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n', 'pack:\n  namespace: widgets\n  spectrocloud.com/install-priority: 10\n'),
        ]),
      ]);
      // (a chart layer's CRDs are the release of their own, helm_release.<layer>--crds)
      const definition = strategy === 'chart' ? 'helm_release.operator--crds' : 'kubernetes_manifest.operator--customresourcedefinition--widgets_example_com_24b794f3';
      assert.ok(plan.resources.some((r) => r.address === definition), plan.resources.map((r) => r.address).join(', '));
      // WHEN rehearsed, each workload taking a moment to become ready
      const result = await rehearse(synthesize(plan), plan, { readinessSeconds: 0.2 });
      // THEN the check passes; the CRD is established, the gate passes, then the Widget's release starts
      assert.deepEqual(result.check.violations, []);
      inOrder(result, ['create-end', 'kubernetes_namespace_v1.operator'], ['create-start', definition], ['create-end', definition], ['create-end', 'terraform_data.tier_0'], ['create-start', 'helm_release.widgets']);
      // AND teardown goes the other way: the Widget, the gate, the CRD, then its namespace
      inOrder(result, ['destroy-end', 'helm_release.widgets'], ['destroy-end', 'terraform_data.tier_0'], ['destroy-start', definition], ['destroy-end', definition], ['destroy-start', 'kubernetes_namespace_v1.operator']);
      assert.ok(at(result, 'destroy-end', 'helm_release.widgets') < at(result, 'destroy-start', 'kubernetes_namespace_v1.widgets'));
    });
  }

  it('fills the strings of a generated chart that use profile variables as Terraform evaluates them', () => {
    // GIVEN a Widget whose strings use a variable inside text full of quotes, backslashes and template
    // sequences, and a number variable alone
    const widget = [
      'apiVersion: example.com/v1',
      'kind: Widget',
      'metadata:',
      '  name: w1',
      'spec:',
      '  url: \'say "hi" \\ https://{{.spectro.var.host}}/api\'',
      '  literal: "${HOME} %{x} cost: ${{.spectro.var.replicas}}"',
      '  replicas: "{{.spectro.var.replicas}}"',
      '',
    ].join('\n');
    const profiles: ProfileSpec[] = [
      { ...addOn('apps', [manifestLayer('widgets', widget, 'pack:\n  namespace: widgets\n')]), variables: [{ name: 'host', defaultValue: 'example.com' }, { name: 'replicas', format: 'number', defaultValue: 3 }] },
    ];
    const { json } = synth(profiles);
    // WHEN Terraform evaluates the release's values with the stack's variables (after the list of its objects)
    const dir = join(scratch, 'values');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ variable: json.variable, output: { values: { value: json.resource.helm_release.widgets.values[1] } } }));
    terraformOk(dir, ['init', '-input=false', '-no-color']);
    terraformOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    const output = { stdout: terraformOk(dir, ['output', '-raw', 'values']) };
    // THEN Helm gets each string's JSON text exactly, the variables filled in, and the lone number's text
    assert.deepEqual(parseYaml(output.stdout), {
      clusterProfilesReferences: {
        __cluster_profiles_ref_1__: '"say \\"hi\\" \\\\ https://example.com/api"',
        __cluster_profiles_ref_2__: '"${HOME} %{x} cost: $3"',
        __cluster_profiles_ref_3__: '3',
      },
    });
    // AND Helm installs the Widget with those strings and the number
    const chart = synth(profiles).construct.plan.resources.find((r) => r.role === 'manifest-chart')!.manifestChart;
    const [installed] = renderGeneratedChart(chart, output.stdout).objects;
    assert.deepEqual(JSON.parse(installed.json!).spec, { literal: '${HOME} %{x} cost: $3', replicas: 3, url: 'say "hi" \\ https://example.com/api' });
  });
});
