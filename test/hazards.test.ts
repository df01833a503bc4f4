import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec, findHazards, formatHazards, planCluster } from '../src';
import { main } from '../src/cli/main';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';
import { synth } from './synth-helpers';

const CRD = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]\n';
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n';

function hazardsOf(profiles: ProfileSpec[]): string[] {
  return findHazards(planCluster(profiles)).map((h) => `${h.kind} [${h.layers.join(', ')}] ${h.message}`);
}

describe('findHazards', () => {
  it('finds nothing in layers that each own their namespace', () => {
    // GIVEN two layers with namespaces of their own WHEN checked THEN no hazard
    assert.deepEqual(hazardsOf([addOn('p', [helmLayer('a', packValues('a')), helmLayer('b', packValues('b', 10))])]), []);
  });

  it('reports a namespace created by one layer that holds another layer\'s resources', () => {
    // GIVEN "db" creates namespace "data" and "backup" deploys into it without creating it
    const profiles = [addOn('p', [helmLayer('db', packValues('data')), manifestLayer('backup', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: data\n', packValues('backup'))])];
    // WHEN checked THEN one shared-namespace hazard names both layers and the consequence
    assert.deepEqual(hazardsOf(profiles), [
      'shared-namespace [backup, db] namespace "data" is created by layer "db" and also holds resources of "backup": removing "db" destroys the namespace with everything in it, including the resources of "backup" and anything deployed there outside the profiles; give each layer its own namespace, or set pack.retainNamespace: true to keep it',
    ]);
  });

  it('reports a namespace created by several layers', () => {
    // GIVEN "grafana" and "loki" both create "monitoring"
    const profiles = [addOn('p', [helmLayer('grafana', packValues('monitoring')), helmLayer('loki', packValues('monitoring', 10))])];
    // WHEN checked THEN the hazard says when the namespace goes, here and in Palette
    assert.deepEqual(hazardsOf(profiles), [
      'shared-namespace [grafana, loki] namespace "monitoring" is created by layers "grafana", "loki": it is destroyed, with everything in it, when the last of them is removed (Palette deletes it with the first one removed); give each layer its own namespace, or set pack.retainNamespace: true to keep it',
    ]);
  });

  it('does not report a shared namespace that is retained', () => {
    // GIVEN the same sharing, with "grafana" retaining the namespace WHEN checked THEN no hazard
    const profiles = [addOn('p', [helmLayer('grafana', 'pack:\n  namespace: monitoring\n  retainNamespace: true\n'), helmLayer('loki', packValues('monitoring', 10))])];
    assert.deepEqual(hazardsOf(profiles), []);
  });

  it('reports layers deploying into system namespaces and into namespaces nobody creates', () => {
    // GIVEN a release in kube-system, a manifest without namespace (so in default) and one into "shared"
    const profiles = [
      addOn('p', [
        helmLayer('cni', packValues('kube-system')),
        manifestLayer('cfg', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: shared\n'),
      ]),
    ];
    // WHEN checked THEN one hazard per layer and namespace
    assert.deepEqual(hazardsOf(profiles), [
      'unowned-namespace [cfg] layer "cfg" deploys ConfigMap "c" into namespace "default", which belongs to the cluster, not to the profiles: it shares the namespace with the cluster\'s own objects and no layer can own, label or remove it as a whole; set pack.namespace to give the layer a namespace of its own',
      'unowned-namespace [cfg] layer "cfg" deploys Secret "s" into namespace "shared", which no layer creates: installing fails unless it already exists, and nothing removes it; name it in pack.namespace or pack.additionalNamespaces of a layer',
      'unowned-namespace [cni] layer "cni" deploys Helm release "cni" into namespace "kube-system", which belongs to the cluster, not to the profiles: it shares the namespace with the cluster\'s own objects and no layer can own, label or remove it as a whole; set pack.namespace to give the layer a namespace of its own',
    ]);
  });

  it('reports custom resources whose CRD comes from no layer', () => {
    // GIVEN a Widget with no CRD in the profiles
    const profiles = [addOn('p', [manifestLayer('widgets', WIDGET, packValues('widgets'))])];
    // WHEN checked THEN a crd-order hazard
    assert.deepEqual(hazardsOf(profiles), [
      'crd-order [widgets] layer "widgets" creates 1 Widget object (example.com), whose CustomResourceDefinition no layer of the profiles defines or declares: they install only if the CRD is already in the cluster; when a layer of an earlier tier installs it (a Helm chart\'s CRDs), name it in that layer\'s pack.providesCrds',
    ]);
  });

  it('accepts custom resources whose CRD installs in an earlier tier', () => {
    // GIVEN the CRD at priority 0 and the Widgets at 10 WHEN checked THEN no hazard
    const profiles = [addOn('p', [manifestLayer('operator', CRD, packValues('operator')), manifestLayer('widgets', WIDGET, packValues('widgets', 10))])];
    assert.deepEqual(hazardsOf(profiles), []);
  });

  it('reports custom resources in the tier of their CRD, for install and for teardown', () => {
    // GIVEN the CRD and the Widgets in two layers of one tier
    const profiles = [addOn('p', [manifestLayer('operator', CRD, packValues('operator', 5)), manifestLayer('widgets', WIDGET, packValues('widgets', 5))])];
    // WHEN checked THEN both orders are named
    assert.deepEqual(hazardsOf(profiles), [
      'crd-order [operator, widgets] layer "widgets" creates 1 Widget object (example.com), whose CustomResourceDefinition comes from layer "operator" in the same tier (priority 5): they cannot be created before the CRD is established; give "widgets" a higher install priority than "operator"',
      'operator-teardown [operator, widgets] layer "widgets" creates 1 Widget object (example.com) that are destroyed together with the layer defining their kind ("operator"): the operator may be gone before it clears their finalizers, and their deletion then hangs; give "widgets" a higher install priority than "operator"',
    ]);
  });

  it('reports custom resources below their CRD and in the CRD\'s own layer', () => {
    // GIVEN Widgets at priority -5 under an operator at 0 (one kubernetes_manifest per document, which
    // cannot even be planned), and an operator layer holding CRD and Widget together (a generated chart)
    const profiles = [
      addOn('p', [
        manifestLayer('operator', CRD, packValues('operator')),
        manifestLayer('widgets', WIDGET.replace('w1', 'w2'), packValues('widgets', -5, '  manifestStrategy: manifest\n')),
        manifestLayer('bundle', `${CRD.replace(/widget/gi, (m) => (m[0] === 'W' ? 'Gadget' : 'gadget'))}---\n${WIDGET.replace(/Widget/, 'Gadget')}`, packValues('bundle', 7)),
      ]),
    ];
    // WHEN checked THEN each case gets its own wording; the bundle's order is no hazard (its CRD release
    // installs the CRD first and upgrades it), its teardown is
    assert.deepEqual(hazardsOf(profiles), [
      'crd-order [operator, widgets] layer "widgets" creates 1 Widget object (example.com), whose CustomResourceDefinition comes from layer "operator", which installs later (priority 0, after priority -5): they cannot be planned or created before the CRD is established; give "widgets" a higher install priority than "operator"',
      'operator-teardown [bundle] layer "bundle" creates 1 Gadget object (example.com) that are destroyed together with the layer defining their kind ("bundle"): the operator may be gone before it clears their finalizers, and their deletion then hangs; move the Gadget objects to a layer with a higher install priority',
      'operator-teardown [operator, widgets] layer "widgets" creates 1 Widget object (example.com) that are destroyed after the layer defining their kind ("operator"): the operator may be gone before it clears their finalizers, and their deletion then hangs; give "widgets" a higher install priority than "operator"',
    ]);
  });

  it('reports one release name in two namespaces, across profiles', () => {
    // GIVEN two profiles each installing a release "nginx", in namespaces "a" and "b"
    const profiles = [addOn('one', [helmLayer('nginx', packValues('a'))]), addOn('two', [helmLayer('edge', packValues('b'), { chart: 'nginx' })])];
    // WHEN checked THEN a duplicate-object hazard
    assert.deepEqual(hazardsOf(profiles), [
      'duplicate-object [edge, nginx] layers "edge", "nginx" install Helm releases named "nginx" in namespaces "a", "b": charts name cluster-wide objects (ClusterRoles, webhooks) after the release, so one install can fail or take over the other\'s; give all but one a pack.releaseNameOverride',
    ]);
  });

  it('reports a Namespace document for a namespace a layer creates', () => {
    // GIVEN layer "ns" defining Namespace "apps" and layer "web" creating it with pack.namespace
    const profiles = [addOn('p', [manifestLayer('ns', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n'), helmLayer('web', packValues('apps', 10))])];
    // WHEN checked THEN a duplicate-object hazard only: "ns" installs as a generated chart whose
    // release Helm records in "default", but its one object is cluster-scoped, so it deploys into no namespace
    assert.equal(planCluster(profiles).resources.find((r) => r.address === 'helm_release.ns')?.type, 'helm_release');
    assert.deepEqual(hazardsOf(profiles), [
      'duplicate-object [ns, web] layer "ns" defines Namespace "apps" in manifest "ns", and layer "web" creates it too (pack.namespace or pack.additionalNamespaces): two resources manage one namespace, and destroying either deletes it with everything in it; remove the Namespace document',
    ]);
  });

  it('gives each caller its own list', () => {
    // GIVEN a plan with one hazard, checked once and the list emptied by its caller
    const plan = planCluster([addOn('p', [helmLayer('a', packValues('kube-system'))])]);
    const first = findHazards(plan);
    first.length = 0;
    // WHEN checked again THEN the hazard is still reported, in a list of its own
    const again = findHazards(plan);
    assert.equal(again.length, 1);
    assert.notEqual(again, first);
    assert.match(again[0].message, /^layer "a" deploys Helm release "a" into namespace "kube-system"/);
  });

  it('formats hazards one per line, kind first', () => {
    // GIVEN two hazards WHEN formatted THEN one line each
    const hazards = findHazards(planCluster([addOn('p', [helmLayer('a', packValues('kube-system')), helmLayer('b', packValues('shared-ns'))])]));
    assert.equal(hazards.length, 1);
    assert.equal(formatHazards([]), '');
    assert.equal(formatHazards(hazards).split('\n').length, 1);
    assert.match(formatHazards(hazards), /^unowned-namespace: layer "a" deploys Helm release "a" into namespace "kube-system"/);
  });
});

describe('hazards in the construct and the CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hazards-test-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const file = join(scratch, 'shared.json');
  writeFileSync(
    file,
    JSON.stringify({
      metadata: { name: 'shared' },
      spec: { version: '1.0.0', template: { type: 'add-on', packs: [{ name: 'a', type: 'helm', layer: 'addon', version: '1.0.0', values: 'pack:\n  namespace: kube-system\n', registry: { metadata: { name: 'R' } } }] } },
    }),
  );
  const expected = 'unowned-namespace: layer "a" deploys Helm release "a" into namespace "kube-system", which belongs to the cluster, not to the profiles: it shares the namespace with the cluster\'s own objects and no layer can own, label or remove it as a whole; set pack.namespace to give the layer a namespace of its own';

  it('adds each hazard to the construct as a warning annotation', () => {
    // GIVEN a layer in kube-system WHEN synthesized
    const { construct } = synth([addOn('p', [helmLayer('a', packValues('kube-system'))])]);
    // THEN the construct carries the hazard as a cdktf warning
    const warnings = construct.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data as string);
    assert.deepEqual(warnings, [expected]);
  });

  it('prints hazards as warnings on stderr and still writes the output', async () => {
    // GIVEN the profile file WHEN synthesized by the CLI
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['synth', '--out', join(scratch, 'warn'), '--registry', 'R=https://charts.example.com', file], (l) => out.push(l), (l) => err.push(l));
    // THEN exit 0, the warning on stderr, the stack written
    assert.equal(code, 0);
    assert.deepEqual(err, [`cluster-profiles synth: warning: ${expected}`]);
    assert.equal(existsSync(join(scratch, 'warn', 'stacks', 'cluster', 'cdk.tf.json')), true);
  });

  it('turns hazards into errors with --strict, writing nothing', async () => {
    // GIVEN the profile file WHEN synthesized with --strict
    const err: string[] = [];
    const code = await main(['synth', '--strict', '--out', join(scratch, 'strict'), '--registry', 'R=https://charts.example.com', file], () => undefined, (l) => err.push(l));
    // THEN exit 1, the hazards listed, no output folder
    assert.equal(code, 1);
    assert.deepEqual(err, ['cluster-profiles synth: 1 hazard found and --strict given; nothing was written:', `  ${expected}`]);
    assert.equal(existsSync(join(scratch, 'strict')), false);
  });
});
