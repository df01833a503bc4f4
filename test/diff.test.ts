import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileSpec, planCluster } from '../src';
import { diffPlans, formatDiff, formatPath } from '../src/core/report/diff';
import { DIFF_USAGE } from '../src/cli/commands/diff';
import { SMALL_CATALOG, cli, scratchWithExamples } from './cli-helpers';
import { readAsKubernetes } from './engines/engines';
import { addOn, helmLayer } from './helpers';

const files = scratchWithExamples('diff');
const CATALOG = files.write('small-catalog.yaml', SMALL_CATALOG);
const OLD = files.write(
  'old.yaml',
  `apiVersion: cluster-profiles/v1
kind: ClusterProfile
name: apps
version: 1.0.0
type: add-on
layers:
  - name: db
    type: helm
    chart: postgresql
    version: 12.1.0
    repository: https://charts.example.com
    values:
      pack: {namespace: db, spectrocloud.com/install-priority: -5}
      auth: {password: s3cret, database: app}
      primary: {persistence: {size: 8Gi}}
  - name: web
    type: spectro
    version: 1.0.0
    values:
      pack: {spectrocloud.com/install-priority: 10}
      charts:
        nginx: {replicaCount: 1}
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
          data: {x: "1"}
`,
);
const NEW = files.write(
  'new.yaml',
  `apiVersion: cluster-profiles/v1
kind: ClusterProfile
name: apps
version: 1.1.0
type: add-on
layers:
  - name: db
    type: helm
    chart: postgresql
    version: 12.2.0
    repository: https://charts.example.com
    values:
      pack: {namespace: db, spectrocloud.com/install-priority: -5}
      auth: {password: n3w-s3cret, database: app}
      primary: {persistence: {size: 8Gi}}
      metrics: {enabled: true}
  - name: web
    type: spectro
    version: 1.0.0
    values:
      pack: {spectrocloud.com/install-priority: 20}
      charts:
        nginx: {replicaCount: 2}
  - name: cache
    type: helm
    chart: redis
    version: 19.5.5
    repository: https://charts.example.com
    values:
      pack: {namespace: cache, spectrocloud.com/install-priority: 10}
`,
);
const common = ['--catalog', CATALOG, '--lock', files.file('diff.lock.yaml')];

function manifestProfile(content: string, namespace = 'apps'): ProfileSpec {
  return { name: 'p', type: 'add-on', layers: [{ kind: 'manifest', name: 'cfg', manifests: [{ name: 'm', content }], values: `pack:\n  namespace: ${namespace}\n` }] };
}

