import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InstallPlan, ManifestSpec, PlannedResource, describeLayerContents, formatPaletteExport, parsePaletteExport, planCluster } from '../src';
import { addOn, helmLayer, packValues, problemsOf } from './helpers';

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
