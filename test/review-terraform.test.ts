/**
 * `review` on plans written by real Terraform (slow: terraform init, apply and plan on stand-ins, see
 * terraform-plan-stand-ins.ts). One profile change makes every kind of change at once: an update, a
 * replace, deletes, a move, forgets and creates; the tests read its review.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planCluster } from '../src';
import { PlanReview, ReviewChange, reviewPlan } from '../src/core/report/review';
import { readTerraformPlan } from '../src/core/input/terraform-plan';
import { addOn, helmLayer, manifestLayer } from './helpers';
import { originalPlan, realPlanJson, standInsWithAttributes, synthesizeStack } from './terraform-plan-stand-ins';

const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-review-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const pack = (lines: string[]): string => `pack:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
const configMap = (name: string, data = 'a'): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: ${data}\n`;
/** A cluster-scoped CRD of group example.com. */
const crd = (plural: string, kind: string): string =>
  [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    `  name: ${plural}.example.com`,
    'spec:',
    '  group: example.com',
    `  names: { plural: ${plural}, kind: ${kind} }`,
    '  scope: Namespaced',
    '  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object } } }]',
    '',
  ].join('\n');

/** The cluster before the change. */
const OLD = planCluster([
  addOn('platform', [
    helmLayer('cert-manager', pack(['namespace: cert-manager', 'spectrocloud.com/install-priority: "10"']), { version: '1.14.0' }),
    helmLayer('ingress', pack(['namespace: ingress', 'spectrocloud.com/install-priority: "20"'])),
    manifestLayer('operators', `${crd('widgets', 'Widget')}---\n${crd('gadgets', 'Gadget')}`, pack(['namespace: operators', 'spectrocloud.com/install-priority: "10"'])),
    manifestLayer('legacy', `${crd('olds', 'Old')}---\n${configMap('old-settings')}`, pack(['namespace: legacy', 'spectrocloud.com/install-priority: "20"'])),
    manifestLayer('config', `${configMap('kept')}---\n${configMap('dropped')}---\n${configMap('edited')}`, pack(['namespace: apps', 'spectrocloud.com/install-priority: "30"'])),
    helmLayer('monitoring', pack(['namespace: monitoring', 'spectrocloud.com/install-priority: "30"'])),
    helmLayer('logs', pack(['namespace: logging', 'spectrocloud.com/install-priority: "30"'])),
    manifestLayer('quotas', configMap('quota'), pack(['namespace: quotas', 'spectrocloud.com/install-priority: "40"', 'manifestStrategy: manifest'])),
    helmLayer('keep', pack(['namespace: kept-ns', 'spectrocloud.com/install-priority: "40"'])),
  ]),
]);

/** The cluster after: cert-manager upgraded, ingress moved to another namespace, operators drops CRD gadgets, legacy (a CRD and a ConfigMap) removed, a ConfigMap dropped and one edited, monitoring removed, logs renamed to logging, quotas moved to the chart strategy, kept-ns retained, tracing added. */
const NEW = planCluster([
  addOn('platform', [
    helmLayer('cert-manager', pack(['namespace: cert-manager', 'spectrocloud.com/install-priority: "10"']), { version: '1.15.0' }),
    helmLayer('ingress', pack(['namespace: edge', 'spectrocloud.com/install-priority: "20"'])),
    manifestLayer('operators', crd('widgets', 'Widget'), pack(['namespace: operators', 'spectrocloud.com/install-priority: "10"'])),
    manifestLayer('config', `${configMap('kept')}---\n${configMap('edited', 'b')}`, pack(['namespace: apps', 'spectrocloud.com/install-priority: "30"'])),
    helmLayer('logging', pack(['namespace: logging', 'spectrocloud.com/install-priority: "30"', 'previousNames: [logs]']), { chart: 'logs' }),
    manifestLayer('quotas', configMap('quota'), pack(['namespace: quotas', 'spectrocloud.com/install-priority: "40"'])),
    helmLayer('keep', pack(['namespace: kept-ns', 'spectrocloud.com/install-priority: "40"', 'retainNamespace: true'])),
    helmLayer('tracing', pack(['namespace: tracing', 'spectrocloud.com/install-priority: "50"'])),
  ]),
]);

let review: PlanReview;
let unbased: PlanReview;

before(() => {
  const stacks = join(scratch, 'cdktf');
  const old = standInsWithAttributes(synthesizeStack(OLD, stacks));
  // A resource of the user's own beside the profiles', gone after the change.
  old.resource.terraform_data['team-bucket'] = { input: 'bucket' };
  const plan = originalPlan(realPlanJson(join(scratch, 'tf'), old, standInsWithAttributes(synthesizeStack(NEW, stacks))));
  const changes = readTerraformPlan(JSON.stringify(plan), 'plan.json');
  review = reviewPlan(changes, NEW, OLD);
  unbased = reviewPlan(changes, NEW);
});

