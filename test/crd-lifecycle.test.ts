// The CRD lifecycle of chart layers under Helm: charts rendered by the Helm harness, installed,
// upgraded and uninstalled by a model of Helm's lifecycle (test/engines/helm-lifecycle.ts, modelled
// from Helm's source, not run). The order of the releases is Terraform's: checked with the real
// terraform in test/crd-lifecycle-terraform.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileSpec, planCluster } from '../src';
import { crdDefinition, isCustomResource } from '../src/core/resolve/classify';
import { LAYER_CHART_DESCRIPTION, generatedChart, objectFile } from '../src/core/plan/manifest-chart';
import { apiGroup, documentsOf } from '../src/core/resolve/manifests';
import { InstallPlan, PlannedManifestChart, ManifestChart } from '../src/core/model/planned';
import { HelmRendering, renderGeneratedChart } from './engines/helm';
import { ModelCluster } from './engines/helm-lifecycle';
import { addOn, manifestLayer, packValues, widgetCrd } from './helpers';

const CRD = widgetCrd();
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n';
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';
/** A Widget someone created in the cluster, outside the profiles: users' data. */
const USERS_WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'mine', namespace: 'bundle' } };
const OWN = { takeOwnership: true };

/** Layer "bundle" (namespace "bundle") holding the documents. */
function bundle(...documents: string[]): ProfileSpec[] {
  return [addOn('apps', [manifestLayer('bundle', documents.join('---\n'), packValues('bundle', 0))])];
}

/** The layer's release of `holds` as Helm renders it; undefined when the layer has none. */
function release(plan: InstallPlan, holds: 'crds' | 'objects'): { name: string; rendering: HelmRendering } | undefined {
  const found = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === 'bundle' && r.holds === holds);
  return found === undefined ? undefined : { name: found.releaseName, rendering: renderGeneratedChart(found.manifestChart) };
}

/** The planned releases of layer "bundle", rendered: its CRDs' (when it has CRDs) and its objects'. */
function releases(profiles: ProfileSpec[]): { crds?: { name: string; rendering: HelmRendering }; objects: { name: string; rendering: HelmRendering } } {
  const plan = planCluster(profiles);
  return { crds: release(plan, 'crds'), objects: release(plan, 'objects')! };
}

/**
 * The chart an earlier version of this library generated for layer "bundle": one release, the CRDs
 * that serve custom resources of the same layer under `crds/`, every other document under `files/`.
 */
function earlierChart(profiles: ProfileSpec[]): HelmRendering {
  const documents = documentsOf(planCluster(profiles).tiers.flatMap((t) => t.layers).find((l) => l.name === 'bundle')!);
  const used = new Set(documents.filter(isCustomResource).map((d) => `${apiGroup(d.apiVersion)}/${d.kind}`));
  const files = documents.map((d, i) => {
    const definition = crdDefinition(d.object);
    const folder = definition !== undefined && used.has(`${definition.group}/${definition.kind}`) ? 'crds' : 'files';
    return objectFile(`${folder}/${String(i + 1).padStart(3, '0')}-bundle-${d.position}.json`, d.object);
  });
  const chart: ManifestChart = generatedChart('bundle', LAYER_CHART_DESCRIPTION, files);
  return renderGeneratedChart(chart);
}

/** Applies the layer's releases for the first time, as Terraform orders them: the CRDs' first. */
function firstApply(cluster: ModelCluster, profiles: ProfileSpec[]): string[] {
  const { crds, objects } = releases(profiles);
  return [...(crds !== undefined ? cluster.install(crds.name, crds.rendering, OWN) : []), ...cluster.install(objects.name, objects.rendering, OWN)];
}

