import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InstallPlan, LayerSpec, PlannedResource, ProfileSpec, describePlan, formatPlan, planCluster } from '../src';
import { gateName } from '../src/core/plan/plan';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';

/** The resource of a plan at `address`; fails when there is none. */
function resource(plan: InstallPlan, address: string): PlannedResource {
  const found = plan.resources.find((r) => r.address === address);
  assert.ok(found, `no resource ${address} in ${plan.resources.map((r) => r.address).join(', ')}`);
  return found;
}

/** Each address with its dependsOn. */
function edges(plan: InstallPlan): Record<string, readonly string[]> {
  return Object.fromEntries(plan.resources.map((r) => [r.address, r.dependsOn]));
}

function full(layers: LayerSpec[]): ProfileSpec {
  return { name: 'base', type: 'full', layers };
}

describe('planInstall', () => {
  it('groups layers of equal priority into one tier and orders tiers by priority, lowest first', () => {
    // GIVEN three layers at priorities 10, -5 and 10
    const profiles = [addOn('p', [helmLayer('b', packValues('b', 10)), helmLayer('a', packValues('a', -5)), helmLayer('c', packValues('c', 10))])];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN two tiers, -5 then 10, with the equal-priority layers together
    assert.deepEqual(
      plan.tiers.map((t) => [t.priority, t.layers.map((l) => l.name)]),
      [
        [-5, ['a']],
        [10, ['b', 'c']],
      ],
    );
  });

  it('links tiers only through gates: no edge between members of one tier, each member waits for the previous gate', () => {
    // GIVEN layers a (priority 0) and b, c (priority 10), each in its own namespace
    const profiles = [addOn('p', [helmLayer('a', packValues('a', 0)), helmLayer('b', packValues('b', 10)), helmLayer('c', packValues('c', 10))])];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN the full edge list: namespaces wait for the previous gate, releases for it and their namespace, gates for their tier
    assert.deepEqual(edges(plan), {
      'helm_release.a': ['kubernetes_namespace_v1.a'],
      'kubernetes_namespace_v1.a': [],
      'terraform_data.tier_0': ['helm_release.a', 'kubernetes_namespace_v1.a'],
      'helm_release.b': ['kubernetes_namespace_v1.b', 'terraform_data.tier_0'],
      'helm_release.c': ['kubernetes_namespace_v1.c', 'terraform_data.tier_0'],
      'kubernetes_namespace_v1.b': ['terraform_data.tier_0'],
      'kubernetes_namespace_v1.c': ['terraform_data.tier_0'],
      'terraform_data.tier_10': ['helm_release.b', 'helm_release.c', 'kubernetes_namespace_v1.b', 'kubernetes_namespace_v1.c', 'terraform_data.tier_0'],
    });
  });

  it('names gates after their priority, never after a position', () => {
    // GIVEN the three kinds of tier
    // WHEN named
    // THEN readable, position-free names
    assert.deepEqual([gateName('infra:cni'), gateName('infra:csi'), gateName(-10), gateName(30)], ['tier_infra-cni', 'tier_infra-csi', 'tier_-10', 'tier_30']);
  });

  it('puts cni, then csi, before every add-on tier whatever their priorities', () => {
    // GIVEN a CNI at priority 100, a CSI at 50 and an add-on at -100
    const profiles = [
      full([
        helmLayer('cilium', packValues(undefined, 100), { slot: 'cni' }),
        helmLayer('longhorn', packValues('longhorn-system', 50), { slot: 'csi' }),
        helmLayer('early', packValues('early', -100)),
      ]),
    ];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN infra:cni, infra:csi, then priority -100
    assert.deepEqual(
      plan.tiers.map((t) => [t.label, t.layers.map((l) => l.name), t.gate]),
      [
        ['infra:cni', ['cilium'], 'terraform_data.tier_infra-cni'],
        ['infra:csi', ['longhorn'], 'terraform_data.tier_infra-csi'],
        ['priority -100', ['early'], 'terraform_data.tier_-100'],
      ],
    );
    assert.deepEqual(resource(plan, 'helm_release.early').dependsOn, ['kubernetes_namespace_v1.early', 'terraform_data.tier_infra-csi']);
  });

  it('reports os and k8s layers but deploys nothing for them', () => {
    // GIVEN a full profile with os, k8s and one add-on
    const profiles = [
      full([
        { kind: 'pack', name: 'ubuntu', slot: 'os', version: '22.04.4' },
        { kind: 'pack', name: 'k3s', slot: 'k8s', version: '1.29.5' },
        helmLayer('app', packValues('app')),
      ]),
    ];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN they are cluster layers, in no tier, with no resource, and in the summary with tier "cluster"
    assert.deepEqual(
      plan.clusterLayers.map((l) => l.name),
      ['ubuntu', 'k3s'],
    );
    assert.deepEqual(
      plan.tiers.flatMap((t) => t.layers.map((l) => l.name)),
      ['app'],
    );
    assert.deepEqual(
      plan.resources.filter((r) => r.layer === 'ubuntu' || r.layer === 'k3s'),
      [],
    );
    assert.deepEqual(
      describePlan(plan).layers.map((l) => [l.name, l.slot, l.tier]),
      [
        ['ubuntu', 'os', 'cluster'],
        ['k3s', 'k8s', 'cluster'],
        ['app', 'addon', 'priority 0'],
      ],
    );
  });

  it('orders layers of all profiles by one global priority', () => {
    // GIVEN profile "one" with x at 10 and profile "two" with y at 5 and z at 10
    const profiles = [addOn('one', [helmLayer('x', packValues('x', 10))]), addOn('two', [helmLayer('y', packValues('y', 5)), helmLayer('z', packValues('z', 10))])];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN y first, then x and z together
    assert.deepEqual(
      plan.tiers.map((t) => [t.priority, t.layers.map((l) => `${l.profile}/${l.name}`)]),
      [
        [5, ['two/y']],
        [10, ['one/x', 'two/z']],
      ],
    );
  });

  it('makes one namespace resource for a namespace several layers name, created in the earliest tier', () => {
    // GIVEN "monitoring" named by layers at priorities 20 and 25, labelled by both
    const profiles = [
      addOn('p', [
        helmLayer('prometheus', 'pack:\n  namespace: monitoring\n  spectrocloud.com/install-priority: "20"\n  namespaceLabels:\n    monitoring: "team=sre"\n'),
        helmLayer('blackbox', 'pack:\n  namespace: blackbox\n  additionalNamespaces: monitoring\n  spectrocloud.com/install-priority: "25"\n  namespaceLabels:\n    monitoring: "org=platform"\n'),
      ]),
    ];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN one namespace, owned by both, labels merged, in tier 20 (index 0), waited for by both releases
    const ns = plan.resources.filter((r) => r.type === 'kubernetes_namespace_v1' && r.name === 'monitoring');
    assert.deepEqual(ns, [
      {
        role: 'namespace',
        type: 'kubernetes_namespace_v1',
        name: 'monitoring',
        address: 'kubernetes_namespace_v1.monitoring',
        tier: 0,
        dependsOn: [],
        namespace: 'monitoring',
        owners: ['blackbox', 'prometheus'],
        labels: { org: 'platform', team: 'sre' },
        annotations: {},
      },
    ]);
    assert.deepEqual(resource(plan, 'helm_release.blackbox').dependsOn, ['kubernetes_namespace_v1.blackbox', 'kubernetes_namespace_v1.monitoring', 'terraform_data.tier_20']);
    assert.deepEqual(resource(plan, 'helm_release.prometheus').dependsOn, ['kubernetes_namespace_v1.monitoring']);
  });

  it('creates a namespace in the tier of an earlier layer that places a document there', () => {
    // GIVEN "apps" owned by a layer at 10, but a manifest layer at 0 puts a ConfigMap into it,
    // installed as a generated chart (the default) or as one kubernetes_manifest per document
    const profiles = (strategy: string): ProfileSpec[] => [
      addOn('p', [
        helmLayer('app', packValues('apps', 10)),
        manifestLayer('config', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\n', packValues(undefined, 0, strategy)),
      ]),
    ];
    // WHEN planned
    const chart = planCluster(profiles(''));
    const manifest = planCluster(profiles('  manifestStrategy: manifest\n'));
    // THEN the namespace is in tier 0 and the ConfigMap's resource waits for it
    assert.equal(resource(chart, 'kubernetes_namespace_v1.apps').tier, 0);
    assert.deepEqual(resource(chart, 'helm_release.config').dependsOn, ['kubernetes_namespace_v1.apps']);
    assert.equal(resource(manifest, 'kubernetes_namespace_v1.apps').tier, 0);
    assert.deepEqual(resource(manifest, 'kubernetes_manifest.config--configmap--apps--settings').dependsOn, ['kubernetes_namespace_v1.apps']);
  });

  it('rejects two layers setting one label of a shared namespace to different values', () => {
    // GIVEN team=a and team=b on "shared"
    const profiles = [
      addOn('p', [
        helmLayer('one', 'pack:\n  namespace: shared\n  namespaceLabels:\n    shared: "team=a"\n'),
        helmLayer('two', 'pack:\n  namespace: shared\n  namespaceLabels:\n    shared: "team=b"\n', { chart: 'two' }),
      ]),
    ];
    // WHEN planned
    // THEN the conflict names both layers
    assert.throws(() => planCluster(profiles), {
      name: 'ProfileError',
      message: 'profile "p" layer "two": pack.namespaceLabels.shared sets "team=b", but layer "one" sets "team=a" on the same namespace; make them agree',
    });
  });

  it('patches labels and annotations onto namespaces the profiles do not create, never creating system namespaces', () => {
    // GIVEN a layer in kube-system labelling "default" and annotating "kube-system"
    const profiles = [
      addOn('p', [helmLayer('agent', 'pack:\n  namespace: kube-system\n  namespaceLabels:\n    default: "user=demo"\n  namespaceAnnotations:\n    kube-system: "example.com/by=agent"\n')]),
    ];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN no namespace resource; one labels and one annotations patch, each waiting like the layer's release
    assert.deepEqual(
      plan.resources.map((r) => r.address),
      ['helm_release.agent', 'kubernetes_annotations.agent--kube-system', 'kubernetes_labels.agent--default', 'terraform_data.tier_0'],
    );
    assert.deepEqual(resource(plan, 'kubernetes_labels.agent--default'), {
      role: 'namespace-patch',
      type: 'kubernetes_labels',
      name: 'agent--default',
      address: 'kubernetes_labels.agent--default',
      tier: 0,
      layer: 'agent',
      namespace: 'default',
      entries: { user: 'demo' },
      dependsOn: [],
    });
  });

  it('makes one manifest resource per document, named after layer, kind, namespace and name', () => {
    // GIVEN a manifest with a Deployment and a ClusterRole, in a layer with pack.manifestStrategy: manifest
    const content = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n';
    // WHEN planned
    const plan = planCluster([addOn('p', [manifestLayer('site', content, packValues('site', undefined, '  manifestStrategy: manifest\n'))])]);
    // THEN a namespaced and a cluster-scoped name, both waiting for the layer namespace
    assert.deepEqual(
      plan.resources.filter((r) => r.type === 'kubernetes_manifest').map((r) => [r.address, r.dependsOn]),
      [
        ['kubernetes_manifest.site--clusterrole--reader', ['kubernetes_namespace_v1.site']],
        ['kubernetes_manifest.site--deployment--site--web', ['kubernetes_namespace_v1.site']],
      ],
    );
  });

  it('makes one helm_release of a manifest layer by default, forgetting the kubernetes_manifest addresses of its documents', () => {
    // GIVEN a manifest layer "site", formerly "web", with a Deployment and a ClusterRole, and no pack.manifestStrategy
    const content = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n';
    // WHEN planned
    const plan = planCluster([addOn('p', [manifestLayer('site', content, packValues('site', undefined, '  previousNames: [web]\n'))])]);
    // THEN the layer is exactly one helm_release, and no document has a kubernetes_manifest
    assert.deepEqual(plan.resources.filter((r) => r.layer === 'site').map((r) => [r.type, r.address]), [['helm_release', 'helm_release.site']]);
    assert.deepEqual(plan.resources.filter((r) => r.type === 'kubernetes_manifest'), []);
    // AND the release forgets, sorted, the address each document has with one kubernetes_manifest
    // each, under the layer's name and under its earlier name
    const release = resource(plan, 'helm_release.site');
    assert.ok(release.role === 'manifest-chart');
    assert.deepEqual(release.forgets, [
      'kubernetes_manifest.site--clusterrole--reader',
      'kubernetes_manifest.site--deployment--site--web',
      'kubernetes_manifest.web--clusterrole--reader',
      'kubernetes_manifest.web--deployment--site--web',
    ]);
    // AND those are the addresses the same layer gets with pack.manifestStrategy: manifest, and moves from
    const perDocument = planCluster([addOn('p', [manifestLayer('site', content, packValues('site', undefined, '  previousNames: [web]\n  manifestStrategy: manifest\n'))])]);
    const kept = perDocument.resources.filter((r) => r.type === 'kubernetes_manifest').map((r) => r.address);
    assert.deepEqual([...kept, ...perDocument.moves.map((m) => m.from)].sort(), release.forgets);
  });
});

describe('describePlan and formatPlan', () => {
  const profiles = [
    full([
      { kind: 'pack', name: 'k3s', slot: 'k8s', version: '1.29.5' },
      helmLayer('cilium', packValues('kube-system'), { slot: 'cni' }),
      helmLayer('cert-manager', packValues('cert-manager', -10)),
      manifestLayer('app', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', packValues('app', 5)),
    ]),
  ];

  it('lists the destroy order as the install order reversed, tier by tier and layer by layer', () => {
    // GIVEN three tiers
    // WHEN described
    const summary = describePlan(planCluster(profiles));
    // THEN destroy is install reversed
    assert.deepEqual(summary.install, [
      { priority: 'infra:cni', layers: ['cilium'] },
      { priority: -10, layers: ['cert-manager'] },
      { priority: 5, layers: ['app'] },
    ]);
    assert.deepEqual(summary.destroy, [
      { priority: 5, layers: ['app'] },
      { priority: -10, layers: ['cert-manager'] },
      { priority: 'infra:cni', layers: ['cilium'] },
    ]);
  });

  it('prints the tiers for a person to read', () => {
    // GIVEN the same plan
    // WHEN formatted
    // THEN this text
    assert.equal(
      formatPlan(planCluster(profiles)),
      [
        'Profiles: base 1.0.0 (full)',
        '  cluster     k8s   k3s 1.29.5 (describes the cluster; deploys nothing)',
        'Install order (each tier starts when every earlier tier is ready):',
        '   1. infra:cni',
        '      cilium  [helm cilium 1.0.0]  ns kube-system  (profile base)',
        '   2. priority -10',
        '      cert-manager  [helm cert-manager 1.0.0]  ns cert-manager, creates cert-manager  (profile base)',
        '   3. priority 5',
        '      app  [manifest 1.0.0: app (1 object)]  ns app, creates app  (profile base)',
        'Destroy order: priority 5 -> priority -10 -> infra:cni',
      ].join('\n'),
    );
  });
});
