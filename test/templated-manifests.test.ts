// Registry pack manifests that are Go templates over the pack's values (issue 15, item 6): rendered by
// Helm from the layer's generated chart, compared with Go's text/template and sprig rendering the
// same text with the same values (test/engines/go/sprig-eval), read as Kubernetes reads YAML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PackLayerSpec, ProfileSpec, diffPlans, formatDiff, planCluster } from '../src';
import { describeLayerContents } from '../src/core/report/plan-summary';
import { readCatalog } from '../src/core/input/catalog';
import { PackCatalog } from '../src/core/model/catalog';
import { isTemplatedManifest } from '../src/core/resolve/packs';
import { canonical, readObjects } from './chart-delivery';
import { InstallPlan, PlannedManifestChart } from '../src/core/model/planned';
import { readAsKubernetes, renderGoTemplates } from './engines/engines';
import { renderGeneratedChart } from './engines/helm';
import { problemsOf } from './helpers';

/**
 * A pack manifest in the way registry packs write them: a Service only when the API is enabled, a
 * name with a default, a label through a pipeline, ports from a list, and a ConfigMap with a quoted
 * value and a `with` block.
 */
const GATEWAY = [
  '{{- if .Values.apiEnabled }}',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: {{ .Values.serviceName | default "gateway-api" }}',
  '  labels:',
  '    tier: {{ .Values.tier | upper | quote }}',
  'spec:',
  '  selector:',
  '    app: gateway',
  '  ports:',
  '{{- range .Values.ports }}',
  '    - name: port-{{ . }}',
  '      port: {{ . }}',
  '{{- end }}',
  '{{- end }}',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: gateway-settings',
  'data:',
  '  mode: {{ .Values.mode | quote }}',
  '{{- with .Values.extra }}',
  '  extra: {{ . | trim | quote }}',
  '{{- end }}',
  '',
].join('\n');

/** The pack's default values for its manifest `gateway`. */
const DEFAULTS = { apiEnabled: false, tier: 'bronze', ports: [8080], mode: 'on', extra: '  edge  ' };

function catalog(content = GATEWAY): PackCatalog {
  return readCatalog(
    { apiVersion: 'cluster-profiles/v1', kind: 'PackCatalog', packs: [{ name: 'gateway', version: '1.0.0', manifests: [{ name: 'gateway', content }], values: { pack: { namespace: 'edge' }, manifests: { gateway: DEFAULTS } } }] },
    'catalog.yaml',
  );
}

function profile(values?: PackLayerSpec['values']): ProfileSpec {
  return { name: 'apps', type: 'add-on', layers: [{ kind: 'pack', name: 'gateway', version: '1.0.0', values }], source: 'apps.json' };
}

function objectsChart(plan: InstallPlan): PlannedManifestChart {
  const found = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === 'gateway' && r.holds === 'objects');
  assert.ok(found, 'layer gateway has no generated chart');
  return found;
}

/** The objects Go's text/template with sprig gives for `template` and `values`, each read as Kubernetes reads YAML, canonical. */
function renderedIndependently(template: string, values: Record<string, unknown>): string[] {
  const [rendering] = renderGoTemplates([{ template, values }]);
  assert.ok('text' in rendering, `Go's renderer fails: ${'error' in rendering ? rendering.error : ''}`);
  const documents = rendering.text.split(/^---$/m).filter((d) => d.trim() !== '');
  return readAsKubernetes(documents).map((r) => {
    assert.ok('json' in r, 'a rendered document does not parse');
    return canonical(JSON.parse(r.json));
  });
}

describe('templated pack manifests: what makes a manifest a template', () => {
  it('tells templates over .Values from plain placeholders, Palette macros and braces in text', () => {
    // GIVEN manifests using each kind of action
    const cases: [string, boolean][] = [
      ['{{ if .Values.apiEnabled }}a: 1{{ end }}', true],
      ['a: {{ .Values.name | quote }}', true],
      ['{{- range .Values.hosts }}\n- {{ . }}\n{{- end }}', true],
      ['a: {{ $.Values.name }}', true],
      ['a: {{ toJson .Values.labels }}', true],
      ['a: {{ .Values }}', true],
      ['a: "{{ .Values.path.to.key }}"', false],
      ['a: "{{- .Values.name -}}"', false],
      ['a: "{{ .spectro.system.cluster.name }}"', false],
      ['legend: "{{instance}}"', false],
      ['a: 1', false],
    ];
    // WHEN each is recognised
    // THEN only uses of .Values other than a plain path make a template
    assert.deepEqual(cases.map(([text]) => [text, isTemplatedManifest(text)]), cases);
  });
});

