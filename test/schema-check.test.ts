import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InstallPlan, ManifestLayerSpec, PlannedManifestChart, ProfileSpec, planCluster } from '../src';
import { main } from '../src/cli/main';
import { addOn, manifestLayer } from './helpers';
import { profileErrorOf, synth } from './synth-helpers';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
              protocol: TCP
          resources:
            limits: {cpu: 500m, memory: 128Mi}
`;

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          description: A widget.
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1, description: How big.}
                color: {type: string, enum: [red, blue]}
                port: {x-kubernetes-int-or-string: true}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                labels: {type: object, additionalProperties: {type: string}}
`;

/** One add-on profile with one manifest layer holding `content`. */
function cluster(content: string, values?: ManifestLayerSpec['values']): ProfileSpec[] {
  return [addOn('apps', [manifestLayer('web', content, values ?? 'pack:\n  namespace: web\n')])];
}

const where = 'profile "apps" layer "web" manifest "web"';

/** The addresses of the resources of layer `layer`. */
function addressesOf(plan: InstallPlan, layer: string): string[] {
  return plan.resources.filter((r) => r.layer === layer).map((r) => r.address);
}

/** The release of the chart generated from layer `layer`'s documents; fails when there is none. */
function chartOf(plan: InstallPlan, layer: string): PlannedManifestChart {
  const found = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === layer);
  assert.ok(found, `no generated chart for layer ${layer}`);
  return found;
}

/** The objects a generated chart installs, in file order (`crds/` then `files/`). */
function objectsOf(chart: PlannedManifestChart): Record<string, unknown>[] {
  return chart.manifestChart.files.filter((f) => f.path.endsWith('.json')).map((f) => JSON.parse(f.content) as Record<string, unknown>);
}

describe('manifest schema check: built-in kinds', () => {
  it('accepts a valid Deployment with labels whose keys hold dots and slashes', () => {
    // GIVEN a correct Deployment
    // WHEN planned THEN there is no error and the document is planned, in the layer's generated chart
    const plan = planCluster(cluster(DEPLOYMENT));
    assert.deepEqual(addressesOf(plan, 'web'), ['helm_release.web']);
    assert.deepEqual(objectsOf(chartOf(plan, 'web')).map((o) => [o.kind, o.metadata]), [
      ['Deployment', { name: 'web', namespace: 'web', labels: { 'app.kubernetes.io/name': 'web' } }],
    ]);
  });

  it('reports a misspelt field (replica:) with its path and the field meant', () => {
    // GIVEN a Deployment with `replica:` instead of `replicas:`
    const content = DEPLOYMENT.replace('  replicas: 2', '  replica: 2');
    // WHEN planned
    const err = profileErrorOf(() => planCluster(cluster(content)));
    // THEN one problem names the layer, manifest, document and field
    assert.equal(err.message, `${where} document 1: spec.replica is not a field of apps/v1 Deployment; did you mean "replicas"?`);
    assert.deepEqual(err.problems.map((p) => [p.layer, p.manifest, p.document, p.field]), [['web', 'web', 1, 'spec.replica']]);
  });

  it('reports a string where an integer belongs', () => {
    // GIVEN replicas as a string
    const content = DEPLOYMENT.replace('  replicas: 2', '  replicas: "2"');
    // WHEN planned THEN the field, the expected type and the value found are named
    const err = profileErrorOf(() => planCluster(cluster(content)));
    assert.equal(err.message, `${where} document 1: spec.replicas must be an integer in apps/v1 Deployment, found "2"`);
  });

  it('reports every problem of a document at once, with list positions in the path', () => {
    // GIVEN a misspelt container field, a port as a string and an unknown protocol
    const content = DEPLOYMENT.replace('          image: nginx:1.27', '          image: nginx:1.27\n          imagePullPolice: Always')
      .replace('containerPort: 80', 'containerPort: "80"')
      .replace('protocol: TCP', 'protocol: tcp');
    // WHEN planned
    const err = profileErrorOf(() => planCluster(cluster(content)));
    // THEN each is reported: validator findings first, then unknown fields
    assert.deepEqual(err.message.split('\n'), [
      `${where} document 1: spec.template.spec.containers[0].ports[0].containerPort must be an integer in apps/v1 Deployment, found "80"`,
      `${where} document 1: spec.template.spec.containers[0].ports[0].protocol must be one of "SCTP", "TCP", "UDP" in apps/v1 Deployment, found "tcp"`,
      `${where} document 1: spec.template.spec.containers[0].imagePullPolice is not a field of apps/v1 Deployment; did you mean "imagePullPolicy"?`,
    ]);
  });

  it('reports a missing required field and names the document by its position', () => {
    // GIVEN a ConfigMap, then a Pod without containers
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: "1"}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec: {}\n';
    // WHEN planned THEN the Pod, document 2, misses spec.containers
    const err = profileErrorOf(() => planCluster(cluster(content)));
    assert.equal(err.message, `${where} document 2: spec.containers is required in v1 Pod`);
  });

  it('names a field of an unknown name without a suggestion when nothing is close', () => {
    // GIVEN a Service with a field unlike any other
    const content = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n  loadBalancerFlavour: fast\n';
    // WHEN planned THEN only the field and the kind are named
    const err = profileErrorOf(() => planCluster(cluster(content)));
    assert.equal(err.message, `${where} document 1: spec.loadBalancerFlavour is not a field of v1 Service`);
  });

  it('does not type-check a value that is still a profile variable', () => {
    // GIVEN replicas from a profile variable, which stays a template until Terraform sets it
    const content = DEPLOYMENT.replace('  replicas: 2', '  replicas: "{{.spectro.var.replicas}}"');
    const profiles = [{ ...cluster(content)[0], variables: [{ name: 'replicas', format: 'number' as const, defaultValue: 2 }] }];
    // WHEN planned THEN there is no error: the Deployment is in the chart, replicas a reference to the variable
    const plan = planCluster(profiles);
    const chart = chartOf(plan, 'web');
    assert.deepEqual(addressesOf(plan, 'web'), ['helm_release.web']);
    assert.equal(objectsOf(chart).length, 1);
    assert.deepEqual(Object.values(chart.manifestChart.references), ['{{.spectro.var.replicas}}']);
  });

  it('leaves kinds the schema set does not know unchecked', () => {
    // GIVEN a custom resource without its CRD in the profiles, with any fields
    const content = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: selfsigned}\nspec:\n  selfSigned: {}\n  anything: 1\n';
    // WHEN planned THEN there is no error
    const plan = planCluster(cluster(content));
    assert.deepEqual(addressesOf(plan, 'web'), ['helm_release.web']);
    assert.deepEqual(objectsOf(chartOf(plan, 'web')).map((o) => o.spec), [{ selfSigned: {}, anything: 1 }]);
  });
});

