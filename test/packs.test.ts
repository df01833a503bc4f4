import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PackLayerSpec, ProfileSpec, planCluster } from '../src';
import { loadCatalogFile, readCatalog } from '../src/core/input/catalog';
import { PackCatalog } from '../src/core/model/catalog';
import { loadProfileFile } from '../src/core/input/load';
import { mergeValues } from '../src/core/resolve/merge-values';
import { parseHelmYaml } from '../src/core/input/values-yaml';
import { ROOT } from './cli-helpers';
import { helmLayer, problemsOf } from './helpers';
import { synth } from './synth-helpers';
import { PlannedRelease } from '../src/core/model/planned';

/** A catalog built in code, checked like a file. */
function catalog(packs: unknown[], registries: unknown[] = []): PackCatalog {
  return readCatalog({ apiVersion: 'cluster-profiles/v1', kind: 'PackCatalog', registries, packs }, 'catalog.yaml');
}

function packLayer(name: string, values?: PackLayerSpec['values'], extra: Partial<PackLayerSpec> = {}): PackLayerSpec {
  return { kind: 'pack', name, version: '1.0.0', values, ...extra };
}

function addOn(layers: ProfileSpec['layers']): ProfileSpec {
  return { name: 'apps', type: 'add-on', layers, source: 'apps.json' };
}

function releases(profiles: ProfileSpec[], cat: PackCatalog): Record<string, Omit<PlannedRelease, 'tier' | 'dependsOn' | 'role' | 'type' | 'name' | 'address'>> {
  const plan = planCluster(profiles, { catalog: cat });
  const out: Record<string, Omit<PlannedRelease, 'tier' | 'dependsOn' | 'role' | 'type' | 'name' | 'address'>> = {};
  for (const r of plan.resources) {
    if (r.type !== 'helm_release' || r.role === 'retained-namespace') continue;
    const { tier: _t, dependsOn: _d, role: _r, type: _y, name: _n, address, ...rest } = r as PlannedRelease;
    out[address] = rest;
  }
  return out;
}

const MESH = catalog(
  [
    {
      name: 'mesh',
      version: '1.0.0',
      charts: [
        { name: 'base', registry: 'Mesh', version: '1.0.0' },
        { name: 'control', registry: 'Mesh', version: '1.0.1' },
      ],
      values: {
        pack: { namespace: 'mesh', releaseNameOverride: { base: 'mesh-base' } },
        charts: {
          control: { replicas: 1, ports: [80, 443], resources: { cpu: '100m', memory: '128Mi' }, autoscaling: { enabled: true } },
        },
      },
    },
  ],
  [{ name: 'Mesh', url: 'https://charts.mesh.example.com' }],
);

