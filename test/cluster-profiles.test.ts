import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import { ClusterProfiles, ClusterStack, LayerSpec, ProfileSpec, loadProfileFiles } from '../src';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';
import { REPO, TfJson, addresses, createOrder, dependencyGraph, synth, testApp, transitiveDependencies } from './synth-helpers';

const REGISTRIES = { Charts: 'https://charts.example.com' };
const fixture = (name: string): string => join(REPO, 'test', 'fixtures', name);

/** The web-platform and team-addons fixtures written as TypeScript objects. */
function fixtureProfilesAsObjects(): ProfileSpec[] {
  return [
    {
      name: 'web-platform',
      version: '2.0.1',
      type: 'full',
      description: 'A small full profile for tests',
      layers: [
        { kind: 'pack', name: 'ubuntu', slot: 'os', version: '22.04.4', registry: 'Public Repo', registryUid: 'public-uid', values: 'pack:\n  content:\n    images: []\n' },
        { kind: 'pack', name: 'k3s', slot: 'k8s', version: '1.29.5', tag: '1.29.x', registry: 'Public Repo', registryUid: 'public-uid' },
        { kind: 'helm', name: 'cilium', slot: 'cni', version: '1.15.6', registry: 'Charts', registryUid: 'charts-uid', values: 'pack:\n  namespace: kube-system\nkubeProxyReplacement: true\n' },
        {
          kind: 'helm',
          name: 'web',
          version: '3.2.1',
          repository: 'https://charts.example.com',
          values: 'pack:\n  namespace: web\n  spectrocloud.com/install-priority: "10"\n  namespaceLabels:\n    web: "team=web"\n# shown to Helm\ngreeting: "${USER} says %{hi}"\n',
        },
        {
          kind: 'manifest',
          name: 'site',
          values: { pack: { namespace: 'web', 'spectrocloud.com/install-priority': '20' } },
          manifests: [
            {
              name: 'site',
              content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: site\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: site\n  template:\n    metadata:\n      labels:\n        app: site\n    spec:\n      containers:\n        - name: site\n          image: nginx:1.27\n---\n# empty\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: site\n',
            },
          ],
        },
      ],
    },
    addOn('team-addons', [helmLayer('metrics', packValues('metrics', 10), { version: '0.7.1', repository: undefined, registry: 'Charts', registryUid: 'charts-uid' })]),
  ];
}

/** The construct path of every resource, from the `//` metadata. */
function paths(full: TfJson): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, byName] of Object.entries(full.resource as Record<string, Record<string, TfJson>>)) {
    for (const [name, body] of Object.entries(byName)) out[`${type}.${name}`] = body['//'].metadata.path;
  }
  return out;
}

describe('ClusterProfiles: Helm layers', () => {
  it('makes a helm_release that waits for readiness and jobs, with the default timeout of 600 seconds', () => {
    // GIVEN a Helm layer in namespace "web" with values
    const profiles = [addOn('p', [helmLayer('web', 'pack:\n  namespace: web\nreplicas: 2\n', { chart: 'nginx', version: '15.1.0' })])];
    // WHEN synthesized
    const { text, json } = synth(profiles);
    // THEN the release has exactly these properties
    assert.ok(Testing.toHaveResourceWithProperties(text, 'helm_release', { name: 'nginx', wait: true, wait_for_jobs: true, timeout: 600 }));
    assert.deepEqual(json.resource.helm_release.web, {
      chart: 'nginx',
      create_namespace: false,
      depends_on: ['kubernetes_namespace_v1.web'],
      name: 'nginx',
      namespace: 'web',
      repository: 'https://charts.example.com',
      timeout: 600,
      values: ['replicas: 2\n'],
      version: '15.1.0',
      wait: true,
      wait_for_jobs: true,
    });
  });

  it('uses the layer\'s timeoutSeconds for releases, generated charts and manifests', () => {
    // GIVEN a Helm layer, a manifest layer (a generated chart) and a manifest layer with pack.manifestStrategy: manifest, each with 120 seconds
    const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
    const profiles = [
      addOn('p', [
        helmLayer('web', undefined, { timeoutSeconds: 120 }),
        manifestLayer('cm', configMap('a'), undefined, { timeoutSeconds: 120 }),
        manifestLayer('objects', configMap('b'), 'pack:\n  manifestStrategy: manifest\n', { timeoutSeconds: 120 }),
      ]),
    ];
    // WHEN synthesized
    const { json } = synth(profiles);
    // THEN all three use it
    assert.equal(json.resource.helm_release.web.timeout, 120);
    assert.equal(json.resource.helm_release.cm.timeout, 120);
    assert.deepEqual(json.resource.kubernetes_manifest['objects--configmap--default--b'].timeouts, { create: '120s', delete: '120s', update: '120s' });
  });

  it('gives Helm no values when only the pack block was there', () => {
    // GIVEN values that are only a pack block
    // WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('web', packValues('web', 5))])]);
    // THEN no values attribute
    assert.equal('values' in json.resource.helm_release.web, false);
  });
});

