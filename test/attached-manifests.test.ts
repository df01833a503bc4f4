import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InstallPlan, ManifestSpec, PlannedResource, formatPaletteExport, parsePaletteExport, planCluster } from '../src';
import { describeLayerContents } from '../src/core/report/plan-summary';
import { canonical, readObjects } from './chart-delivery';
import { readAsKubernetes } from './engines/engines';
import { renderGeneratedChart } from './engines/helm';
import { addOn, helmLayer, packValues, problemsOf, widgetCrd } from './helpers';
import { TfJson, synth } from './synth-helpers';
import { PlannedManifestChart } from '../src/core/model/planned';

/** An address pool of a load-balancer chart, as profiles attach it to the chart's layer: a custom resource. */
const POOL: ManifestSpec = {
  name: 'address-pools',
  content: 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: lan\nspec:\n  addresses: ["192.168.10.240-192.168.10.250"]\n',
};
/** A Secret the chart's pods read (`existingSecret`), as profiles attach it to a chart's layer. */
const CREDENTIALS: ManifestSpec = {
  name: 'credentials',
  content: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: admin\nstringData:\n  password: changeme\n',
};

function resource(plan: InstallPlan, address: string): PlannedResource {
  const found = plan.resources.find((r) => r.address === address);
  assert.ok(found, `no resource ${address} in ${plan.resources.map((r) => r.address).join(', ')}`);
  return found;
}

describe('manifests attached to a Helm layer', () => {
  it('install after the chart when they hold custom resources, in the layer namespace, without moving the chart address', () => {
    // GIVEN a Helm layer in namespace metallb-system with an attached IPAddressPool
    const profiles = [addOn('net', [helmLayer('metallb', packValues('metallb-system'), { manifests: [POOL] })])];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN the chart keeps helm_release.metallb; the manifests are the release metallb-manifests of a generated chart
    // that waits for the chart (its CRDs) and the namespace, and the pool lands in the layer's namespace
    assert.deepEqual(resource(plan, 'helm_release.metallb').dependsOn, ['kubernetes_namespace_v1.metallb-system']);
    const manifests = resource(plan, 'helm_release.metallb--manifests');
    assert.deepEqual(manifests.dependsOn, ['helm_release.metallb', 'kubernetes_namespace_v1.metallb-system']);
    assert.equal((manifests as { releaseName?: string }).releaseName, 'metallb-manifests');
    const layer = plan.tiers[0].layers[0];
    assert.deepEqual(layer.kind === 'helm' ? layer.documents.map((d) => [d.kind, d.namespace, d.name]) : [], [['IPAddressPool', 'metallb-system', 'lan']]);
  });

  it('install alongside the chart when they hold no custom resource (a Secret its pods read)', () => {
    // GIVEN a Helm layer with an attached Secret
    const profiles = [addOn('apps', [helmLayer('grafana', packValues('monitoring'), { manifests: [CREDENTIALS] })])];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN the manifests' release waits for the namespace only, not for the chart
    assert.deepEqual(resource(plan, 'helm_release.grafana--manifests').dependsOn, ['kubernetes_namespace_v1.monitoring']);
  });

  it('install one kubernetes_manifest each after the chart with pack.manifestStrategy: manifest', () => {
    // GIVEN the attached pool with the manifest strategy
    const values = packValues('metallb-system', undefined, '') + '  manifestStrategy: manifest\n';
    const plan = planCluster([addOn('net', [helmLayer('metallb', values, { manifests: [POOL] })])]);
    // THEN the pool is a kubernetes_manifest named after layer, kind, namespace and name, after the chart
    assert.deepEqual(resource(plan, 'kubernetes_manifest.metallb--ipaddresspool--metallb-system--lan').dependsOn, ['helm_release.metallb', 'kubernetes_namespace_v1.metallb-system']);
  });

  it('are shown with the chart in the plan and the graph', () => {
    // GIVEN a Helm layer with an attached pool
    const plan = planCluster([addOn('net', [helmLayer('metallb', packValues('metallb-system'), { manifests: [POOL] })])]);
    // WHEN its contents are described
    // THEN the manifest follows the chart
    assert.equal(describeLayerContents(plan.tiers[0].layers[0]), 'helm metallb 1.0.0, manifest address-pools (1 object)');
  });
});

