import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planCluster, synthToDirectory } from '../src';
import { retainedNamespaceReleaseName } from '../src/core/retained-namespace';
import { addOn, helmLayer } from './helpers';
import { profileErrorOf, synth } from './synth-helpers';

const RETAINED = 'pack:\n  namespace: data\n  retainNamespace: true\n  namespaceLabels:\n    data: "team=db"\n';

describe('retained namespaces (pack.retainNamespace)', () => {
  it('makes a retained namespace a release of the keep chart instead of a kubernetes_namespace_v1', () => {
    // GIVEN a layer retaining its namespace "data"
    const { json } = synth([addOn('p', [helmLayer('db', RETAINED)])]);
    // THEN no namespace resource, but a release recorded in "default" that takes the namespace over
    assert.equal(json.resource.kubernetes_namespace_v1, undefined);
    const release = json.resource.helm_release['namespace--data'];
    assert.match(release.chart, /^assets\/cluster_retained-namespace-chart_[0-9A-F]{8}\/[0-9A-F]{32}$/);
    assert.deepEqual({ ...release, chart: '<asset>' }, {
      chart: '<asset>',
      create_namespace: false,
      name: 'namespace-data',
      namespace: 'default',
      take_ownership: true,
      values: ['name: data\nlabels:\n  team: db\nannotations: {}\n'],
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
    const ns = plan.resources.filter((r) => r.layer === undefined && r.type !== 'terraform_data');
    assert.deepEqual(ns.map((r) => [r.address, 'owners' in r ? r.owners : []]), [['helm_release.namespace--data', ['cache', 'db']]]);
  });

  it('copies the chart, whose only object is the namespace kept by helm uninstall, into the output', () => {
    // GIVEN a retained namespace WHEN synthesized to a folder
    const dir = mkdtempSync(join(tmpdir(), 'retained-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const result = synthToDirectory(join(dir, 'out'), 'cluster', { profiles: [addOn('p', [helmLayer('db', RETAINED)])] });
    // THEN the chart is beside cdk.tf.json at the path the release names
    const chart = (JSON.parse(readFileSync(result.file, 'utf8')) as { resource: { helm_release: Record<string, { chart: string }> } }).resource.helm_release['namespace--data'].chart;
    const folder = join(dir, 'out', 'stacks', 'cluster', chart);
    assert.equal(existsSync(join(folder, 'Chart.yaml')), true);
    const template = readFileSync(join(folder, 'templates', 'namespace.yaml'), 'utf8');
    assert.match(template, /^kind: Namespace$/m);
    assert.match(template, /^ {4}helm\.sh\/resource-policy: keep$/m);
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