describe('ClusterProfiles: values with unusual characters', () => {
  it('escapes ${ and %{ in Helm values so Terraform passes them through literally', () => {
    // GIVEN values with interpolation-like text, an already doubled "$${" and such a key
    const values = 'greeting: "${USER} says %{ if x }hi%{ endif }"\nraw: "$${kept}"\n"${key}": "100% $ sure"\n';
    // WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('web', values)])]);
    // THEN every "${" is "$${" and every "%{" is "%%{", nothing else changed
    assert.deepEqual(json.resource.helm_release.web.values, ['greeting: "$${USER} says %%{ if x }hi%%{ endif }"\nraw: "$$${kept}"\n"$${key}": "100% $ sure"\n']);
  });

  it('escapes strings and keys of manifests the same way, and keeps unicode', () => {
    // GIVEN a ConfigMap whose keys and values hold template-like text and unicode, in a layer of one kubernetes_manifest per document
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tpl\ndata:\n  "${file}.tpl": "Hello ${name} %{greeting} — ✓ 🚀"\n';
    // WHEN synthesized
    const { json } = synth([addOn('p', [manifestLayer('tpl', content, 'pack:\n  manifestStrategy: manifest\n')])]);
    // THEN the object reaches Terraform escaped
    assert.deepEqual(json.resource.kubernetes_manifest['tpl--configmap--default--tpl'].manifest, {
      apiVersion: 'v1',
      data: { '$${file}.tpl': 'Hello $${name} %%{greeting} — ✓ 🚀' },
      kind: 'ConfigMap',
      metadata: { name: 'tpl', namespace: 'default' },
    });
  });

  it('synthesizes values holding text that looks like a CDKTF token', () => {
    // GIVEN values with CDKTF's string, list and map token markers (one of them an existing token's key)
    const values = 'a: "${TfToken[TOKEN.1]}"\nb: "#{TfToken[TOKEN.999]}"\nc: "&{TfToken[TOKEN.2]}"\nd: "$${TfToken[TOKEN.3]}"\n';
    // WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('web', values)])]);
    // THEN the text is kept, with the markers broken up by interpolations Terraform evaluates back to it
    assert.deepEqual(json.resource.helm_release.web.values, [
      'a: "${"$"}{TfToken[TOKEN.1]}"\nb: "#${""}{TfToken[TOKEN.999]}"\nc: "&${""}{TfToken[TOKEN.2]}"\nd: "${"$"}${"$"}{TfToken[TOKEN.3]}"\n',
    ]);
  });
});

describe('ClusterProfiles: manifest layers with pack.manifestStrategy: manifest', () => {
  it('makes one kubernetes_manifest per document with the readiness wait of its kind', () => {
    // GIVEN one document of each kind with a wait, and a ConfigMap, in a layer of one kubernetes_manifest per document
    const doc = (apiVersion: string, kind: string, name: string): string => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
    const content = [
      doc('apps/v1', 'Deployment', 'web'),
      doc('apps/v1', 'StatefulSet', 'db'),
      doc('apps/v1', 'DaemonSet', 'agent'),
      `${doc('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com')}spec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets}\n  versions: [{name: v1, served: true, storage: true}]\n`,
      doc('batch/v1', 'Job', 'migrate'),
      doc('v1', 'ConfigMap', 'settings'),
    ].join('---\n');
    // WHEN synthesized
    const { json } = synth([addOn('p', [manifestLayer('app', content, packValues('app', undefined, '  manifestStrategy: manifest\n'))])]);
    // THEN each has the documented wait, the ConfigMap none
    const waits = Object.fromEntries(Object.entries(json.resource.kubernetes_manifest as Record<string, TfJson>).map(([name, body]) => [name, body.wait]));
    assert.deepEqual(waits, {
      'app--customresourcedefinition--widgets_example_com_9dc84173': { condition: [{ status: 'True', type: 'Established' }] },
      'app--daemonset--app--agent': { rollout: true },
      'app--deployment--app--web': { rollout: true },
      'app--job--app--migrate': { condition: [{ status: 'True', type: 'Complete' }] },
      'app--statefulset--app--db': { rollout: true },
      'app--configmap--app--settings': undefined,
    });
  });

  it('fills in the layer namespace, and none for cluster-scoped kinds', () => {
    // GIVEN a Deployment without namespace and a ClusterRole naming one, in a layer of one kubernetes_manifest per document
    const content = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: app\n';
    // WHEN synthesized
    const { json } = synth([addOn('p', [manifestLayer('app', content, packValues('app', undefined, '  manifestStrategy: manifest\n'))])]);
    // THEN the Deployment is in "app" and the ClusterRole has no namespace
    assert.deepEqual(json.resource.kubernetes_manifest['app--deployment--app--web'].manifest.metadata, { name: 'web', namespace: 'app' });
    assert.deepEqual(json.resource.kubernetes_manifest['app--clusterrole--reader'].manifest.metadata, { name: 'reader' });
  });
});

