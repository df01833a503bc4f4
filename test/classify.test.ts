import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findHazards, planCluster } from '../src';
import { classifyDocument, findCrdProviders } from '../src/core/resolve/classify';
import { crdDefinition, pluralsOf, readProvidesCrds } from '../src/core/resolve/classify';
import { ProblemList, ProfileError } from '../src/core/model/errors';
import { addOn, helmLayer, manifestLayer, packValues, widgetCrd } from './helpers';
import { profileErrorOf } from './synth-helpers';
import { ManifestDocument } from '../src/core/model/resolved';

const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget', plural: 'widgets' }, versions: [] },
};
const CRD_YAML = widgetCrd();
const ISSUER = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: selfsigned\nspec:\n  selfSigned: {}\n';

/** A placed document, as the planner hands them around. */
function doc(apiVersion: string, kind: string, name: string, object: Record<string, unknown> = {}): ManifestDocument {
  return { manifest: 'm', position: 1, apiVersion, kind, name, object: { apiVersion, kind, metadata: { name }, ...object } };
}

describe('classifyDocument', () => {
  const cases: [string, string, string][] = [
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crd'],
    ['cert-manager.io/v1', 'Certificate', 'custom'],
    ['snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass', 'custom'],
    ['gateway.networking.k8s.io/v1', 'Gateway', 'custom'],
    ['metrics.k8s.io/v1beta1', 'PodMetrics', 'custom'],
    ['v1', 'ConfigMap', 'built-in'],
    ['apps/v1', 'Deployment', 'built-in'],
    ['networking.k8s.io/v1', 'Ingress', 'built-in'],
    ['apiextensions.k8s.io/v1', 'Something', 'built-in'],
  ];
  for (const [apiVersion, kind, expected] of cases) {
    it(`calls ${apiVersion} ${kind} ${expected}`, () => {
      // GIVEN a document's apiVersion and kind WHEN classified THEN by the group Kubernetes serves
      assert.equal(classifyDocument(apiVersion, kind), expected);
    });
  }
});

describe('crdDefinition', () => {
  it('reads the name, group, kind, plural and scope of a CRD', () => {
    // GIVEN a cluster-scoped Widget CRD WHEN read THEN every part
    assert.deepEqual(crdDefinition(WIDGET_CRD), { name: 'widgets.example.com', group: 'example.com', kind: 'Widget', plural: 'widgets', scope: 'Cluster' });
  });

  it('reads nothing from other documents', () => {
    // GIVEN a ConfigMap, and a CRD without group WHEN read THEN nothing
    assert.equal(crdDefinition({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), undefined);
    assert.equal(crdDefinition({ ...WIDGET_CRD, spec: { names: { kind: 'Widget' } } }), undefined);
  });
});

describe('readProvidesCrds', () => {
  const where = { profile: 'p', layer: 'cert-manager' };

  it('reads a list, a comma-separated string and group wildcards, sorted without repeats', () => {
    // GIVEN both forms
    const problems = new ProblemList();
    // WHEN read THEN the names, sorted
    assert.deepEqual(readProvidesCrds(['issuers.cert-manager.io', 'certificates.cert-manager.io', 'issuers.cert-manager.io'], where, problems), ['certificates.cert-manager.io', 'issuers.cert-manager.io']);
    assert.deepEqual(readProvidesCrds('*.cert-manager.io, *.acme.cert-manager.io', where, problems), ['*.acme.cert-manager.io', '*.cert-manager.io']);
    assert.equal(problems.empty, true);
  });

  it('names each entry that is no CRD name', () => {
    // GIVEN a kind, a group without a dot and a number
    const problems = new ProblemList();
    readProvidesCrds(['Certificate', 'widgets.local', 3], where, problems);
    // WHEN the problems are thrown THEN each entry is named with the expected form
    assert.throws(() => problems.throwIfAny(), (err: ProfileError) => {
      assert.deepEqual(err.message.split('\n'), [
        'profile "p" layer "cert-manager": pack.providesCrds[0] "Certificate" must be a CRD name "<plural>.<group>" such as "certificates.cert-manager.io", or "*.<group>" for every CRD of a group',
        'profile "p" layer "cert-manager": pack.providesCrds[1] "widgets.local" must be a CRD name "<plural>.<group>" such as "certificates.cert-manager.io", or "*.<group>" for every CRD of a group',
        'profile "p" layer "cert-manager": pack.providesCrds[2] 3 must be a CRD name "<plural>.<group>" such as "certificates.cert-manager.io", or "*.<group>" for every CRD of a group',
      ]);
      return true;
    });
  });

  it('is reported from the pack block when the cluster is planned', () => {
    // GIVEN a Helm layer whose pack block declares a map
    const profiles = [addOn('p', [helmLayer('cert-manager', 'pack:\n  namespace: cert-manager\n  providesCrds: {a: b}\n')])];
    // WHEN planned THEN the layer and field are named
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "p" layer "cert-manager": pack.providesCrds must be a CRD name "<plural>.<group>" such as "certificates.cert-manager.io", or "*.<group>" for every CRD of a group; give one, a comma-separated list or a list; found {"a":"b"}',
    );
  });
});

