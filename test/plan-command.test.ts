import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCluster } from '../src';
import { loadCatalogFile } from '../src/core/input/catalog';
import { findHazards } from '../src/core/report/hazards';
import { loadProfileFiles } from '../src/core/input/load';
import { PLAN_USAGE } from '../src/cli/commands/plan';
import { SMALL_CATALOG, cli, scratchWithExamples } from './cli-helpers';

const files = scratchWithExamples('plan');
const CATALOG = files.write('small-catalog.yaml', SMALL_CATALOG);
const APPS = files.write(
  'apps.yaml',
  `apiVersion: cluster-profiles/v1
kind: ClusterProfile
name: apps
type: add-on
layers:
  - name: db
    type: helm
    chart: postgresql
    version: 12.1.0
    repository: https://charts.example.com
    values:
      pack: {namespace: db, spectrocloud.com/install-priority: -5}
  - name: web
    type: spectro
    version: 1.0.0
    values:
      pack: {spectrocloud.com/install-priority: 10}
  - name: cfg
    type: manifest
    values:
      pack: {namespace: web-config, spectrocloud.com/install-priority: 10}
    manifests:
      - name: settings
        content: |
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: a}
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: b}
`,
);
const DEMO = files.write(
  'demo.yaml',
  `apiVersion: cluster-profiles/v1
kind: ClusterProfile
name: demo
type: add-on
layers:
  - name: demo
    type: manifest
    values:
      pack: {spectrocloud.com/install-priority: 20}
    manifests:
      - name: demo
        content: "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: demo}\\n"
`,
);
const common = ['--catalog', CATALOG, '--lock', files.file('plan.lock.yaml')];

describe('cluster-profiles plan', () => {
  it('prints the tiers with each layer, the destroy order and the hazards', async () => {
    // GIVEN a Helm layer, a registry pack and a manifest layer in two tiers, with no hazard
    // WHEN planned
    const run = await cli('plan', ...common, APPS);
    // THEN the plan lists kind, chart or manifests, version and namespaces of each layer
    assert.deepEqual(run, {
      code: 0,
      out: [
        'Profiles: apps 1.0.0 (add-on)',
        'Install order (each tier starts when every earlier tier is ready):',
        '   1. priority -5',
        '      db  [helm postgresql 12.1.0]  ns db, creates db  (profile apps)',
        '   2. priority 10',
        '      cfg  [manifest 1.0.0: settings (2 objects)]  ns web-config, creates web-config  (profile apps)',
        '      web  [pack web 1.0.0: helm nginx 15.0.1]  ns web, creates web  (profile apps)',
        'Destroy order: priority 10 -> priority -5',
        'Hazards: none',
      ],
      err: [],
    });
  });

  it('prints the plan as JSON with install, destroy and hazards first', async () => {
    // GIVEN the same profiles plus a layer deploying into `default`, a hazard
    // WHEN planned with --json
    const run = await cli('plan', '--json', ...common, APPS, DEMO);
    const expectedHazards = findHazards(planCluster(loadProfileFiles([APPS, DEMO]), { catalog: loadCatalogFile(CATALOG) }));
    // THEN the JSON holds tiers in install order, the reverse for destroy, then the hazards
    assert.equal(run.code, 0);
    const json = JSON.parse(run.out.join('\n'));
    assert.deepEqual(Object.keys(json), ['install', 'destroy', 'hazards', 'profiles', 'layers']);
    assert.deepEqual(json.install, [
      { priority: -5, layers: ['db'] },
      { priority: 10, layers: ['cfg', 'web'] },
      { priority: 20, layers: ['demo'] },
    ]);
    assert.deepEqual(json.destroy, [
      { priority: 20, layers: ['demo'] },
      { priority: 10, layers: ['web', 'cfg'] },
      { priority: -5, layers: ['db'] },
    ]);
    assert.deepEqual(
      json.hazards.map((h: { kind: string; layers: string[] }) => [h.kind, h.layers]),
      [['unowned-namespace', ['demo']]],
    );
    assert.deepEqual(json.hazards, expectedHazards.map((h) => ({ kind: h.kind, layers: h.layers, message: h.message })));
  });

  it('exits 1 with --strict when there is a hazard, after printing the plan', async () => {
    // GIVEN profiles with one hazard
    // WHEN planned with --strict
    const run = await cli('plan', '--strict', ...common, APPS, DEMO);
    // THEN the plan and the hazard are printed, and the exit code fails the pipeline
    assert.equal(run.code, 1);
    assert.equal(run.out[run.out.length - 2], 'Hazards (1):');
    assert.deepEqual(run.err, ['cluster-profiles plan: 1 hazard found and --strict given']);
  });

  it('names every registry pack missing from the catalog, and writes nothing', async () => {
    // GIVEN the example Palette export with registry packs, planned against a catalog lacking them
    // WHEN planned
    const run = await cli('plan', ...common, files.file('palette-export-spectro.json'));
    // THEN each missing pack is one line, with its layer
    const file = files.file('palette-export-spectro.json');
    assert.deepEqual([run.code, run.out], [1, []]);
    assert.deepEqual(run.err, [
      'cluster-profiles plan: 6 problems in the profiles; nothing was written:',
      ...[
        ['cni-cilium-oss', '1.15.6'],
        ['csi-longhorn', '1.6.2'],
        ['cert-manager', '1.14.5'],
        ['istio', '1.22.1'],
        ['podinfo', '6.7.0'],
        ['hello-universe', '1.2.0'],
      ].map(([name, version]) => `  ${file}: profile "edge-spectro" layer "${name}": pack "${name}" version "${version}" is not in the catalog (${CATALOG}); add it to the catalog`),
    ]);
  });

  it('needs a profile file', async () => {
    // GIVEN no file
    // WHEN planned
    const run = await cli('plan', '--json');
    // THEN it is a usage error
    assert.deepEqual(run, { code: 2, out: [], err: ['cluster-profiles plan: plan needs at least one profile file', `Usage: ${PLAN_USAGE}`] });
  });
});