describe('the CRD lifecycle of a chart layer, under Helm (modelled from its source)', () => {
  it('installs the CRDs and their custom resources on a first apply', () => {
    // GIVEN a layer holding the Widget CRD, a Widget and a ConfigMap
    const cluster = new ModelCluster();
    // WHEN its releases are installed, the CRDs' first
    const events = firstApply(cluster, bundle(CRD, WIDGET, CONFIG));
    // THEN the CRD is created (kept on removal), then the objects
    assert.deepEqual(events, ['create CustomResourceDefinition widgets.example.com', 'create ConfigMap bundle/settings', 'create Widget bundle/w1']);
    assert.deepEqual((cluster.get('CustomResourceDefinition', 'widgets.example.com')!.metadata as Record<string, unknown>).annotations, { 'helm.sh/resource-policy': 'keep' });
  });

  it('installs a CRD and custom resources added to a layer already installed', () => {
    // GIVEN the layer installed with a ConfigMap only, then given the Widget CRD and a Widget
    const cluster = new ModelCluster();
    const before = releases(bundle(CONFIG));
    cluster.install(before.objects.name, before.objects.rendering, OWN);
    const after = releases(bundle(CRD, WIDGET, CONFIG));
    // WHEN applied: the new CRD release is installed, then the objects' release upgraded
    const installed = cluster.install(after.crds!.name, after.crds!.rendering, OWN);
    const upgraded = cluster.upgrade(after.objects.name, before.objects.rendering, after.objects.rendering, OWN);
    // THEN the CRD exists before the Widget is created
    assert.deepEqual(installed, ['create CustomResourceDefinition widgets.example.com']);
    assert.deepEqual(upgraded, ['update ConfigMap bundle/settings', 'create Widget bundle/w1']);
  });

  it('failed that upgrade with the earlier layout, whose crds/ Helm installs only on a first install', () => {
    // GIVEN the layer installed with a ConfigMap only, as the earlier version charted it
    const cluster = new ModelCluster();
    const before = earlierChart(bundle(CONFIG));
    cluster.install('bundle', before, OWN);
    // WHEN the CRD and a Widget join the layer (the CRD under crds/) THEN the upgrade fails
    assert.throws(() => cluster.upgrade('bundle', before, earlierChart(bundle(CRD, WIDGET, CONFIG)), OWN), {
      message: 'resource mapping not found for name: "w1": no matches for kind "Widget" in version "example.com/v1"; ensure CRDs are installed first',
    });
  });

  it('upgrades a CRD the layer changes', () => {
    // GIVEN the layer installed, then its CRD given a label
    const cluster = new ModelCluster();
    firstApply(cluster, bundle(CRD, WIDGET));
    const before = releases(bundle(CRD, WIDGET)).crds!;
    const after = releases(bundle(CRD.replace('  name: widgets.example.com', '  name: widgets.example.com\n  labels: {tier: gold}'), WIDGET)).crds!;
    // WHEN its CRD release is upgraded
    const events = cluster.upgrade(after.name, before.rendering, after.rendering, OWN);
    // THEN the CRD in the cluster has the label
    assert.deepEqual(events, ['update CustomResourceDefinition widgets.example.com']);
    assert.deepEqual((cluster.get('CustomResourceDefinition', 'widgets.example.com')!.metadata as Record<string, unknown>).labels, { tier: 'gold' });
  });

  it('keeps a CRD the layer drops, and every custom resource of its kind', () => {
    // GIVEN the layer installed with the CRD and a Widget, a user's Widget beside it, then the layer left with a ConfigMap
    const cluster = new ModelCluster();
    const before = releases(bundle(CRD, WIDGET, CONFIG));
    firstApply(cluster, bundle(CRD, WIDGET, CONFIG));
    cluster.create(USERS_WIDGET);
    const after = releases(bundle(CONFIG));
    // WHEN applied: the objects' release upgraded, the CRD release (no longer planned) uninstalled
    const upgraded = cluster.upgrade(after.objects.name, before.objects.rendering, after.objects.rendering, OWN);
    const uninstalled = cluster.uninstall(before.crds!.name, before.crds!.rendering);
    // THEN the layer's Widget goes, the CRD and the user's Widget stay
    assert.deepEqual(upgraded, ['update ConfigMap bundle/settings', 'delete Widget bundle/w1']);
    assert.deepEqual(uninstalled, ['keep CustomResourceDefinition widgets.example.com']);
    assert.deepEqual(cluster.objects(), ['ConfigMap bundle/settings', 'CustomResourceDefinition widgets.example.com', 'Widget bundle/mine']);
  });

  it('deletes the layer\'s objects on destroy and keeps its CRDs with the custom resources of others', () => {
    // GIVEN the layer installed, and a user's Widget
    const cluster = new ModelCluster();
    const { crds, objects } = releases(bundle(CRD, WIDGET, CONFIG));
    firstApply(cluster, bundle(CRD, WIDGET, CONFIG));
    cluster.create(USERS_WIDGET);
    // WHEN destroyed, as Terraform orders it: the objects' release, then the CRDs'
    const events = [...cluster.uninstall(objects.name, objects.rendering), ...cluster.uninstall(crds!.name, crds!.rendering)];
    // THEN the layer's objects are deleted and the CRD stays, with the user's Widget
    assert.deepEqual(events, ['delete ConfigMap bundle/settings', 'delete Widget bundle/w1', 'keep CustomResourceDefinition widgets.example.com']);
    assert.deepEqual(cluster.objects(), ['CustomResourceDefinition widgets.example.com', 'Widget bundle/mine']);
  });
});