describe('diffPlans', () => {
  it('lists objects added, removed and changed in a manifest layer', () => {
    // GIVEN a manifest layer whose ConfigMap changes, whose Secret goes and whose Service comes
    const before = manifestProfile('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1"}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n');
    const after = manifestProfile('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "2"}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: svc}\n');
    // WHEN diffed
    const diff = diffPlans(planCluster([before]), planCluster([after]));
    // THEN the objects are named by kind, namespace and name
    assert.deepEqual(diff.layers, [
      { layer: 'cfg', change: 'changed', profile: 'p', changes: [{ what: 'objects', added: ['Service apps/svc'], removed: ['Secret apps/s'], changed: ['ConfigMap apps/a'] }] },
    ]);
  });

  it('names a namespace that moves to another one as destroyed and created', () => {
    // GIVEN a layer moving from namespace "apps" to "apps-v2"
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
    // WHEN diffed
    const diff = diffPlans(planCluster([manifestProfile(content)]), planCluster([manifestProfile(content, 'apps-v2')]));
    // THEN the old namespace is destroyed, the new one created, and the layer says both
    assert.equal(
      formatDiff(diff),
      [
        'Layers:',
        '  ~ cfg (profile p): namespace apps -> apps-v2; objects added ConfigMap apps-v2/a, removed ConfigMap apps/a; destroys namespace apps; creates namespace apps-v2',
        'Namespaces:',
        '  - apps: DESTROYED with everything in it, including objects not deployed by these profiles (was owned by cfg)',
        '  + apps-v2: created (owned by cfg)',
      ].join('\n'),
    );
  });

  it('names a change of manifest strategy, and what it does to the objects', () => {
    // GIVEN a layer pinned to one kubernetes_manifest per document, then on the default generated chart
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
    const pinned: ProfileSpec = { name: 'p', type: 'add-on', layers: [{ kind: 'manifest', name: 'cfg', manifests: [{ name: 'm', content }], values: 'pack:\n  namespace: apps\n  manifestStrategy: manifest\n' }] };
    const charted = manifestProfile(content);
    // WHEN diffed both ways
    const forward = formatDiff(diffPlans(planCluster([pinned]), planCluster([charted])));
    const back = formatDiff(diffPlans(planCluster([charted]), planCluster([pinned])));
    // THEN moving to the chart forgets and adopts; moving back replaces, and says so
    assert.equal(forward, 'Layers:\n  ~ cfg (profile p): manifest strategy manifest -> chart (Terraform forgets the kubernetes_manifest objects; the release adopts them)');
    assert.equal(back, 'Layers:\n  ~ cfg (profile p): manifest strategy chart -> manifest (REPLACES the objects: the release is uninstalled and each object created again)');
  });

  it('says so when nothing changes', () => {
    // GIVEN the same profile twice
    const profile = manifestProfile('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    // WHEN diffed
    // THEN there is nothing to report
    assert.equal(formatDiff(diffPlans(planCluster([profile]), planCluster([profile]))), 'No changes: the same layers, versions, values, tiers and namespaces.');
  });

  it('compares values as Helm reads them: 0644 for 420, yes for true and 1_000 for 1000 are no change', () => {
    // GIVEN values spelled in YAML 1.1 forms, then as the numbers and booleans Helm reads from them
    const before = 'mode: 0644\nenabled: yes\ncount: 1_000\n';
    const after = 'mode: 420\nenabled: true\ncount: 1000\n';
    const [helmBefore, helmAfter] = readAsKubernetes([before, after]);
    assert.deepEqual(helmBefore, helmAfter);
    // WHEN diffed
    const diff = diffPlans(planCluster([addOn('apps', [helmLayer('db', before)])]), planCluster([addOn('apps', [helmLayer('db', after)])]));
    // THEN no value path changed, and the text change is named as one Helm does not see
    assert.equal(formatDiff(diff), 'Layers:\n  ~ db (profile apps): values text changed (comments, layout or spelling only: the same values for Helm)');
  });

  it('names a value Helm reads differently though YAML 1.2 reads it the same: 0644 and 644', () => {
    // GIVEN a file mode written 0644 (octal for Helm), then 644
    const before = 'mode: 0644\nuser: 1000\n';
    const after = 'mode: 644\nuser: 1000\n';
    const [helmBefore, helmAfter] = readAsKubernetes([before, after]);
    assert.deepEqual([helmBefore, helmAfter], [{ json: '{"mode":420,"user":1000}' }, { json: '{"mode":644,"user":1000}' }]);
    // WHEN diffed
    const diff = diffPlans(planCluster([addOn('apps', [helmLayer('db', before)])]), planCluster([addOn('apps', [helmLayer('db', after)])]));
    // THEN the mode is a changed value
    assert.equal(formatDiff(diff), 'Layers:\n  ~ db (profile apps): values changed at mode');
  });

  it('writes value paths readably, quoting keys that hold dots', () => {
    // GIVEN a path through an annotation key
    // WHEN formatted
    // THEN the dotted key is bracketed
    assert.equal(formatPath(['controller', 'annotations', 'prometheus.io/scrape']), 'controller.annotations["prometheus.io/scrape"]');
  });
});

describe('cluster-profiles diff', () => {
  it('lists what the change does per layer and every namespace destroyed', async () => {
    // GIVEN an edit that bumps a chart and its values, moves a pack to a later tier with new chart
    // values, removes a manifest layer and adds a Helm layer
    // WHEN diffed
    const run = await cli('diff', ...common, OLD, '--', NEW);
    // THEN each layer's changes are one line (value paths only, never values), and the namespace
    // of the removed layer is named as destroyed with everything in it
    assert.deepEqual(run, {
      code: 0,
      out: [
        'Profiles:',
        '  ~ apps 1.0.0 -> 1.1.0',
        'Layers:',
        '  - cfg (profile apps): removed: manifest 1.0.0: settings (1 object); tier priority 10; ns web-config; destroys namespace web-config',
        '  ~ db (profile apps): version 12.1.0 -> 12.2.0; values changed at auth.password, metrics (added)',
        '  ~ web (profile apps): tier priority 10 -> priority 20; chart nginx values changed at replicaCount',
        '  + cache (profile apps): added: helm redis 19.5.5; tier priority 10; ns cache; creates namespace cache',
        'Namespaces:',
        '  - web-config: DESTROYED with everything in it, including objects not deployed by these profiles (was owned by cfg)',
        '  + cache: created (owned by cache)',
      ],
      err: [],
    });
  });

  it('prints the difference as JSON', async () => {
    // GIVEN the same edit
    // WHEN diffed with --json (options may follow --)
    const run = await cli('diff', OLD, '--', NEW, '--json', ...common);
    // THEN the namespaces and the priority move are structured
    const json = JSON.parse(run.out.join('\n'));
    assert.deepEqual(json.namespaces, [
      { namespace: 'web-config', change: 'destroyed', layers: ['cfg'] },
      { namespace: 'cache', change: 'created', layers: ['cache'] },
    ]);
    assert.deepEqual(json.layers[2], {
      layer: 'web',
      change: 'changed',
      profile: 'apps',
      changes: [
        { what: 'priority', from: 'priority 10', to: 'priority 20' },
        { what: 'values', chart: 'nginx', changed: ['replicaCount'], added: [], removed: [] },
      ],
    });
  });

  it('needs -- between the old and the new files', async () => {
    // GIVEN no separator
    // WHEN run
    const run = await cli('diff', OLD, NEW);
    // THEN it is a usage error
    assert.deepEqual(run, { code: 2, out: [], err: ['cluster-profiles diff: diff needs the old profile files, then --, then the new ones', `Usage: ${DIFF_USAGE}`] });
  });
});