describe('ClusterProfiles: namespaces', () => {
  it('makes a kubernetes_namespace_v1 with the labels and annotations of the pack block', () => {
    // GIVEN a layer creating "monitoring" with labels and an annotation holding a comma
    const values = 'pack:\n  namespace: monitoring\n  namespaceLabels:\n    monitoring: "org=platform,team=sre"\n  namespaceAnnotations:\n    monitoring: "example.com/owners=a,b"\n';
    // WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('prom', values)])]);
    // THEN exactly this namespace
    assert.deepEqual(json.resource.kubernetes_namespace_v1, {
      monitoring: {
        metadata: { annotations: { 'example.com/owners': 'a,b' }, labels: { org: 'platform', team: 'sre' }, name: 'monitoring' },
      },
    });
  });

  it('makes one namespace resource for a namespace shared by layers of two profiles', () => {
    // GIVEN "shared" named by layers of two profiles
    const profiles = [addOn('one', [helmLayer('a', packValues('shared', 1))]), addOn('two', [helmLayer('b', 'pack:\n  namespace: b\n  additionalNamespaces: [shared]\n')])];
    // WHEN synthesized
    const { json } = synth(profiles);
    // THEN "shared" appears once, and both releases wait for it
    assert.deepEqual(Object.keys(json.resource.kubernetes_namespace_v1), ['b', 'shared']);
    assert.deepEqual(json.resource.helm_release.a.depends_on, ['kubernetes_namespace_v1.shared', 'terraform_data.tier_0']);
    assert.deepEqual(json.resource.helm_release.b.depends_on, ['kubernetes_namespace_v1.b', 'kubernetes_namespace_v1.shared']);
  });

  it('patches labels and annotations onto namespaces it does not create, and never creates system namespaces', () => {
    // GIVEN a layer in kube-system, additionally naming default, labelling default and annotating kube-public
    const values = 'pack:\n  namespace: kube-system\n  additionalNamespaces: default\n  namespaceLabels:\n    default: "user=demo"\n  namespaceAnnotations:\n    kube-public: "example.com/by=agent"\n';
    // WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('agent', values)])]);
    // THEN no namespace resource, one kubernetes_labels and one kubernetes_annotations
    assert.equal(json.resource.kubernetes_namespace_v1, undefined);
    assert.deepEqual(json.resource.kubernetes_labels, {
      'agent--default': { api_version: 'v1', field_manager: 'cluster-profiles-agent', kind: 'Namespace', labels: { user: 'demo' }, metadata: { name: 'default' } },
    });
    assert.deepEqual(json.resource.kubernetes_annotations, {
      'agent--kube-public': {
        annotations: { 'example.com/by': 'agent' },
        api_version: 'v1',
        field_manager: 'cluster-profiles-agent',
        kind: 'Namespace',
        metadata: { name: 'kube-public' },
      },
    });
  });
});