describe('manifest schema check: the per-layer switch', () => {
  it('skips the layer whose pack block says schemaCheck: false', () => {
    // GIVEN the misspelt Deployment in a layer that turns the check off
    const content = DEPLOYMENT.replace('  replicas: 2', '  replica: 2');
    // WHEN planned THEN there is no error, and the Deployment is planned as written
    const plan = planCluster(cluster(content, 'pack:\n  namespace: web\n  schemaCheck: false\n'));
    assert.deepEqual(addressesOf(plan, 'web'), ['helm_release.web']);
    assert.deepEqual(objectsOf(chartOf(plan, 'web')).map((o) => [o.kind, (o.spec as Record<string, unknown>).replica]), [['Deployment', 2]]);
  });

  it('still checks the other layers', () => {
    // GIVEN two layers with the same typo, one of them opted out
    const content = DEPLOYMENT.replace('  replicas: 2', '  replica: 2');
    const profiles = [addOn('apps', [
      manifestLayer('web', content, 'pack:\n  namespace: web\n  schemaCheck: false\n'),
      manifestLayer('api', content, 'pack:\n  namespace: api\n'),
    ])];
    // WHEN planned THEN only the checked layer is reported
    const err = profileErrorOf(() => planCluster(profiles));
    assert.equal(err.message, 'profile "apps" layer "api" manifest "api" document 1: spec.replica is not a field of apps/v1 Deployment; did you mean "replicas"?');
  });

  it('refuses a switch that is not true or false', () => {
    // GIVEN schemaCheck: "no"
    // WHEN planned THEN the value is named
    const err = profileErrorOf(() => planCluster(cluster(DEPLOYMENT, 'pack:\n  namespace: web\n  schemaCheck: "no"\n')));
    assert.equal(err.message, 'profile "apps" layer "web": pack.schemaCheck must be true or false, found "no"');
  });
});