describe('registry packs', () => {
  it('become one Helm release per chart, named after the layer and the chart', () => {
    // GIVEN a pack of two charts, one with a release name override in the pack defaults
    const profiles = [addOn([packLayer('mesh')])];
    // WHEN planned with the catalog
    const planned = releases(profiles, MESH);
    // THEN each chart is a release at helm_release.<layer>--<chart>, in the pack's namespace,
    // from the registry URL the catalog gives
    assert.deepEqual(planned, {
      'helm_release.mesh--base': {
        layer: 'mesh',
        releaseName: 'mesh-base',
        namespace: 'mesh',
        repository: 'https://charts.mesh.example.com',
        chart: 'base',
        version: '1.0.0',
        values: undefined,
        timeoutSeconds: 600,
      },
      'helm_release.mesh--control': {
        layer: 'mesh',
        releaseName: 'control',
        namespace: 'mesh',
        repository: 'https://charts.mesh.example.com',
        chart: 'control',
        version: '1.0.1',
        values: "replicas: 1\nports:\n  - 80\n  - 443\nresources:\n  cpu: '100m'\n  memory: '128Mi'\nautoscaling:\n  enabled: true\n",
        timeoutSeconds: 600,
      },
    });
  });

  it("merges the layer's charts.<chart> values over the pack defaults with Helm's rules", () => {
    // GIVEN layer values that override a scalar, replace a list, add a key and null out a map
    const values = 'pack:\n  namespace: edge-mesh\ncharts:\n  control:\n    replicas: 3\n    ports: [8080]\n    resources:\n      memory: 256Mi\n    autoscaling: null\n';
    // WHEN planned
    const planned = releases([addOn([packLayer('mesh', values)])], MESH);
    // THEN maps merge, the list and scalars are replaced, the null stays so Helm deletes the key
    // from the chart's own defaults too, and the layer's namespace wins
    assert.equal(planned['helm_release.mesh--control'].values, "replicas: 3\nports:\n  - 8080\nresources:\n  cpu: '100m'\n  memory: '256Mi'\nautoscaling: null\n");
    assert.equal(planned['helm_release.mesh--control'].namespace, 'edge-mesh');
  });

  it('fills the {{ .Values.path }} placeholders of pack manifests from manifests.<name> values', () => {
    // GIVEN a manifest pack with placeholders and a Palette macro, and a layer overriding one value
    const cat = catalog([
      {
        name: 'hello',
        version: '1.0.0',
        manifests: [{ name: 'app', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\ndata:\n  replicas: "{{ .Values.replicas }}"\n  ports: \'{{.Values.ports}}\'\n  cluster: "{{ .spectro.system.cluster.name }}"\n' }],
        values: { pack: { namespace: 'hello' }, manifests: { app: { replicas: 1, ports: [80] } } },
      },
    ]);
    const profile = addOn([packLayer('hello', { manifests: { app: { replicas: 2 } } })]);
    // WHEN resolved without expanding macros
    const layer = planCluster([profile], { catalog: cat }).tiers[0].layers[0];
    // THEN the placeholders hold the merged values; the macro is left for macro expansion
    assert.equal(layer.kind, 'pack');
    assert.deepEqual(layer.kind === 'pack' ? layer.documents.map((d) => d.object) : [], [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello', namespace: 'hello' }, data: { replicas: '2', ports: '[80]', cluster: '{{ .spectro.system.cluster.name }}' } },
    ]);
  });

  it('keeps the generated charts of a pack "x" and a manifest layer "x-manifests" apart, in their own folders', () => {
    // GIVEN pack layer "hello" with a manifest (its chart and release are "hello-manifests") and a
    // manifest layer named "hello-manifests" in another namespace
    const cat = catalog([{ name: 'hello', version: '1.0.0', manifests: [{ name: 'app', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n' }], values: { pack: { namespace: 'hello' } } }]);
    const profile = addOn([
      packLayer('hello'),
      { kind: 'manifest', name: 'hello-manifests', manifests: [{ name: 'other', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n' }], values: 'pack:\n  namespace: other\n' },
    ]);
    // WHEN synthesized
    const { json } = synth([profile], { catalog: cat });
    // THEN both releases are named "hello-manifests", each with its own chart folder
    const charts = Object.fromEntries(Object.entries(json.resource.helm_release as Record<string, { name: string; chart: string }>).map(([k, r]) => [k, [r.name, r.chart.split('/')[1]]]));
    assert.deepEqual(Object.keys(charts).sort(), ['hello--manifests', 'hello-manifests']);
    assert.equal(charts['hello--manifests'][0], 'hello-manifests');
    assert.equal(charts['hello-manifests'][0], 'hello-manifests');
    // (the first in address order has the chart's name, the other adds its resource name)
    assert.match(charts['hello--manifests'][1], /^cluster_charts_hello-manifests_[0-9A-F]{8}$/);
    assert.match(charts['hello-manifests'][1], /^cluster_charts_hello-manifestshello-manifests_[0-9A-F]{8}$/);
  });

  it('names every pack missing from the catalog at once', () => {
    // GIVEN two layers whose packs the catalog lacks (one unknown, one in another version), and a
    // third layer naming a pack the catalog has through packName
    const profiles = [addOn([packLayer('cache'), packLayer('mesh', undefined, { version: '2.0.0' }), packLayer('edge-mesh', undefined, { packName: 'mesh' })])];
    // WHEN planned
    // THEN both missing packs are reported, each with its layer; the present one is not
    assert.deepEqual(problemsOf(() => planCluster(profiles, { catalog: MESH })), [
      'apps.json: profile "apps" layer "cache": pack "cache" version "1.0.0" is not in the catalog (catalog.yaml); add it to the catalog',
      'apps.json: profile "apps" layer "mesh": pack "mesh" version "2.0.0" is not in the catalog, which has versions 1.0.0 (catalog.yaml); add it to the catalog',
    ]);
  });

  it('needs a catalog outside the os and k8s slots, and none inside them', () => {
    // GIVEN a full profile with a k8s pack and an add-on pack, and no catalog
    const profile: ProfileSpec = { name: 'full', type: 'full', layers: [packLayer('k3s', undefined, { slot: 'k8s' }), packLayer('mesh')] };
    // WHEN planned
    // THEN only the add-on pack is a problem
    assert.deepEqual(problemsOf(() => planCluster([profile])), [
      'profile "full" layer "mesh": pack "mesh" version "1.0.0" is a registry pack: its charts and manifests come from a pack catalog, and none was given (--catalog FILE)',
    ]);
  });

  it('reports values that reach no chart or manifest of the pack', () => {
    // GIVEN values with a stray top-level key, a misspelt chart, an unknown override and a placeholder without a value
    const cat = catalog([
      { name: 'web', version: '1.0.0', charts: [{ name: 'nginx', repository: 'https://x', version: '1.0.0' }], manifests: [{ name: 'extra', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  b: "{{ .Values.b }}"\n' }] },
    ]);
    const values = { replicaCount: 2, charts: { ngnix: { a: 1 } }, pack: { releaseNameOverride: { apache: 'web' } } };
    // WHEN planned
    // THEN each is named with the field and what the pack has
    assert.deepEqual(problemsOf(() => planCluster([addOn([packLayer('web', values)])], { catalog: cat })), [
      'apps.json: profile "apps" layer "web": values.replicaCount reaches no chart or manifest of pack "web" 1.0.0: put chart values under charts.<chart>: ("nginx") and manifest values under manifests.<name>: ("extra")',
      'apps.json: profile "apps" layer "web": values.charts.ngnix names no chart of pack "web" 1.0.0 (charts: "nginx")',
      'apps.json: profile "apps" layer "web": pack.releaseNameOverride.apache names no chart of pack "web" 1.0.0 (charts: "nginx")',
      'apps.json: profile "apps" layer "web" manifest "extra": content placeholder {{ .Values.b }} has no value: set manifests.extra.b in the layer\'s values or the pack\'s defaults',
    ]);
  });

  it("lets the catalog's registries serve Helm layers, with --registry winning", () => {
    // GIVEN two Helm layers naming the catalog's registry by name and by uid
    const cat = catalog([], [{ name: 'Charts', uid: 'charts-uid', url: 'https://catalog.example.com' }]);
    const profiles = [addOn([helmLayer('a', undefined, { repository: undefined, registry: 'Charts' }), helmLayer('b', undefined, { repository: undefined, registry: 'charts-uid' })])];
    // WHEN planned with the catalog, then with a --registry for the name
    const fromCatalog = planCluster(profiles, { catalog: cat }).tiers[0].layers.map((l) => (l.kind === 'helm' ? l.repository : ''));
    const overridden = planCluster(profiles, { catalog: cat, registries: { Charts: 'https://flag.example.com' } }).tiers[0].layers.map((l) => (l.kind === 'helm' ? l.repository : ''));
    // THEN the catalog URL serves both; the flag replaces it for the name it gives
    assert.deepEqual(fromCatalog, ['https://catalog.example.com', 'https://catalog.example.com']);
    assert.deepEqual(overridden, ['https://flag.example.com', 'https://catalog.example.com']);
  });
});

describe('mergeValues', () => {
  it('merges maps, replaces lists and scalars, keeps a null as a deletion for Helm', () => {
    // GIVEN defaults and an override touching each case
    const defaults = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    const override = { a: { c: [3] }, d: null, e: 'scalar', g: { h: true } };
    // WHEN merged
    const merged = mergeValues(defaults, override);
    // THEN defaults' key order is kept and neither input changes
    assert.deepEqual(merged, { a: { b: 1, c: [3] }, d: null, e: 'scalar', g: { h: true } });
    assert.deepEqual(defaults, { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } });
  });
});

describe('parseHelmYaml', () => {
  it('reads YAML 1.1 booleans and octal integers as Helm does', () => {
    // GIVEN values Helm reads differently from YAML 1.2
    const text = 'a: yes\nb: off\nc: "yes"\nd: 0644\ne: 0o17\nf: 12\ng: 1.5\nh: 0x1F\n';
    // WHEN parsed
    // THEN quoted strings stay strings, the rest gets Helm's types
    assert.deepEqual(parseHelmYaml(text), { a: true, b: false, c: 'yes', d: 420, e: 15, f: 12, g: 1.5, h: 31 });
  });
});

describe('the Palette export with registry packs', () => {
  const catalogFile = join(ROOT, 'examples', 'catalog.yaml');
  const exportFile = join(ROOT, 'examples', 'profiles', 'palette-export-spectro.json');

  it('loads with the example catalog and synthesizes a release per chart and per layer of manifests', () => {
    // GIVEN the example export (OS, K3s, Cilium with a resolved train, Longhorn, cert-manager,
    // Istio's three charts, an OCI pack, multi-document manifests, a manifest pack) and its catalog
    const profile = loadProfileFile(exportFile);
    // WHEN synthesized
    const { json, construct } = synth([profile], { catalog: loadCatalogFile(catalogFile) });
    // THEN every chart is a release at <layer>--<chart>, the manifest layer's documents a release at
    // <layer> and the manifest pack's at <layer>--manifests; packs without manifests have no such release
    assert.deepEqual(Object.keys(json.resource.helm_release).sort(), [
      'cert-manager--cert-manager',
      'cni-cilium-oss--cilium',
      'csi-longhorn--longhorn',
      'edge-config',
      'hello-universe--manifests',
      'istio--base',
      'istio--gateway',
      'istio--istiod',
      'podinfo--podinfo',
    ]);
    assert.equal(json.resource.kubernetes_manifest, undefined);
    // AND every document is an object of its layer's generated chart
    const objectsOf = (files: readonly { path: string; content: string }[]): string[] =>
      files
        .filter((f) => f.path.startsWith('files/'))
        .map((f) => JSON.parse(f.content) as { kind: string; metadata: { namespace: string; name: string } })
        .map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
    assert.deepEqual(
      construct.plan.resources.filter((r) => r.role === 'manifest-chart').map((r) => [r.address, objectsOf(r.manifestChart.files)]),
      [
        ['helm_release.edge-config', ['ConfigMap edge-apps/site', 'NetworkPolicy edge-apps/default-deny-ingress', 'ResourceQuota edge-apps/edge-apps']],
        ['helm_release.hello-universe--manifests', ['Deployment hello-universe/hello-universe', 'Service hello-universe/hello-universe']],
      ],
    );
    // AND Terraform forgets the kubernetes_manifest addresses the documents have with pack.manifestStrategy: manifest
    assert.deepEqual(json.removed.map((r: { from: string }) => r.from), [
      'kubernetes_manifest.edge-config--configmap--edge-apps--site',
      'kubernetes_manifest.edge-config--networkpolicy--edge-apps--default-deny-ingress',
      'kubernetes_manifest.edge-config--resourcequota--edge-apps--edge-apps',
      'kubernetes_manifest.hello-universe--deployment--hello-universe--hello-universe',
      'kubernetes_manifest.hello-universe--service--hello-universe--hello-universe',
    ]);
    // AND a release of the multi-chart pack carries its override, namespace, gate and merged values
    const gateway = json.resource.helm_release['istio--gateway'];
    assert.deepEqual(
      { name: gateway.name, namespace: gateway.namespace, repository: gateway.repository, chart: gateway.chart, version: gateway.version, values: gateway.values, depends_on: gateway.depends_on },
      {
        name: 'istio-ingressgateway',
        namespace: 'istio-system',
        repository: 'https://istio-release.storage.googleapis.com/charts',
        chart: 'gateway',
        version: '1.22.1',
        values: ["autoscaling: null\nservice:\n  type: 'LoadBalancer'\n"],
        depends_on: ['kubernetes_namespace_v1.istio-system', 'terraform_data.tier_-10'],
      },
    );
    // AND the OCI pack installs from its OCI repository
    assert.equal(json.resource.helm_release['podinfo--podinfo'].repository, 'oci://ghcr.io/stefanprodan/charts');
  });
});
