import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { TerraformResource } from 'cdktf';
import { LayerSpec, PlannedRole, ProfileSpec, planCluster } from '../src';
import { unhandledRole } from '../src/core/model/planned';
import { describePlan } from '../src/core/report/plan-summary';
import { TerraformData } from '../src/constructs/terraform-data';
import { addOn, helmLayer, manifestLayer, widgetCrd } from './helpers';
import { synth } from './synth-helpers';

const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: web\ndata:\n  mode: fast\n';
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gear\n  namespace: web\n';
const ZARF: LayerSpec = { kind: 'zarf', name: 'podinfo', version: '6.4.0', package: 'oci://ghcr.io/acme/packages/podinfo', values: 'pack:\n  namespace: podinfo\n' };

/** One layer for each role: a namespace it owns, a retained one, a label on one it does not own, a CRD chart, a readiness check, a kubernetes_manifest, a Zarf package. */
const EVERY_ROLE: ProfileSpec[] = [
  addOn('apps', [
    helmLayer('web', 'pack:\n  namespace: web\n  namespaceLabels:\n    shared: "team=web"\n'),
    helmLayer('db', 'pack:\n  namespace: data\n  retainNamespace: true\n'),
    manifestLayer('widgets', `${widgetCrd()}---\n${WIDGET}`, 'pack:\n  namespace: web\n  readiness:\n    - {kind: Widget, condition: Ready}\n'),
    manifestLayer('settings', CONFIG, 'pack:\n  namespace: web\n  manifestStrategy: manifest\n'),
    ZARF,
  ]),
];

/**
 * Every role, with the construct class ClusterProfiles builds for it. A `Record` over the roles: a
 * role added to the plan fails to compile here until this test says what it becomes.
 */
const BUILT_AS: Record<PlannedRole, abstract new (...args: never[]) => TerraformResource> = {
  'chart-release': Release,
  'manifest-chart': Release,
  manifest: Manifest,
  namespace: NamespaceV1,
  'retained-namespace': Release,
  'namespace-patch': Labels,
  'tier-gate': TerraformData,
  'zarf-package': TerraformData,
  'readiness-check': TerraformData,
};

describe('planned resource roles', () => {
  it('gives every planned resource the role of what it is', () => {
    // GIVEN a layer for each kind of resource  WHEN planned
    const plan = planCluster(EVERY_ROLE);
    // THEN each address has its role, and every role occurs
    assert.deepEqual(
      plan.resources.map((r) => [r.address, r.role]),
      [
        ['helm_release.db', 'chart-release'],
        ['helm_release.namespace--data', 'retained-namespace'],
        ['helm_release.web', 'chart-release'],
        ['helm_release.widgets', 'manifest-chart'],
        ['helm_release.widgets--crds', 'manifest-chart'],
        ['kubernetes_labels.web--shared', 'namespace-patch'],
        ['kubernetes_manifest.settings--configmap--web--settings', 'manifest'],
        ['kubernetes_namespace_v1.podinfo', 'namespace'],
        ['kubernetes_namespace_v1.web', 'namespace'],
        ['terraform_data.ready--widgets', 'readiness-check'],
        ['terraform_data.tier_0', 'tier-gate'],
        ['terraform_data.zarf--podinfo', 'zarf-package'],
      ],
    );
    assert.deepEqual([...new Set(plan.resources.map((r) => r.role))].sort(), Object.keys(BUILT_AS).sort());
  });

  it('builds each role as its own kind of resource, with the Terraform type the plan gives it', () => {
    // GIVEN a layer for each kind of resource  WHEN synthesized
    const { construct, json } = synth(EVERY_ROLE, { zarfKubeconfig: '/kube/config', kubectl: { kubeconfig: '/kube/config' } });
    // THEN each planned resource is built as the class of its role, under its address
    for (const planned of construct.plan.resources) {
      const built = construct.resources.get(planned.address);
      assert.ok(built instanceof BUILT_AS[planned.role], `${planned.address} (${planned.role}) is built as ${built?.constructor.name}`);
      assert.equal(built.terraformResourceType, planned.type, planned.address);
    }
    // AND only the gate is given the tier it closes
    const data = json.resource.terraform_data as Record<string, { input?: { tier?: unknown } }>;
    assert.deepEqual(
      Object.entries(data).map(([name, r]) => [name, r.input?.tier]),
      [
        ['ready--widgets', undefined],
        ['tier_0', 'priority 0'],
        ['zarf--podinfo', undefined],
      ],
    );
  });

  it('keeps the role out of every output', () => {
    // GIVEN a layer for each kind of resource  WHEN synthesized and summarized
    const { text, construct } = synth(EVERY_ROLE, { zarfKubeconfig: '/kube/config', kubectl: { kubeconfig: '/kube/config' } });
    // THEN neither the Terraform configuration nor the plan's summary names a role
    assert.doesNotMatch(text, /"role"/);
    assert.doesNotMatch(JSON.stringify(describePlan(construct.plan)), /"role"/);
  });

  it('refuses a role that a switch does not handle, naming the resource', () => {
    // GIVEN a resource of a role no switch knows (a plan built by hand)  WHEN it reaches a switch's default
    // THEN the error names its address and role
    assert.throws(() => unhandledRole({ address: 'terraform_data.mystery', role: 'mystery' } as never), {
      message: 'planned resource terraform_data.mystery has role "mystery", which is not handled here',
    });
  });
});