/** A Widget with text Helm would read as a template and YAML 1.1 words, attached with the Widget CRD to an operator chart. */
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  legend: "{{instance}}"\n  mode: "on"\n  fileMode: 0755\n';
const OPERATOR: ManifestSpec = { name: 'widgets', content: `${widgetCrd()}---\n${WIDGET}` };

/** The planned release of a generated chart of layer `layer` holding `holds`; fails when there is none. */
function chartRelease(plan: InstallPlan, layer: string, holds: 'crds' | 'objects'): PlannedManifestChart {
  const found = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === layer && r.holds === holds);
  assert.ok(found, `layer ${layer} has no generated chart of its ${holds}`);
  return found;
}

describe('the generated chart of manifests attached to a Helm layer, under Helm', () => {
  const profiles = [addOn('apps', [helmLayer('operator', packValues('widgets'), { manifests: [OPERATOR] })])];

  it('puts the attached CRD in a release of its own, kept on removal, that the objects wait for', () => {
    // GIVEN a Helm layer with the Widget CRD and a Widget attached
    // WHEN synthesized (every generated chart goes through the Helm harness)
    const { json } = synth(profiles);
    // THEN the CRD is the release operator-manifests-crds, and the objects' release waits for it and for the chart
    const releases = json.resource.helm_release as TfJson;
    assert.deepEqual(Object.keys(releases).sort(), ['operator', 'operator--manifests', 'operator--manifests--crds']);
    assert.equal(releases['operator--manifests--crds'].name, 'operator-manifests-crds');
    assert.deepEqual(releases['operator--manifests'].depends_on, ['helm_release.operator', 'helm_release.operator--manifests--crds', 'kubernetes_namespace_v1.widgets']);
    // and Helm installs the CRD as Kubernetes reads the source, with the keep annotation
    const [crd] = readAsKubernetes([widgetCrd()]);
    assert.ok('json' in crd);
    const source = JSON.parse(crd.json) as TfJson;
    const rendering = renderGeneratedChart(chartRelease(planCluster(profiles), 'operator', 'crds').manifestChart);
    assert.deepEqual(readObjects(rendering.objects), [canonical({ ...source, metadata: { ...source.metadata, annotations: { 'helm.sh/resource-policy': 'keep' } } })]);
  });

  it('installs the attached objects exactly as Kubernetes reads their source, braces and YAML 1.1 words included', () => {
    // GIVEN the same layer, planned
    const chart = chartRelease(planCluster(profiles), 'operator', 'objects').manifestChart;
    // WHEN Helm installs the objects' chart
    const rendering = renderGeneratedChart(chart);
    // THEN the Widget arrives as Kubernetes reads it (`{{instance}}` kept, on a string, 0755 the number 493), in the layer's namespace
    const [widget] = readAsKubernetes([WIDGET]);
    assert.ok('json' in widget);
    const source = JSON.parse(widget.json) as TfJson;
    assert.deepEqual(source.spec, { fileMode: 493, legend: '{{instance}}', mode: 'on' });
    assert.deepEqual(rendering.errors, []);
    assert.deepEqual(readObjects(rendering.objects), [canonical({ ...source, metadata: { ...source.metadata, namespace: 'widgets' } })]);
  });

  it('lists each attached object with the digest of its file in the release values', () => {
    // GIVEN the same layer
    // WHEN synthesized
    const { json, construct } = synth(profiles);
    // THEN the objects' release lists the Widget with its file's digest, the CRD release the CRD
    const objects = chartRelease(construct.plan, 'operator', 'objects').manifestChart;
    const crds = chartRelease(construct.plan, 'operator', 'crds').manifestChart;
    const digest = (chart: typeof objects, path: string): string => `sha256:${createHash('sha256').update(chart.files.find((f) => f.path === path)!.content).digest('hex').slice(0, 12)}`;
    const head = '# The objects of this release and digests of their content, for plan review; the chart does not read this value.\nclusterProfilesObjects:\n';
    const releases = json.resource.helm_release as TfJson;
    assert.deepEqual(releases['operator--manifests'].values, [`${head}  "example.com/v1 Widget widgets/w1": ${digest(objects, 'files/001-widgets-2.json')}\n`]);
    assert.deepEqual(releases['operator--manifests--crds'].values, [`${head}  "apiextensions.k8s.io/v1 CustomResourceDefinition widgets.example.com": ${digest(crds, 'files/001-widgets-1.json')}\n`]);
  });

  it('refuses an attached helm.sh/hook annotation as a manifest layer\'s, naming the attached manifest', () => {
    // GIVEN a Helm layer with an attached ConfigMap annotated as a Helm hook
    const hook: ManifestSpec = { name: 'hooked', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: post-install\n' };
    // WHEN planned
    // THEN the error names the layer, the attached manifest and the field
    assert.deepEqual(problemsOf(() => planCluster([addOn('apps', [helmLayer('grafana', packValues('monitoring'), { manifests: [hook] })])])), [
      'profile "apps" layer "grafana" manifest "hooked" document 1: metadata.annotations["helm.sh/hook"] is "post-install": Helm would take the object out of the layer\'s release as a hook (run at that event, never upgraded nor deleted with the release; an unknown hook value drops it), so the generated chart cannot install it as written; set pack.manifestStrategy: manifest on this layer, or remove the annotation',
    ]);
  });
});

describe('attached manifests in a Palette export', () => {
  const exported = (type: string, layer = 'addon'): string =>
    JSON.stringify({
      metadata: { name: 'net' },
      spec: {
        version: '1.0.0',
        template: {
          type: layer === 'addon' ? 'add-on' : 'infra',
          packs: [{ name: 'metallb', type, layer, version: '0.14.8', values: 'pack:\n  namespace: metallb-system\n', registry: { metadata: { name: 'Bitnami', kind: 'helm' } }, manifests: [{ name: POOL.name, content: POOL.content }] }],
        },
      },
    });

  it('are read on a Helm pack and written back unchanged', () => {
    // GIVEN an export whose Helm pack carries an attached manifest
    const profile = parsePaletteExport(exported('helm'), 'net.json');
    // WHEN written back as an export and read again
    const again = parsePaletteExport(formatPaletteExport(profile), 'again.json');
    // THEN the manifest survives both ways, name and content byte for byte
    assert.deepEqual(profile.layers[0].kind === 'helm' ? profile.layers[0].manifests : undefined, [{ name: POOL.name, content: POOL.content }]);
    assert.deepEqual(again.layers[0], profile.layers[0]);
  });

  it('are read on a registry pack and written back unchanged', () => {
    // GIVEN an export whose registry pack carries an attached manifest
    const profile = parsePaletteExport(exported('spectro'), 'net.json');
    // WHEN written back
    const written = JSON.parse(formatPaletteExport(profile)) as { spec: { template: { packs: { manifests?: unknown }[] } } };
    // THEN the pack's manifests are the ones read
    assert.deepEqual(written.spec.template.packs[0].manifests, [{ name: POOL.name, content: POOL.content }]);
  });

  it('on a layer of the k8s slot, which deploys nothing, are reported rather than dropped', () => {
    // GIVEN a k8s pack carrying an attached manifest
    const profile = parsePaletteExport(exported('spectro', 'k8s'), 'net.json');
    // WHEN planned
    // THEN the manifests are named in an error
    assert.deepEqual(problemsOf(() => planCluster([profile])), [
      'net.json: profile "net" layer "metallb": manifests attaches manifests ("address-pools"), but the k8s slot describes the cluster and deploys nothing here; move them into a manifest layer',
    ]);
  });

  it('that are not a list are reported', () => {
    // GIVEN a Helm pack whose manifests field is a string
    const doc = JSON.parse(exported('helm')) as { spec: { template: { packs: Record<string, unknown>[] } } };
    doc.spec.template.packs[0].manifests = 'address-pools';
    const text = JSON.stringify(doc);
    // WHEN read
    // THEN the field is named with the value found
    assert.deepEqual(problemsOf(() => parsePaletteExport(text, 'net.json')), ['net.json: profile "net" layer "metallb": manifests must be a list of {name, content}, found "address-pools"']);
  });
});