/** The change at an address; fails when the review has none. */
function at(r: PlanReview, address: string): ReviewChange {
  const found = r.changes.find((c) => c.address === address);
  assert.ok(found !== undefined, `no change at ${address} in ${r.changes.map((c) => c.address).join(', ')}`);
  return found;
}

describe('review of a real Terraform plan, with the profiles before the change', () => {
  it('calls a deleted namespace destructive and maps it to the layer that owned it', () => {
    // GIVEN the monitoring layer removed  WHEN Terraform plans  THEN its namespace's deletion is explained
    assert.deepEqual(at(review, 'kubernetes_namespace_v1.monitoring'), {
      address: 'kubernetes_namespace_v1.monitoring',
      actions: ['delete'],
      profile: 'platform',
      layer: 'monitoring',
      tier: 'priority 30',
      destructive: true,
      reason: 'namespace monitoring is deleted with everything in it, including objects created outside the profiles',
      kind: 'delete',
      previousAddress: null,
      objects: null,
    });
  });

  it('calls a release whose namespace changed a destructive replace', () => {
    // GIVEN ingress moved from namespace ingress to edge  WHEN Terraform plans (namespace is ForceNew)  THEN the replace is explained
    const c = at(review, 'helm_release.ingress');
    assert.deepEqual([c.actions, c.kind, c.destructive, c.reason], [
      ['delete', 'create'],
      'replace',
      true,
      'release replaced (namespace ingress -> edge): Helm uninstalls ingress in ingress, deleting its objects, then installs ingress in edge',
    ]);
  });

  it('lists the objects that leave and change a chart layer from the digests its release carries, and calls leaving destructive', () => {
    // GIVEN the config layer drops one ConfigMap and edits another  WHEN Terraform plans an update of its release  THEN the objects are named
    const c = at(review, 'helm_release.config');
    assert.deepEqual([c.kind, c.destructive, c.objects], ['update', true, { added: [], changed: ['v1 ConfigMap apps/edited'], removed: ['v1 ConfigMap apps/dropped'] }]);
    assert.equal(c.reason, 'release config is upgraded; changes v1 ConfigMap apps/edited; objects leave the chart and Helm deletes them: v1 ConfigMap apps/dropped');
  });

  it('calls a CRD leaving a layer\'s CRD release not destructive: the CRD and its custom resources stay', () => {
    // GIVEN the operators layer drops CRD gadgets  WHEN Terraform plans an update of helm_release.operators--crds  THEN the CRD is kept, named
    const c = at(review, 'helm_release.operators--crds');
    assert.deepEqual([c.kind, c.layer, c.destructive, c.objects], ['update', 'operators', false, { added: [], changed: [], removed: ['apiextensions.k8s.io/v1 CustomResourceDefinition gadgets.example.com'] }]);
    assert.equal(
      c.reason,
      "release operators-crds is upgraded; CRDs leave the release and stay in the cluster (apiextensions.k8s.io/v1 CustomResourceDefinition gadgets.example.com), with every custom resource of their kinds (helm.sh/resource-policy: keep), no longer managed by the profiles; deleting one is a person's decision (kubectl delete crd NAME deletes every custom resource of its kind)",
    );
  });

  it('calls the uninstall of a removed layer\'s objects destructive and of its CRD release not', () => {
    // GIVEN layer legacy (CRD olds and ConfigMap old-settings) removed  WHEN Terraform plans  THEN both releases are deleted, only the objects' destructively
    const objects = at(review, 'helm_release.legacy');
    const crds = at(review, 'helm_release.legacy--crds');
    assert.deepEqual(
      [objects.destructive, objects.reason, objects.objects],
      [true, 'release legacy in namespace legacy is uninstalled: every object it installed is deleted (v1 ConfigMap legacy/old-settings)', { added: [], changed: [], removed: ['v1 ConfigMap legacy/old-settings'] }],
    );
    assert.deepEqual(
      [crds.destructive, crds.layer, crds.reason],
      [
        false,
        'legacy',
        "release legacy-crds in namespace legacy is uninstalled: its CRDs stay in the cluster (apiextensions.k8s.io/v1 CustomResourceDefinition olds.example.com), with every custom resource of their kinds (helm.sh/resource-policy: keep), no longer managed by the profiles; deleting one is a person's decision (kubectl delete crd NAME deletes every custom resource of its kind)",
      ],
    );
  });

  it('shows a renamed layer as a move, not as a delete and a create', () => {
    // GIVEN logs renamed to logging (pack.previousNames)  WHEN Terraform plans the moved block  THEN one move, nothing destructive
    const c = at(review, 'helm_release.logging');
    assert.deepEqual([c.actions, c.kind, c.previousAddress, c.layer, c.destructive, c.reason], [
      ['no-op'],
      'move',
      'helm_release.logs',
      'logging',
      false,
      'renamed from helm_release.logs (a moved block): nothing is deleted',
    ]);
    assert.equal(review.changes.filter((x) => x.address.includes('logs')).length, 0);
  });

  it('explains the removed blocks the profiles write as taken over, not destructive', () => {
    // GIVEN quotas moved to the chart strategy and kept-ns retained  WHEN Terraform plans the removed blocks  THEN both forgets say what takes over
    const quota = at(review, 'kubernetes_manifest.quotas--configmap--quotas--quota');
    const ns = at(review, 'kubernetes_namespace_v1.kept-ns');
    assert.deepEqual([quota.actions, quota.destructive, quota.layer, quota.reason], [
      ['forget'],
      false,
      'quotas',
      'Terraform forgets it (a removed block); layer quotas installs its objects as a generated chart: release quotas takes this object over, nothing is deleted',
    ]);
    assert.deepEqual([ns.actions, ns.destructive, ns.reason], [
      ['forget'],
      false,
      'Terraform forgets it (a removed block); namespace kept-ns is retained (pack.retainNamespace): a Helm release with helm.sh/resource-policy keep takes it over, nothing is deleted',
    ]);
  });

  it('lists a change the profiles do not know as unmapped, never drops it', () => {
    // GIVEN a resource of the user's own deleted  WHEN reviewed  THEN it is listed, unmapped, last among the destructive ones
    assert.deepEqual(at(review, 'terraform_data.team-bucket'), {
      address: 'terraform_data.team-bucket',
      actions: ['delete'],
      profile: null,
      layer: null,
      tier: null,
      destructive: true,
      reason: 'delete: not a resource of the profiles',
      kind: 'delete',
      previousAddress: null,
      objects: null,
    });
  });

  it('orders destructive changes first, then creates and updates in install order, then deletes in destroy order', () => {
    // GIVEN the whole change  WHEN reviewed  THEN the order is exact (no-op entries of unchanged resources left out)
    assert.deepEqual(
      review.changes.map((c) => c.address),
      [
        'helm_release.ingress',
        'helm_release.config',
        'helm_release.monitoring',
        'kubernetes_namespace_v1.monitoring',
        'helm_release.legacy',
        'kubernetes_namespace_v1.ingress',
        'kubernetes_namespace_v1.legacy',
        'terraform_data.team-bucket',
        'helm_release.cert-manager',
        'helm_release.operators--crds',
        'kubernetes_namespace_v1.edge',
        'terraform_data.tier_20',
        'helm_release.logging',
        'terraform_data.tier_30',
        'helm_release.namespace--kept-ns',
        'helm_release.quotas',
        'kubernetes_namespace_v1.tracing',
        'helm_release.tracing',
        'terraform_data.tier_50',
        'kubernetes_manifest.quotas--configmap--quotas--quota',
        'kubernetes_namespace_v1.kept-ns',
        'helm_release.legacy--crds',
      ],
    );
  });

  it('counts the changes by kind in the summary', () => {
    // GIVEN the whole change  WHEN reviewed  THEN the summary counts it
    assert.deepEqual(review.summary, {
      changes: 22,
      destructive: 8,
      unmapped: 1,
      byKind: { delete: 7, replace: 1, forget: 2, create: 6, update: 5, move: 1, read: 0 },
      tiers: ['priority 10', 'priority 20', 'priority 30', 'priority 40', 'priority 50'],
    });
  });
});

