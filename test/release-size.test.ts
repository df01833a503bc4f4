import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProfileSpec, findHazards, loadProfileFiles, planCluster } from '../src';
import { OBJECTS_VALUE, buildManifestChart } from '../src/core/plan/manifest-chart';
import { SECRET_DATA_LIMIT, estimateReleaseSize, releaseSizeBound } from '../src/core/plan/release-size';
import { generatedCharts, referencesAsWritten } from './chart-delivery';
import { renderGeneratedCharts } from './engines/helm';
import { addOn, helmLayer, manifestLayer, packValues, problemsOf, widgetCrd } from './helpers';
import { REPO } from './synth-helpers';
import { ManifestDocument } from '../src/core/model/resolved';
import { InstallPlan } from '../src/core/model/planned';

/** `bytes` incompressible bytes (a SHA-256 chain: the same every run), base64'd. */
function noise(bytes: number): string {
  const blocks = Array.from({ length: Math.ceil(bytes / 32) }, (_, i) => createHash('sha256').update(`block ${i}`).digest());
  return Buffer.concat(blocks).subarray(0, bytes).toString('base64');
}

/** A ConfigMap named `name` whose key `blob` holds `text`. */
function configMap(name: string, text: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  blob: ${text}\n`;
}

/** A ConfigMap "blob" in namespace "big" as the planner reads it, whose key `blob` holds `text` (and a key `key` holding it again, when given). */
function configMapDocument(text: string, key?: string): ManifestDocument {
  const data = { blob: text, ...(key !== undefined ? { [key]: text } : {}) };
  return { manifest: 'big', position: 1, apiVersion: 'v1', kind: 'ConfigMap', name: 'blob', namespace: 'big', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blob', namespace: 'big' }, data } };
}

/** One add-on profile "apps" with one manifest layer "big" holding `content`, in namespace "big". */
function bigLayer(content: string, pack = ''): ProfileSpec[] {
  return [addOn('apps', [manifestLayer('big', content, packValues('big', 0, pack))])];
}

/** Each generated chart's estimate, and its release size as the Helm harness stores it with the values the construct passes (objects and references). */
function estimatedAndStored(plan: InstallPlan): { readonly address: string; readonly estimated: number; readonly stored: number }[] {
  const charts = plan.resources.filter((r) => r.role === 'manifest-chart');
  const renderings = renderGeneratedCharts(charts.map((r) => ({ chart: r.manifestChart, values: { [OBJECTS_VALUE]: r.manifestChart.digests, ...referencesAsWritten(r.manifestChart) } })));
  return charts.map((r, i) => {
    assert.deepEqual(renderings[i].errors, [], `${r.address} renders`);
    return { address: r.address, estimated: estimateReleaseSize(r.manifestChart, r.namespace), stored: renderings[i].releaseSize };
  });
}

describe('release sizes', () => {
  it('estimates every generated release within 1% of the size Helm stores, CRD releases, variables and incompressible data included', () => {
    // GIVEN a layer of a CRD and its custom resource, a layer using profile variables, and a layer of 300,000 incompressible bytes
    const variables = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  url: "https://{{.spectro.var.host}}/<api>"\n  replicas: "{{.spectro.var.replicas}}"\n';
    const profiles: ProfileSpec[] = [
      {
        ...addOn('apps', [
          manifestLayer('operator', `${widgetCrd()}---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n`, packValues('operator', 0)),
          manifestLayer('settings', variables, packValues('settings', 10)),
          manifestLayer('big', configMap('blob', noise(300_000)), packValues('big', 20)),
        ]),
        variables: [{ name: 'host', defaultValue: 'example.com' }, { name: 'replicas', format: 'number', defaultValue: 3 }],
      },
    ];
    // WHEN each release is estimated, and stored by the Helm harness (Go's JSON and gzip)
    const sizes = estimatedAndStored(planCluster(profiles));
    // THEN every release is there, and each estimate is within 1% of Helm's
    assert.deepEqual(
      sizes.map((s) => s.address),
      ['helm_release.operator', 'helm_release.operator--crds', 'helm_release.settings', 'helm_release.big'],
    );
    for (const { address, estimated, stored } of sizes) {
      assert.ok(Math.abs(estimated - stored) <= stored * 0.01, `${address}: estimated ${estimated}, Helm stores ${stored}`);
    }
  });

  it('refuses a layer whose release Helm could not store, naming the layer, the measured size and the limit', () => {
    // GIVEN a layer holding 360,000 incompressible bytes (480,000 base64 characters: each document counts twice in the release)
    const profiles = bigLayer(configMap('blob', noise(360_000)));
    // WHEN planned THEN one error names the release, its estimated size, the limit and the ways out
    assert.deepEqual(problemsOf(() => planCluster(profiles)), [
      'profile "apps" layer "big": the Helm release of its generated chart ("big") would be stored as about 1,088,620 bytes (1.04 MiB) (JSON, gzip\'d, base64\'d; each document counts twice, as a chart file and in the rendered manifest), above the 1,048,576 bytes (1.00 MiB) the API server accepts in the release\'s Secret; split the layer\'s manifests among several layers, or set pack.manifestStrategy: manifest (one kubernetes_manifest per document, no release)',
    ]);
    // AND Helm, as the harness reproduces it, would store more than the limit too
    const chart = buildManifestChart('big', [configMapDocument(noise(360_000))]);
    const [stored] = renderGeneratedCharts([{ chart, values: { [OBJECTS_VALUE]: chart.digests } }]);
    assert.ok(stored.releaseSize > SECRET_DATA_LIMIT, `Helm stores ${stored.releaseSize}`);
  });

  it('refuses a layer whose CRDs\' release Helm could not store, offering to split the CRDs', () => {
    // GIVEN a CRD whose schema's description holds 360,000 incompressible bytes
    const crd = widgetCrd().replace('openAPIV3Schema: {type: object,', `openAPIV3Schema: {type: object, description: ${noise(360_000)},`);
    // WHEN planned THEN the error names the CRDs' release
    assert.deepEqual(problemsOf(() => planCluster(bigLayer(crd))), [
      'profile "apps" layer "big": the Helm release of its CustomResourceDefinitions\' generated chart ("big-crds") would be stored as about 1,089,416 bytes (1.04 MiB) (JSON, gzip\'d, base64\'d; each document counts twice, as a chart file and in the rendered manifest), above the 1,048,576 bytes (1.00 MiB) the API server accepts in the release\'s Secret; split its CustomResourceDefinitions among several layers, or set pack.manifestStrategy: manifest (one kubernetes_manifest per document, no release)',
    ]);
  });

  it('refuses manifests attached to a Helm layer whose release Helm could not store', () => {
    // GIVEN a Helm layer with an attached manifest holding 360,000 incompressible bytes
    const profiles = [addOn('apps', [helmLayer('db', packValues('db', 0), { manifests: [{ name: 'blobs', content: configMap('blob', noise(360_000)) }] })])];
    // WHEN planned THEN the error names the layer and its manifests' release, and offers to move manifests out
    assert.deepEqual(problemsOf(() => planCluster(profiles)), [
      'profile "apps" layer "db": the Helm release of its generated chart ("db-manifests") would be stored as about 1,088,648 bytes (1.04 MiB) (JSON, gzip\'d, base64\'d; each document counts twice, as a chart file and in the rendered manifest), above the 1,048,576 bytes (1.00 MiB) the API server accepts in the release\'s Secret; move some of the layer\'s manifests to manifest layers of their own, or set pack.manifestStrategy: manifest (one kubernetes_manifest per document, no release)',
    ]);
  });

  it('reports a release near the limit as a size-limit hazard', () => {
    // GIVEN a layer holding 300,000 incompressible bytes
    const plan = planCluster(bigLayer(configMap('blob', noise(300_000))));
    // (Helm, as the harness reproduces it, would store it between 80% and 100% of the limit too)
    const [{ stored }] = estimatedAndStored(plan);
    assert.ok(stored >= SECRET_DATA_LIMIT * 0.8 && stored <= SECRET_DATA_LIMIT, `Helm stores ${stored}`);
    // WHEN its hazards are found THEN one says how near the release is to the limit
    assert.deepEqual(
      findHazards(plan).map((h) => [h.kind, h.layers, h.message]),
      [
        [
          'size-limit',
          ['big'],
          'profile "apps" layer "big": the Helm release of its generated chart ("big") would be stored as about 907,616 bytes (0.87 MiB) (JSON, gzip\'d, base64\'d; each document counts twice, as a chart file and in the rendered manifest), 86% of the 1,048,576 bytes (1.00 MiB) the API server accepts in the release\'s Secret; split the layer\'s manifests among several layers, or set pack.manifestStrategy: manifest (one kubernetes_manifest per document, no release)',
        ],
      ],
    );
  });

  it('measures sizes once, while planning: the plan carries them and its hazards read them from it', () => {
    // GIVEN the plan of a layer near the limit
    const plan = planCluster(bigLayer(configMap('blob', noise(300_000))));
    // THEN the plan carries the one finding, below the limit
    assert.deepEqual(plan.sizes.map((f) => [f.layer, f.over]), [['big', false]]);
    // WHEN the hazards of the same plan carrying another finding instead are found
    const where = { file: 'apps.yaml', profile: 'apps', layer: 'big' };
    const hazards = findHazards({ ...plan, sizes: [{ layer: 'big', where, over: false, message: 'measured elsewhere' }] });
    // THEN the hazard is the finding the plan carries: nothing is measured again
    assert.deepEqual(hazards.filter((h) => h.kind === 'size-limit').map((h) => h.message), ['apps.yaml: profile "apps" layer "big": measured elsewhere']);
  });

  it('refuses a ConfigMap holding more data than the API server accepts, under either strategy', () => {
    // GIVEN a ConfigMap of 1,100,000 bytes of data (compressible: its release is small)
    for (const strategy of ['', '  manifestStrategy: manifest\n']) {
      // WHEN planned THEN the error names the document, its data size and the limit
      assert.deepEqual(problemsOf(() => planCluster(bigLayer(configMap('blob', 'a'.repeat(1_100_000)), strategy))), [
        'profile "apps" layer "big" manifest "big" document 1: ConfigMap "blob" holds 1,100,000 bytes (1.05 MiB) of data, above the 1,048,576 bytes (1.00 MiB) the API server accepts in one ConfigMap\'s data; split it into several ConfigMaps',
      ]);
    }
  });

  it('counts a Secret\'s data decoded: 1.2 MiB of base64 holding 900,000 bytes is a hazard, not an error', () => {
    // GIVEN a Secret whose data is 900,000 bytes, 1,200,000 characters as base64
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: blob\ndata:\n  blob: ${Buffer.from('a'.repeat(900_000)).toString('base64')}\n`;
    // WHEN planned THEN it is near the limit, as its decoded size
    assert.deepEqual(
      findHazards(planCluster(bigLayer(secret))).map((h) => h.message),
      ['profile "apps" layer "big" manifest "big" document 1: Secret "blob" holds 900,000 bytes (0.86 MiB) of data, 85% of the 1,048,576 bytes (1.00 MiB) the API server accepts in one Secret\'s data; split it into several Secrets'],
    );
  });

  it('refuses an object larger than etcd stores', () => {
    // GIVEN a custom resource of about 1.6 MiB as JSON
    const widget = `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: huge\nspec:\n  text: ${'a'.repeat(1_700_000)}\n`;
    const json = JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'huge', namespace: 'big' }, spec: { text: 'a'.repeat(1_700_000) } });
    assert.equal(Buffer.byteLength(json), 1_700_111);
    // WHEN planned THEN the error names the document, its size as JSON (as placed in the layer's namespace) and etcd's limit
    assert.deepEqual(problemsOf(() => planCluster(bigLayer(`${widgetCrd()}---\n${widget}`))), [
      'profile "apps" layer "big" manifest "big" document 2: Widget "huge" is 1,700,111 bytes (1.62 MiB) as JSON, above the 1,572,864 bytes (1.50 MiB) etcd stores for one object by default; split it into several objects',
    ]);
  });

  it('keeps the example profiles\' releases far below the limit, and never gzips them at synth time', () => {
    // GIVEN the example cluster
    const registries = JSON.parse(readFileSync(join(REPO, 'examples', 'profiles', 'registries.json'), 'utf8')) as Record<string, string>;
    const profiles = loadProfileFiles([join(REPO, 'examples', 'profiles', 'edge-platform.json'), join(REPO, 'examples', 'profiles', 'team-observability.json')]);
    // WHEN planned
    const plan = planCluster(profiles, { registries });
    const sizes = estimatedAndStored(plan);
    // THEN it has generated releases, each stored in under 2% of the limit, with no size hazard
    assert.ok(sizes.length > 0 && generatedCharts(plan).length >= sizes.length);
    for (const { address, stored } of sizes) assert.ok(stored < SECRET_DATA_LIMIT * 0.02, `${address}: Helm stores ${stored}`);
    assert.deepEqual(findHazards(plan).filter((h) => h.kind === 'size-limit'), []);
    // AND the bound that spares them the gzip stays under the hazard share
    for (const r of plan.resources.filter((r) => r.role === 'manifest-chart')) assert.ok(releaseSizeBound(r.manifestChart) < SECRET_DATA_LIMIT * 0.8, r.address);
  });

  it('bounds a release from above without compressing, even for text Go escapes and non-ASCII', () => {
    // GIVEN incompressible strings of '>', '&', a C1 control, U+2028 and non-ASCII letters (each widens when Helm stores it)
    const alphabet = ['>', '&', '\u0085', '\u2028', 'é', '語', '"', '\\', 'a'];
    const random = createHash('sha256');
    const text = Array.from({ length: 20_000 }, (_, i) => alphabet[random.copy().update(String(i)).digest()[0] % alphabet.length]).join('');
    const chart = buildManifestChart('wide', [configMapDocument(text, `{{.spectro.var.x}}${text.slice(0, 100)}`)]);
    // WHEN estimated and bounded THEN the bound is above both the estimate and what Helm stores
    const [stored] = renderGeneratedCharts([{ chart, values: { [OBJECTS_VALUE]: chart.digests, ...referencesAsWritten(chart) } }]);
    const bound = releaseSizeBound(chart);
    assert.ok(bound >= estimateReleaseSize(chart, 'default') && bound >= stored.releaseSize, `bound ${bound}, estimate ${estimateReleaseSize(chart, 'default')}, Helm ${stored.releaseSize}`);
  });
});