describe('moving a layer from the earlier layout to the CRD release, under Helm (modelled from its source)', () => {
  for (const [where, documents] of [
    ['files/ (no custom resource in its layer)', [CRD, CONFIG]],
    ['crds/ (its custom resources in its layer)', [CRD, WIDGET, CONFIG]],
  ] as const) {
    it(`deletes nothing, for a CRD the earlier chart had under ${where}`, () => {
      // GIVEN the layer installed as the earlier version charted it, and a user's Widget
      const cluster = new ModelCluster();
      const before = earlierChart(bundle(...documents));
      cluster.install('bundle', before, OWN);
      cluster.create(USERS_WIDGET);
      const present = cluster.objects();
      const after = releases(bundle(...documents));
      // WHEN applied with this version: the CRD release installed (adopting the CRD), then the objects' release upgraded
      const installed = cluster.install(after.crds!.name, after.crds!.rendering, OWN);
      const upgraded = cluster.upgrade(after.objects.name, before, after.objects.rendering, OWN);
      // THEN the CRD release adopts the CRD, the upgrade keeps it, and every object is still there
      assert.deepEqual(installed, ['update CustomResourceDefinition widgets.example.com']);
      assert.deepEqual(upgraded.filter((e) => !e.startsWith('update ')), where.startsWith('files/') ? ['keep CustomResourceDefinition widgets.example.com'] : []);
      assert.deepEqual(cluster.objects(), present);
    });
  }

  it('deleted the CRD and every custom resource of its kind with the earlier layout, when a custom resource joined its layer', () => {
    // GIVEN the CRD installed among the files of the earlier chart, and a user's Widget
    const cluster = new ModelCluster();
    const before = earlierChart(bundle(CRD, CONFIG));
    cluster.install('bundle', before, OWN);
    cluster.create(USERS_WIDGET);
    // WHEN a Widget joins the layer, which moved the CRD to crds/
    const events = cluster.upgrade('bundle', before, earlierChart(bundle(CRD, WIDGET, CONFIG)), OWN);
    // THEN the upgrade deleted the CRD, and with it both Widgets
    assert.deepEqual(events.filter((e) => e.startsWith('delete ')), [
      'delete CustomResourceDefinition widgets.example.com',
      'delete Widget bundle/mine (its CRD was deleted)',
      'delete Widget bundle/w1 (its CRD was deleted)',
    ]);
  });
});