describe('ClusterProfiles: tiers and gates', () => {
  it('makes one terraform_data gate per tier, waiting for its tier and the previous gate', () => {
    // GIVEN layers at priorities 0, 10 and 10
    const profiles = [addOn('p', [helmLayer('a', packValues('a', 0)), helmLayer('b', packValues('b', 10)), helmLayer('c', packValues('c', 10))])];
    // WHEN synthesized
    const { json } = synth(profiles);
    // THEN two gates with the tier's label and layers
    assert.deepEqual(json.resource.terraform_data, {
      tier_0: { depends_on: ['helm_release.a', 'kubernetes_namespace_v1.a'], input: { layers: ['a'], tier: 'priority 0' } },
      tier_10: {
        depends_on: ['helm_release.b', 'helm_release.c', 'kubernetes_namespace_v1.b', 'kubernetes_namespace_v1.c', 'terraform_data.tier_0'],
        input: { layers: ['b', 'c'], tier: 'priority 10' },
      },
    });
  });

  it('implies a destroy order that is the exact reverse of the install order', () => {
    // GIVEN the example cluster
    const registries = JSON.parse(readFileSync(join(REPO, 'examples', 'profiles', 'registries.json'), 'utf8')) as Record<string, string>;
    const profiles = loadProfileFiles([join(REPO, 'examples', 'profiles', 'edge-platform.json'), join(REPO, 'examples', 'profiles', 'team-observability.json')]);
    const { json, construct } = synth(profiles, { registries });
    // WHEN its dependency graph is walked
    const graph = dependencyGraph(json);
    const create = createOrder(graph);
    const destroy = [...create].reverse();
    // THEN the gates chain in tier order
    const gates = construct.plan.tiers.map((t) => t.gate);
    gates.slice(1).forEach((gate, i) => assert.ok(graph.get(gate)!.includes(gates[i]), `${gate} must wait for ${gates[i]}`));
    // AND every resource of a later tier transitively waits for every layer resource of an earlier tier, none for its own tier's
    const tierOf = new Map(construct.plan.resources.map((r) => [r.address, r.tier]));
    const layerResources = construct.plan.resources.filter((r) => r.layer !== undefined);
    for (const later of layerResources) {
      const waits = transitiveDependencies(graph, later.address);
      for (const earlier of layerResources) {
        if (earlier.tier < later.tier) assert.ok(waits.has(earlier.address), `${later.address} must wait for ${earlier.address}`);
        // (within one layer, a readiness check waits for its release: layers of a tier run in parallel)
        if (earlier.tier === later.tier && earlier.layer !== later.layer) assert.ok(!waits.has(earlier.address), `${later.address} must not wait for ${earlier.address} of its own tier`);
      }
    }
    // AND destroying walks the tiers from last to first
    const destroyTiers = destroy.filter((a) => !a.startsWith('terraform_data.')).map((a) => tierOf.get(a)!);
    assert.deepEqual(destroyTiers, [...destroyTiers].sort((x, y) => y - x));
    // AND every namespace is destroyed after each workload that uses it
    for (const [address, deps] of graph) {
      for (const ns of deps.filter((d) => d.startsWith('kubernetes_namespace_v1.'))) {
        assert.ok(destroy.indexOf(ns) > destroy.indexOf(address), `${ns} must be destroyed after ${address}`);
      }
    }
    assert.deepEqual(graph.get('helm_release.kube-prometheus-stack'), ['kubernetes_namespace_v1.monitoring', 'terraform_data.tier_10']);
    assert.deepEqual(graph.get('helm_release.grafana-dashboards'), ['kubernetes_namespace_v1.monitoring', 'terraform_data.tier_20']);
  });
});