describe('templated pack manifests under the chart strategy, rendered by Helm', () => {
  it('renders the objects Go templates and sprig render from the layer values merged over the pack defaults', () => {
    // GIVEN the gateway pack, and a layer enabling the API with two ports and a tier
    const layerValues = { manifests: { gateway: { apiEnabled: true, ports: [80, 443], tier: 'gold' } } };
    const plan = planCluster([profile(layerValues)], { catalog: catalog() });
    // WHEN Helm installs the layer's generated chart, and Go's renderer renders the manifest with the merged values
    const rendering = renderGeneratedChart(objectsChart(plan).manifestChart);
    const expected = renderedIndependently(GATEWAY, { ...DEFAULTS, apiEnabled: true, ports: [80, 443], tier: 'gold' });
    // THEN Helm installs exactly those objects (the Service with both ports and tier "GOLD", the ConfigMap), nothing else
    assert.deepEqual(rendering.errors, []);
    assert.deepEqual(readObjects(rendering.objects).sort(), [...expected].sort());
    assert.deepEqual(
      rendering.objects.map((o) => [o.kind, o.name]),
      [['ConfigMap', 'gateway-settings'], ['Service', 'gateway-api']],
    );
    assert.equal(expected.length, 2);
  });

  it('leaves an object out when its condition is false in the values, as Go\'s renderer does', () => {
    // GIVEN the gateway pack with its defaults (apiEnabled: false)
    const plan = planCluster([profile()], { catalog: catalog() });
    // WHEN Helm installs the chart
    const rendering = renderGeneratedChart(objectsChart(plan).manifestChart);
    // THEN only the ConfigMap is installed, as Go renders it (mode "on" a string, extra trimmed)
    const expected = renderedIndependently(GATEWAY, DEFAULTS);
    assert.deepEqual(readObjects(rendering.objects), expected);
    assert.deepEqual(JSON.parse(expected[0]).data, { extra: 'edge', mode: 'on' });
  });

  it('emits Palette macros in a templated manifest as written', () => {
    // GIVEN a templated manifest that also holds a Palette macro
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: info\ndata:\n  cluster: "{{ .spectro.system.cluster.name }}"\n  mode: {{ .Values.mode | quote }}\n';
    const plan = planCluster([profile()], { catalog: catalog(content) });
    // WHEN Helm installs the chart
    const rendering = renderGeneratedChart(objectsChart(plan).manifestChart);
    // THEN the macro reaches the object as written, the value as rendered
    assert.deepEqual(JSON.parse(rendering.objects[0].json!).data, { cluster: '{{ .spectro.system.cluster.name }}', mode: 'on' });
  });

  it('is shown in the plan as a template of the pack', () => {
    // GIVEN the gateway pack
    const plan = planCluster([profile()], { catalog: catalog() });
    // WHEN its contents are described
    // THEN the template is named
    assert.equal(describeLayerContents(plan.tiers[0].layers[0]), 'pack gateway 1.0.0: template gateway');
  });

  it('shows a change of its values in the diff, naming the templated manifest', () => {
    // GIVEN the gateway pack with its defaults, then with the API enabled
    const before = planCluster([profile()], { catalog: catalog() });
    const after = planCluster([profile({ manifests: { gateway: { apiEnabled: true } } })], { catalog: catalog() });
    // WHEN diffed
    const diff = diffPlans(before, after);
    // THEN the layer's change names the template
    assert.deepEqual(diff.layers.map((l) => l.changes), [[{ what: 'templates', added: [], removed: [], changed: ['gateway'] }]]);
    assert.match(formatDiff(diff), /templated manifests \(text or values\) changed gateway/);
  });

  it('lists the templated manifest with a digest, in the pack\'s --manifests release in the layer namespace', () => {
    // GIVEN the gateway pack
    const plan = planCluster([profile()], { catalog: catalog() });
    // WHEN planned
    const release = objectsChart(plan);
    // THEN its digests name the template, and the release is the pack's --manifests release in the layer's namespace
    assert.deepEqual(Object.keys(release.manifestChart.digests), ['template gateway']);
    assert.deepEqual([release.address, release.namespace], ['helm_release.gateway--manifests', 'edge']);
  });
});

describe('templated pack manifests: what is refused', () => {
  it('refuses pack.manifestStrategy: manifest, saying the chart strategy renders it', () => {
    // GIVEN the gateway pack on a layer with the manifest strategy
    const values = { pack: { manifestStrategy: 'manifest' } };
    // WHEN planned
    // THEN the error names the layer, the manifest, the template action and the way out
    assert.deepEqual(problemsOf(() => planCluster([profile(values)], { catalog: catalog() })), [
      'apps.json: profile "apps" layer "gateway" manifest "gateway": pack.manifestStrategy is "manifest", but manifest "gateway" of the pack is a Go template over the pack\'s values ({{- if .Values.apiEnabled }}), which Palette renders and only Helm renders here; remove pack.manifestStrategy: manifest so that the layer\'s generated chart renders it with its values',
    ]);
  });

  it('refuses a templated manifest that defines named templates', () => {
    // GIVEN a templated manifest with a define
    const content = '{{- define "labels" }}app: x{{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {{ include "labels" . | nindent 4 }}\ndata:\n  a: {{ .Values.mode | quote }}\n';
    // WHEN planned
    // THEN the error names the manifest and the construct
    assert.deepEqual(problemsOf(() => planCluster([profile()], { catalog: catalog(content) })), [
      'apps.json: profile "apps" layer "gateway" manifest "gateway": content is a Go template over the pack\'s values that uses "define", which the generated chart cannot hold (each templated manifest is one named template of the chart); inline the template',
    ]);
  });

  it('refuses a profile variable in the values of a templated manifest', () => {
    // GIVEN a layer setting the templated manifest's tier to a profile variable
    const values = { manifests: { gateway: { tier: '{{.spectro.var.tier}}' } } };
    const withVariable: ProfileSpec = { ...profile(values), variables: [{ name: 'tier', defaultValue: 'gold' }] };
    // WHEN planned
    // THEN the error names the values of the manifest and the variable
    assert.deepEqual(problemsOf(() => planCluster([withVariable], { catalog: catalog() })), [
      'apps.json: profile "apps" layer "gateway" manifest "gateway": values.manifests.gateway uses profile variable "tier", but manifest "gateway" of the pack is a Go template over these values, rendered by Helm from the chart\'s own values, which cannot hold Terraform variables; give the value itself',
    ]);
  });
});