describe('manifest schema check: custom resources against their CRD', () => {
  const widget = (spec: string): string => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec:\n${spec}`;
  const withCrd = (spec: string): ProfileSpec[] => [addOn('apps', [
    manifestLayer('operator', WIDGET_CRD, 'pack:\n  namespace: operator\n'),
    manifestLayer('widgets', widget(spec), 'pack:\n  namespace: widgets\n  spectrocloud.com/install-priority: 10\n'),
  ])];
  const at = 'profile "apps" layer "widgets" manifest "widgets" document 1';
  const schema = 'example.com/v1 Widget (CRD "widgets.example.com" of layer "operator")';

  it('accepts a custom resource that fits, including preserved and int-or-string fields', () => {
    // GIVEN a widget using every kind of field
    const profiles = withCrd('  size: 2\n  color: red\n  port: http\n  extra: {anything: [1, 2]}\n  labels: {a.b/c: d}\n');
    // WHEN planned THEN there is no error: the CRD's generated chart and the widgets'
    const plan = planCluster(profiles);
    assert.deepEqual(plan.resources.filter((r) => r.layer !== undefined).map((r) => r.address), ['helm_release.operator', 'helm_release.operator--crds', 'helm_release.widgets']);
    assert.deepEqual(objectsOf(chartOf(plan, 'widgets')).map((o) => [o.kind, o.spec]), [
      ['Widget', { size: 2, color: 'red', port: 'http', extra: { anything: [1, 2] }, labels: { 'a.b/c': 'd' } }],
    ]);
  });

  it('reports an unknown field, a wrong type, a value outside the enum and a missing field, naming the CRD', () => {
    // GIVEN a widget with `colour`, a string port that is a list, size below the minimum... and no size
    const profiles = withCrd('  colour: red\n  color: green\n  port: [1]\n');
    // WHEN planned
    const err = profileErrorOf(() => planCluster(profiles));
    // THEN every problem names the field and the CRD's schema
    assert.deepEqual(err.message.split('\n'), [
      `${at}: spec.size is required in ${schema}`,
      `${at}: spec.colour is not a field of ${schema}; did you mean "color"?`,
      `${at}: spec.color must be one of "red", "blue" in ${schema}, found "green"`,
      `${at}: spec.port must be an integer or a string in ${schema}, found [1]`,
    ]);
  });

  it('applies the schema\'s value rules such as minimum', () => {
    // GIVEN a widget of size 0
    // WHEN planned THEN ajv's rule is quoted with the value
    const err = profileErrorOf(() => planCluster(withCrd('  size: 0\n')));
    assert.equal(err.message, `${at}: spec.size must be >= 1 in ${schema}, found 0`);
  });

  it('reports an unknown top-level field, while apiVersion, kind and metadata are always allowed', () => {
    // GIVEN a widget with a misspelt `spec`
    const content = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, labels: {a: b}}\nspecs: {size: 1}\n';
    const profiles = [addOn('apps', [manifestLayer('operator', WIDGET_CRD), manifestLayer('widgets', content)])];
    // WHEN planned THEN the top-level field is named
    const err = profileErrorOf(() => planCluster(profiles));
    assert.equal(err.message, `${at}: specs is not a field of ${schema}; did you mean "spec"?`);
  });

  it('uses a CRD from another profile of the cluster', () => {
    // GIVEN the CRD in one profile and a bad widget in another
    const profiles = [
      addOn('platform', [manifestLayer('operator', WIDGET_CRD)]),
      addOn('apps', [manifestLayer('widgets', widget('  size: "big"\n'))]),
    ];
    // WHEN planned THEN the widget is checked
    const err = profileErrorOf(() => planCluster(profiles));
    assert.equal(err.message, `${at}: spec.size must be an integer in ${schema}, found "big"`);
  });
});

describe('manifest schema check: every entry point', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'schema-check-test-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('stops the ClusterProfiles construct before anything is synthesized', () => {
    // GIVEN the misspelt Deployment
    const content = DEPLOYMENT.replace('  replicas: 2', '  replica: 2');
    // WHEN synthesized with the construct THEN the same problem is thrown
    const err = profileErrorOf(() => synth(cluster(content)));
    assert.equal(err.message, `${where} document 1: spec.replica is not a field of apps/v1 Deployment; did you mean "replicas"?`);
  });

  it('makes the CLI exit 1 with the problem and write nothing', async () => {
    // GIVEN a Palette export with the typo
    const file = join(scratch, 'apps.json');
    const content = DEPLOYMENT.replace('  replicas: 2', '  replica: 2');
    writeFileSync(file, JSON.stringify({
      metadata: { name: 'apps' },
      spec: { version: '1.0.0', template: { type: 'add-on', packs: [{ name: 'web', type: 'manifest', layer: 'addon', values: 'pack:\n  namespace: web\n', manifests: [{ name: 'web', content }] }] } },
    }));
    const out: string[] = [];
    const errors: string[] = [];
    // WHEN synthesized with the CLI
    const code = await main(['synth', '--out', join(scratch, 'out'), file], (l) => out.push(l), (l) => errors.push(l));
    // THEN it fails with the problem
    assert.equal(code, 1);
    assert.deepEqual(errors, [
      'cluster-profiles synth: 1 problem in the profiles; nothing was written:',
      `  ${file}: ${where} document 1: spec.replica is not a field of apps/v1 Deployment; did you mean "replicas"?`,
    ]);
  });
});