describe('review of a real Terraform plan, with only the profiles after the change', () => {
  it('still calls a deleted namespace destructive, named from the plan, but unmapped', () => {
    // GIVEN no base profiles  WHEN reviewed  THEN the namespace gone from the profiles is listed with its name from the plan's before values
    const c = at(unbased, 'kubernetes_namespace_v1.monitoring');
    assert.deepEqual([c.layer, c.tier, c.destructive, c.reason], [null, null, true, 'namespace monitoring is deleted with everything in it, including objects created outside the profiles']);
  });

  it('maps the removed blocks of the profiles after the change to the layer that takes over', () => {
    // GIVEN no base profiles  WHEN reviewed  THEN the quotas manifest's forget is mapped through the release that forgets it
    const c = at(unbased, 'kubernetes_manifest.quotas--configmap--quotas--quota');
    assert.deepEqual([c.layer, c.tier, c.destructive], ['quotas', 'priority 40', false]);
  });

  it('lists the objects of a chart layer from the digests in the plan, without the profiles before', () => {
    // GIVEN no base profiles  WHEN the config layer's release is reviewed  THEN the objects come from its values before and after
    const c = at(unbased, 'helm_release.config');
    assert.deepEqual([c.destructive, c.objects], [true, { added: [], changed: ['v1 ConfigMap apps/edited'], removed: ['v1 ConfigMap apps/dropped'] }]);
  });

  it('tells a removed layer\'s CRD release by its name and its CRD-only list, without the profiles before', () => {
    // GIVEN no base profiles  WHEN helm_release.legacy--crds is reviewed  THEN unmapped, yet known as a CRD release: not destructive
    const c = at(unbased, 'helm_release.legacy--crds');
    assert.deepEqual([c.layer, c.destructive, c.objects?.removed], [null, false, ['apiextensions.k8s.io/v1 CustomResourceDefinition olds.example.com']]);
  });
});
