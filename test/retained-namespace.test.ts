import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planCluster, synthToDirectory } from '../src';
import { MANIFEST_CHART_TEMPLATE } from '../src/core/plan/manifest-chart';
import { retainedNamespaceReleaseName } from '../src/core/plan/retained-namespace';
import { addOn, helmLayer } from './helpers';
import { profileErrorOf, synth } from './synth-helpers';
import { PlannedRetainedNamespace } from '../src/core/model/planned';

const RETAINED = 'pack:\n  namespace: data\n  retainNamespace: true\n  namespaceLabels:\n    data: "team=db"\n';

/** The planned retained namespace "data" of a layer "db" with pack values `values`. */
function retainedData(values: string): PlannedRetainedNamespace {
  const found = planCluster([addOn('p', [helmLayer('db', values)])]).resources.find((r): r is PlannedRetainedNamespace => r.role === 'retained-namespace' && r.namespace === 'data');
  assert.ok(found, 'namespace "data" is not retained');
  return found;
}

describe('retained namespaces (pack.retainNamespace)', () => {
  it('makes a retained namespace a release of its keep chart instead of a kubernetes_namespace_v1', () => {
    // GIVEN a layer retaining its namespace "data"
    const { json, construct } = synth([addOn('p', [helmLayer('db', RETAINED)])]);
    const chart = construct.plan.resources.find((r) => r.role === 'retained-namespace')!.namespaceChart;
    // THEN no namespace resource, but a release recorded in "default" that takes the namespace over,
    // of the chart generated for it, at its content-hash version
    assert.equal(json.resource.kubernetes_namespace_v1, undefined);
    const release = json.resource.helm_release['namespace--data'];
    assert.match(chart.version, /^0\.0\.0-sha256-[0-9a-f]{12}$/);
    assert.deepEqual(release, {
      chart: `assets/cluster_namespaces_namespace--datachart_D2755500/${chart.hash.slice(0, 32).toUpperCase()}`,
      create_namespace: false,
      name: 'namespace-data',
      namespace: 'default',
      take_ownership: true,
      version: chart.version,
      wait: true,
    });
    // AND the layer's release waits for it
    assert.deepEqual(json.resource.helm_release.db.depends_on, ['helm_release.namespace--data']);
    // AND Terraform forgets (never destroys) the namespace resource it had before retainNamespace was set
    assert.deepEqual(json.removed, [{ from: 'kubernetes_namespace_v1.data', lifecycle: { destroy: false } }]);
  });

  it('retains a namespace when any layer creating it asks', () => {
    // GIVEN "db" retaining "data" and "cache" creating it too without asking
    const plan = planCluster([addOn('p', [helmLayer('db', RETAINED), helmLayer('cache', 'pack:\n  namespace: data\n')])]);
    // THEN one retained namespace with both owners
    const ns = plan.resources.filter((r) => r.role === 'namespace' || r.role === 'retained-namespace');
    assert.deepEqual(ns.map((r) => [r.address, r.owners]), [['helm_release.namespace--data', ['cache', 'db']]]);
  });

  it('writes the chart, whose only object is the namespace kept by helm uninstall, into the output', () => {
    // GIVEN a retained namespace WHEN synthesized to a folder
    const dir = mkdtempSync(join(tmpdir(), 'retained-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const result = synthToDirectory(join(dir, 'out'), 'cluster', { profiles: [addOn('p', [helmLayer('db', RETAINED)])] });
    // THEN the chart is beside cdk.tf.json at the path the release names
    const release = (JSON.parse(readFileSync(result.file, 'utf8')) as { resource: { helm_release: Record<string, { chart: string; version: string }> } }).resource.helm_release['namespace--data'];
    const folder = join(dir, 'out', 'stacks', 'cluster', release.chart);
    // AND it is a generated chart: Chart.yaml at the release's version, the one template, the Namespace as JSON
    assert.equal(
      readFileSync(join(folder, 'Chart.yaml'), 'utf8'),
      `apiVersion: v2\nname: "retained-namespace"\ndescription: One namespace that helm uninstall keeps (helm.sh/resource-policy keep), packaged by cdktf-cluster-profiles\ntype: application\nversion: "${release.version}"\n`,
    );
    assert.equal(readFileSync(join(folder, 'templates', 'objects.yaml'), 'utf8'), MANIFEST_CHART_TEMPLATE);
    assert.equal(
      readFileSync(join(folder, 'files', 'namespace.json'), 'utf8'),
      '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {\n    "annotations": {\n      "helm.sh/resource-policy": "keep"\n    },\n    "labels": {\n      "team": "db"\n    },\n    "name": "data"\n  }\n}\n',
    );
    assert.equal(existsSync(join(folder, 'values.yaml')), false);
  });

  it('keeps the namespace over any resource-policy a layer sets, and versions the chart by its labels and annotations', () => {
    // GIVEN "data" retained with annotations, one of them asking Helm to delete it, and no labels
    const annotated = retainedData('pack:\n  namespace: data\n  retainNamespace: true\n  namespaceAnnotations:\n    data: "helm.sh/resource-policy=delete,owner=db team"\n');
    // WHEN its chart's Namespace is read
    // THEN keep wins, the other annotation stays, and no labels are written
    assert.deepEqual(JSON.parse(annotated.namespaceChart.files.find((f) => f.path === 'files/namespace.json')!.content), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { annotations: { 'helm.sh/resource-policy': 'keep', owner: 'db team' }, name: 'data' },
    });
    assert.deepEqual(annotated.namespaceChart.files.map((f) => f.path), ['Chart.yaml', 'files/namespace.json', 'templates/objects.yaml']);
    // AND the same namespace gives the same version; another label gives another
    assert.deepEqual(retainedData(RETAINED).namespaceChart, retainedData(RETAINED).namespaceChart);
    const relabelled = retainedData(RETAINED.replace('team=db', 'team=cache'));
    assert.notEqual(relabelled.version, retainedData(RETAINED).version);
    assert.equal(relabelled.version, relabelled.namespaceChart.version);
    assert.equal(relabelled.chart, 'retained-namespace');
  });

  it('never manages system namespaces, retained or not', () => {
    // GIVEN a layer in kube-system retaining its namespaces, with default as an additional one and labels on default
    const { json } = synth([addOn('p', [helmLayer('cni', 'pack:\n  namespace: kube-system\n  additionalNamespaces: [default, kube-public]\n  retainNamespace: true\n  namespaceLabels:\n    default: "a=b"\n')])]);
    // THEN no namespace resource and no retained release: only the label patch on default
    assert.deepEqual(Object.keys(json.resource).sort(), ['helm_release', 'kubernetes_labels', 'terraform_data']);
    assert.deepEqual(Object.keys(json.resource.helm_release), ['cni']);
    assert.equal(json.removed, undefined);
  });

  it('shortens release names of long namespaces with a hash', () => {
    // GIVEN a 63-character namespace WHEN named THEN at most 53 characters, still starting with its name
    const name = retainedNamespaceReleaseName(`${'a'.repeat(40)}-${'b'.repeat(22)}`);
    assert.equal(name.length <= 53, true);
    assert.match(name, /^namespace-a{33}-[0-9a-f]{8}$/);
    assert.equal(retainedNamespaceReleaseName('data'), 'namespace-data');
  });

  it('refuses a retainNamespace that is not true or false', () => {
    // GIVEN retainNamespace: "yes" (a string in YAML 1.2) WHEN planned THEN the field is named
    const error = profileErrorOf(() => planCluster([addOn('p', [helmLayer('db', 'pack:\n  retainNamespace: "yes"\n')])]));
    assert.equal(error.message, 'profile "p" layer "db": pack.retainNamespace must be true or false, found "yes"');
  });
});