describe('ClusterProfiles: stable addresses', () => {
  const base = (): LayerSpec[] => [
    helmLayer('a', packValues('a', 0)),
    helmLayer('b', packValues('b', 10)),
    manifestLayer('c', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n', packValues('c', 10)),
    helmLayer('d', packValues('d', 20)),
  ];

  it('puts every layer resource under a path segment named after its layer, namespaces after their namespace', () => {
    // GIVEN the base cluster with a label patch
    const layers = [...base(), helmLayer('e', 'pack:\n  namespaceLabels:\n    default: "x=y"\n')];
    // WHEN synthesized
    const { full } = synth([addOn('p', layers)]);
    // THEN each path, from the construct down
    assert.deepEqual(paths(full), {
      'helm_release.a': 'test/cluster/layers/a/a',
      'helm_release.b': 'test/cluster/layers/b/b',
      'helm_release.c': 'test/cluster/layers/c/c',
      'helm_release.d': 'test/cluster/layers/d/d',
      'helm_release.e': 'test/cluster/layers/e/e',
      'kubernetes_labels.e--default': 'test/cluster/layers/e/e--default',
      'kubernetes_namespace_v1.a': 'test/cluster/namespaces/a',
      'kubernetes_namespace_v1.b': 'test/cluster/namespaces/b',
      'kubernetes_namespace_v1.c': 'test/cluster/namespaces/c',
      'kubernetes_namespace_v1.d': 'test/cluster/namespaces/d',
      'terraform_data.tier_0': 'test/cluster/tiers/tier_0',
      'terraform_data.tier_10': 'test/cluster/tiers/tier_10',
      'terraform_data.tier_20': 'test/cluster/tiers/tier_20',
    });
  });

  const edits: [string, (layers: LayerSpec[]) => LayerSpec[], string][] = [
    ['changing a version', (l) => l.map((x) => (x.name === 'b' ? { ...x, version: '9.9.9' } : x)), 'b'],
    ['changing values', (l) => l.map((x) => (x.name === 'b' ? { ...x, values: packValues('b', 10, 'replicas: 3\n') } : x)), 'b'],
    ['moving a layer to another priority', (l) => l.map((x) => (x.name === 'b' ? { ...x, values: packValues('b', 30) } : x)), 'b'],
    ['adding a layer', (l) => [...l.slice(0, 1), helmLayer('new', packValues('new', 10)), ...l.slice(1)], 'new'],
    ['removing a layer', (l) => l.filter((x) => x.name !== 'b'), 'b'],
    ['reordering the layers', (l) => [...l].reverse(), '(none)'],
  ];
  for (const [what, edit, edited] of edits) {
    it(`keeps every other layer's addresses when ${what}`, () => {
      // GIVEN the base cluster and the same cluster after the edit
      const before = synth([addOn('p', base())]);
      const after = synth([addOn('p', edit(base()))]);
      // WHEN the addresses of resources that belong to other layers are compared (gates may move)
      const keep = (json: TfJson): string[] => addresses(json).filter((a) => !a.startsWith('terraform_data.') && !new RegExp(`^[a-z_0-9]+\\.${edited}(--|$)`).test(a));
      // THEN they are the same
      assert.deepEqual(keep(after.json), keep(before.json));
      assert.ok(keep(before.json).length >= 6);
    });
  }
});

describe('ClusterProfiles: inputs', () => {
  it('makes the same configuration from TypeScript objects as from the Palette export files', () => {
    // GIVEN the fixtures as files and as objects
    const fromFiles = synth(loadProfileFiles([fixture('web-platform.json'), fixture('team-addons.json')]), { registries: REGISTRIES });
    // WHEN both are synthesized
    const fromObjects = synth(fixtureProfilesAsObjects(), { registries: REGISTRIES });
    // THEN the configurations are identical
    assert.deepEqual(fromObjects.json, fromFiles.json);
    assert.deepEqual(addresses(fromFiles.json), [
      'helm_release.cilium',
      'helm_release.metrics',
      'helm_release.site',
      'helm_release.web',
      'kubernetes_namespace_v1.metrics',
      'kubernetes_namespace_v1.web',
      'terraform_data.tier_10',
      'terraform_data.tier_20',
      'terraform_data.tier_infra-cni',
    ]);
  });

  it('reports the profiles and every layer, os and k8s included, as outputs', () => {
    // GIVEN the fixtures
    // WHEN synthesized
    const { json } = synth(loadProfileFiles([fixture('web-platform.json'), fixture('team-addons.json')]), { registries: REGISTRIES });
    // THEN the outputs
    assert.deepEqual(json.output.cluster_profiles.value, [
      { name: 'web-platform', type: 'full', version: '2.0.1' },
      { name: 'team-addons', type: 'add-on', version: '1.0.0' },
    ]);
    assert.deepEqual(
      (json.output.cluster_layers.value as TfJson[]).map((l) => [l.name, l.kind, l.tier, l.namespace]),
      [
        ['ubuntu', 'pack', 'cluster', 'default'],
        ['k3s', 'pack', 'cluster', 'default'],
        ['cilium', 'helm', 'infra:cni', 'kube-system'],
        ['metrics', 'helm', 'priority 10', 'metrics'],
        ['web', 'helm', 'priority 10', 'web'],
        ['site', 'manifest', 'priority 20', 'web'],
      ],
    );
  });

  it('synthesizes the example: Helm releases, generated charts of manifests and namespaces in the expected tiers', () => {
    // GIVEN the example profiles and registries
    const registries = JSON.parse(readFileSync(join(REPO, 'examples', 'profiles', 'registries.json'), 'utf8')) as Record<string, string>;
    const profiles = loadProfileFiles([join(REPO, 'examples', 'profiles', 'edge-platform.json'), join(REPO, 'examples', 'profiles', 'team-observability.json')]);
    // WHEN synthesized
    const { json, construct } = synth(profiles, { registries });
    // THEN the resource types and tiers are the documented ones
    assert.deepEqual(Object.keys(json.resource).sort(), ['helm_release', 'kubernetes_labels', 'kubernetes_namespace_v1', 'terraform_data']);
    assert.deepEqual(
      construct.plan.tiers.map((t) => [t.label, t.layers.map((l) => l.name)]),
      [
        ['infra:cni', ['cilium']],
        ['infra:csi', ['longhorn']],
        ['priority -10', ['cert-manager']],
        ['priority 0', ['platform-issuers']],
        ['priority 10', ['ingress-nginx']],
        ['priority 20', ['kube-prometheus-stack']],
        ['priority 25', ['blackbox-exporter', 'grafana-dashboards']],
        ['priority 30', ['hello-universe']],
      ],
    );
    // AND each manifest layer is one release of its generated chart, each Helm layer one release of its chart
    assert.deepEqual(Object.keys(json.resource.helm_release).sort(), [
      'blackbox-exporter',
      'cert-manager',
      'cilium',
      'grafana-dashboards',
      'hello-universe',
      'ingress-nginx',
      'kube-prometheus-stack',
      'longhorn',
      'platform-issuers',
    ]);
    assert.deepEqual(
      construct.plan.resources.filter((r) => r.role === 'manifest-chart').map((r) => r.layer),
      ['platform-issuers', 'grafana-dashboards', 'hello-universe'],
    );
    // AND Terraform forgets, rather than destroys, the addresses the manifest documents have as kubernetes_manifest
    assert.deepEqual(
      (json.removed as TfJson[]).map((r) => [r.from, r.lifecycle.destroy]),
      [
        ['kubernetes_manifest.grafana-dashboards--configmap--monitoring--cluster-overview-dashboard', false],
        ['kubernetes_manifest.hello-universe--deployment--hello-universe--hello-universe', false],
        ['kubernetes_manifest.hello-universe--ingress--hello-universe--hello-universe', false],
        ['kubernetes_manifest.hello-universe--service--hello-universe--hello-universe', false],
        ['kubernetes_manifest.platform-issuers--certificate--platform-pki--platform-ca', false],
        ['kubernetes_manifest.platform-issuers--clusterissuer--selfsigned', false],
        ['kubernetes_manifest.platform-issuers--issuer--platform-pki--platform-ca', false],
      ],
    );
  });

  it('refuses to be built without profiles or a plan', () => {
    // GIVEN neither profiles nor plan
    const stack = new TerraformStack(testApp(), 'test');
    // WHEN constructed
    // THEN the message says what to give
    assert.throws(() => new ClusterProfiles(stack, 'cluster', {}), { message: 'ClusterProfiles "cluster": give either profiles or plan' });
  });

  it('reaches the cluster through a kubeconfig whose path is a Terraform variable in a ClusterStack', () => {
    // GIVEN a ClusterStack
    const stack = new ClusterStack(testApp(), 'edge', { profiles: [addOn('p', [helmLayer('a')])], kubeContext: 'edge' });
    // WHEN synthesized
    const json = JSON.parse(Testing.synth(stack)) as TfJson;
    // THEN both providers read the variable's kubeconfig, and the release uses the helm provider
    assert.deepEqual(json.variable.kubeconfig_path, { default: '~/.kube/config', description: 'Path of the kubeconfig file used to reach the cluster', type: 'string' });
    assert.deepEqual(json.provider.kubernetes, [{ config_context: 'edge', config_path: '${var.kubeconfig_path}' }]);
    assert.deepEqual(json.provider.helm, [{ kubernetes: { config_context: 'edge', config_path: '${var.kubeconfig_path}' } }]);
    assert.equal(json.resource.helm_release.a.provider, 'helm');
  });
});

describe('ClusterProfiles: one cluster per stack', () => {
  it('refuses a second ClusterProfiles in the same stack instead of merging the two clusters', () => {
    // GIVEN a stack that already holds the prod cluster's profiles
    const stack = new TerraformStack(testApp(), 'clusters');
    new ClusterProfiles(stack, 'prod', { profiles: [addOn('p', [helmLayer('cert-manager')])] });
    // WHEN the staging cluster's profiles are added to the same stack
    // THEN it is an error naming both, and saying how to proceed
    assert.throws(() => new ClusterProfiles(stack, 'staging', { profiles: [addOn('p', [helmLayer('cert-manager')])] }), {
      message:
        'ClusterProfiles "clusters/staging": stack "clusters" already holds ClusterProfiles "clusters/prod"; a stack holds one cluster, since resource addresses come from layer and namespace names. Give each cluster a stack of its own (ClusterStack, or ClusterFleet for many clusters)',
    });
  });

  it('lets two clusters live in two stacks of one app, each with its own release', () => {
    // GIVEN two ClusterStacks in one app with the same add-on profile
    const app = testApp();
    const prod = new ClusterStack(app, 'prod', { profiles: [addOn('p', [helmLayer('cert-manager')])], kubeContext: 'prod' });
    const staging = new ClusterStack(app, 'staging', { profiles: [addOn('p', [helmLayer('cert-manager')])], kubeContext: 'staging' });
    // WHEN both are synthesized
    const prodJson = JSON.parse(Testing.synth(prod)) as TfJson;
    const stagingJson = JSON.parse(Testing.synth(staging)) as TfJson;
    // THEN each stack has its release, on its own provider reaching its own context
    assert.deepEqual(Object.keys(prodJson.resource.helm_release), ['cert-manager']);
    assert.deepEqual(Object.keys(stagingJson.resource.helm_release), ['cert-manager']);
    assert.equal(prodJson.provider.helm[0].kubernetes.config_context, 'prod');
    assert.equal(stagingJson.provider.helm[0].kubernetes.config_context, 'staging');
  });
});

describe('ClusterProfiles: typed handles for your own resources', () => {
  const profiles = [addOn('p', [helmLayer('cert-manager', packValues('cert-manager', -10)), helmLayer('web', packValues('web', 10)), manifestLayer('site', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: site\n', packValues('web', 20))])];

  it('gives each tier\'s gate in install order, the last gate, and the gate of a layer\'s tier', () => {
    // GIVEN layers in three tiers
    const { construct } = synth(profiles);
    // WHEN the gates are asked for
    // THEN they are the tier gates' resources, the last one after the whole cluster
    assert.deepEqual(construct.gates.map((g) => g.node.id), ['tier_-10', 'tier_10', 'tier_20']);
    assert.equal(construct.lastGate, construct.gates[2]);
    assert.equal(construct.gateOf('web'), construct.gates[1]);
  });

  it('gives a layer\'s Helm releases and all its resources', () => {
    // GIVEN a Helm layer and a manifest layer installed as a generated chart
    const { construct } = synth(profiles);
    // WHEN asked for their releases
    // THEN each is the typed helm_release of that layer
    assert.deepEqual(construct.releasesOf('web').map((r) => r.node.id), ['web']);
    assert.deepEqual(construct.releasesOf('site').map((r) => r.node.id), ['site']);
    assert.deepEqual(construct.resourcesOf('cert-manager').map((r) => r.terraformResourceType), ['helm_release']);
  });

  it('names the installed layers when asked for one that is not there', () => {
    // GIVEN the profiles above
    const { construct } = synth(profiles);
    // WHEN a misspelt layer is asked for
    // THEN the message lists what is there
    assert.throws(() => construct.releasesOf('cert-manger'), { message: 'ClusterProfiles "cluster": no layer "cert-manger" is installed; installed layers: "cert-manager", "site", "web"' });
    assert.throws(() => construct.gateOf('cert-manger'), { message: 'ClusterProfiles "cluster": no layer "cert-manger" is installed; installed layers: "cert-manager", "site", "web"' });
  });

  it('exposes the providers of a ClusterStack', () => {
    // GIVEN a ClusterStack
    const stack = new ClusterStack(testApp(), 'edge', { profiles: [addOn('p', [helmLayer('a')])] });
    // THEN its providers are the ones its releases use
    assert.equal(stack.helmProvider.terraformResourceType, 'helm');
    assert.equal(stack.kubernetesProvider.terraformResourceType, 'kubernetes');
    assert.equal(stack.profiles.releasesOf('a')[0].provider, stack.helmProvider);
  });
});