describe('findCrdProviders', () => {
  it('finds the layer whose documents define the CRD, before any declaration', () => {
    // GIVEN the Widget CRD as a document of "operator", and "chart" declaring it too
    const providers = findCrdProviders([
      { name: 'operator', settings: {}, documents: [doc('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', WIDGET_CRD)] },
      { name: 'chart', settings: { providesCrds: ['widgets.example.com'] } },
    ]);
    // WHEN a Widget's provider is asked THEN the defining layer
    assert.deepEqual(providers.providersOf('example.com', 'Widget'), ['operator']);
    assert.deepEqual([...providers.definitions.keys()], ['widgets.example.com']);
  });

  it('finds declared CRDs by the kind\'s plural or by group, and nothing for other kinds', () => {
    // GIVEN one layer naming two cert-manager CRDs, another a policy CRD, a third a whole group
    const providers = findCrdProviders([
      { name: 'cert-manager', settings: { providesCrds: ['certificates.cert-manager.io', 'clusterissuers.cert-manager.io'] } },
      { name: 'kyverno', settings: { providesCrds: ['clusterpolicies.kyverno.io'] } },
      { name: 'prometheus', settings: { providesCrds: ['*.monitoring.coreos.com'] } },
    ]);
    // WHEN asked by kind THEN the declaring layers
    assert.deepEqual(providers.providersOf('cert-manager.io', 'Certificate'), ['cert-manager']);
    assert.deepEqual(providers.providersOf('cert-manager.io', 'ClusterIssuer'), ['cert-manager']);
    assert.deepEqual(providers.providersOf('kyverno.io', 'ClusterPolicy'), ['kyverno']);
    assert.deepEqual(providers.providersOf('monitoring.coreos.com', 'ServiceMonitor'), ['prometheus']);
    assert.deepEqual(providers.providersOf('cert-manager.io', 'Issuer'), []);
    assert.deepEqual(providers.providersOf('example.com', 'Certificate'), []);
  });

  it('lists the plurals Kubernetes names CRDs with', () => {
    // GIVEN kinds with regular and -y plurals WHEN asked THEN the candidates
    assert.deepEqual(pluralsOf('Prometheus'), ['prometheuss', 'prometheuses', 'prometheus']);
    assert.deepEqual(pluralsOf('ClusterPolicy'), ['clusterpolicys', 'clusterpolicyes', 'clusterpolicy', 'clusterpolicies']);
  });
});

describe('hazards with CRDs declared by Helm layers', () => {
  const hazardsOf = (profiles: Parameters<typeof planCluster>[0]): string[] => findHazards(planCluster(profiles)).map((h) => `${h.kind} [${h.layers.join(', ')}] ${h.message}`);

  it('accepts custom resources whose CRDs a Helm layer of an earlier tier declares', () => {
    // GIVEN cert-manager at priority -10 declaring its group, the ClusterIssuer at 0
    const profiles = [addOn('p', [helmLayer('cert-manager', 'pack:\n  namespace: cert-manager\n  spectrocloud.com/install-priority: -10\n  providesCrds: "*.cert-manager.io"\n'), manifestLayer('issuers', ISSUER, packValues('issuers'))])];
    // WHEN checked THEN no hazard
    assert.deepEqual(hazardsOf(profiles), []);
  });

  it('reports custom resources in the tier of the Helm layer declaring their CRD', () => {
    // GIVEN cert-manager and the ClusterIssuer both at priority 0
    const profiles = [addOn('p', [helmLayer('cert-manager', 'pack:\n  namespace: cert-manager\n  providesCrds: clusterissuers.cert-manager.io\n'), manifestLayer('issuers', ISSUER, packValues('issuers'))])];
    // WHEN checked THEN the install and the teardown hazards name the Helm layer
    assert.deepEqual(hazardsOf(profiles), [
      'crd-order [cert-manager, issuers] layer "issuers" creates 1 ClusterIssuer object (cert-manager.io), whose CustomResourceDefinition comes from layer "cert-manager" in the same tier (priority 0): they cannot be created before the CRD is established; give "issuers" a higher install priority than "cert-manager"',
      'operator-teardown [cert-manager, issuers] layer "issuers" creates 1 ClusterIssuer object (cert-manager.io) that are destroyed together with the layer defining their kind ("cert-manager"): the operator may be gone before it clears their finalizers, and their deletion then hangs; give "issuers" a higher install priority than "cert-manager"',
    ]);
  });

  it('prefers the layer defining the CRD as a document over a layer declaring it', () => {
    // GIVEN the Widget CRD as a document at priority 5 and declared by a Helm layer at priority -5, the Widget at 0
    const profiles = [
      addOn('p', [
        manifestLayer('late-operator', CRD_YAML, packValues('late', 5)),
        helmLayer('early-chart', 'pack:\n  namespace: early\n  spectrocloud.com/install-priority: -5\n  providesCrds: widgets.example.com\n'),
        manifestLayer('widgets', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n', packValues('widgets')),
      ]),
    ];
    // WHEN checked THEN the document wins: the CRD comes from the later layer, in both hazards
    assert.deepEqual(hazardsOf(profiles).map((h) => h.slice(0, h.indexOf(']') + 1)), ['crd-order [late-operator, widgets]', 'operator-teardown [late-operator, widgets]']);
  });
});
