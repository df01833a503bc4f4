import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileSpec, planCluster } from '../src';
import { REFERENCES_VALUE } from '../src/core/plan/manifest-chart';
import { referencesValues } from '../src/constructs/manifest-chart';
import { canonical, generatedCharts, readObjects, referencesAsWritten } from './chart-delivery';
import { readAsKubernetes } from './engines/engines';
import { HelmRendering, renderGeneratedChart } from './engines/helm';
import { addOn, manifestLayer } from './helpers';
import { TfJson, profileErrorOf, synth } from './synth-helpers';
import { InstallPlan, PlannedManifestChart } from '../src/core/model/planned';

/**
 * Documents that Helm's engine or Kubernetes' YAML reader would change, installed through the Helm
 * rendering harness and compared, object by object, with their source as Kubernetes reads it.
 */

const PACK = 'pack:\n  namespace: traps\n';

function chartOf(plan: InstallPlan, layer = 'traps'): PlannedManifestChart {
  const found = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === layer);
  assert.ok(found, `layer ${layer} has no generated chart`);
  return found;
}

/** The source documents as Kubernetes reads them, placed in namespace "traps" (ConfigMaps), canonical. */
function sourceAsKubernetesReads(...documents: string[]): string[] {
  return readAsKubernetes(documents).map((r) => {
    assert.ok('json' in r, `a source document does not parse: ${JSON.stringify(r)}`);
    const object = JSON.parse(r.json) as TfJson;
    return canonical({ ...object, metadata: { ...object.metadata, namespace: 'traps' } });
  });
}

/** Helm installing the layer "traps" holding `documents`, its tokens filled with the strings as written. */
function installed(...documents: string[]): HelmRendering {
  const chart = chartOf(planCluster([addOn('apps', [manifestLayer('traps', documents.join('---\n'), PACK)])])).manifestChart;
  return renderGeneratedChart(chart, referencesAsWritten(chart));
}

const configMap = (name: string, data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;

describe('generated charts deliver documents Helm or YAML 1.1 would change', () => {
  it('delivers "<no value>" as a value and inside a longer string', () => {
    // GIVEN ConfigMaps holding "<no value>" alone, inside a string and in a key
    const docs = [configMap('a', '  a: "<no value>"\n'), configMap('b', '  b: "x <no value> y"\n  "<no value>": k\n')];
    // WHEN Helm installs the chart THEN the objects are the source's, "<no value>" included
    const rendering = installed(...docs);
    assert.deepEqual(rendering.errors, []);
    assert.deepEqual(readObjects(rendering.objects), sourceAsKubernetesReads(...docs));
  });

  it('delivers "<no value>" in a namespace annotation of a retained namespace', () => {
    // GIVEN a retained namespace annotated with "<no value>"
    const pack = `${PACK}  retainNamespace: true\n  namespaceAnnotations:\n    traps: "note=<no value>"\n`;
    const plan = planCluster([addOn('apps', [manifestLayer('traps', configMap('a', '  a: "1"\n'), pack)])]);
    const [chart] = generatedCharts(plan).filter((c) => c.address === 'helm_release.namespace--traps');
    // WHEN Helm installs the namespace's chart
    const rendering = renderGeneratedChart(chart.chart);
    // THEN the annotation is intact
    assert.deepEqual(rendering.objects.map((o) => (JSON.parse(o.json!) as TfJson).metadata.annotations), [{ 'helm.sh/resource-policy': 'keep', note: '<no value>' }]);
  });

  it('delivers U+0085, U+2028 and U+2029 in strings and keys, and characters YAML cannot print', () => {
    // GIVEN strings around the three YAML 1.1 line breaks (with spaces YAML would eat), a key holding one, and DEL, C1, U+FEFF
    const doc = configMap('a', '  a: "x \\N y"\n  b: "x \\L y"\n  c: "x \\P y"\n  "k\\L": v\n  d: "\\x7F\\x9B\\uFEFF"\n');
    // WHEN Helm installs the chart THEN the object is the source's
    const rendering = installed(doc);
    assert.deepEqual(rendering.errors, []);
    assert.deepEqual(readObjects(rendering.objects), sourceAsKubernetesReads(doc));
  });

  it('delivers a layer named null, yes or 0x10: Chart.yaml quotes its name', () => {
    // GIVEN three layers so named
    const plan = planCluster([addOn('apps', ['null', 'yes', '0x10'].map((name) => manifestLayer(name, configMap(`c${name}`, '  a: "1"\n'), `pack:\n  namespace: n${name}\n`)))]);
    // WHEN Helm loads their charts THEN each loads with its name as written
    const names = generatedCharts(plan).map(({ chart }) => renderGeneratedChart(chart)).map((r) => [r.chart?.name, r.errors]);
    assert.deepEqual(names, [['0x10', []], ['null', []], ['yes', []]]);
  });

  it('delivers a key of 1,022 characters', () => {
    // GIVEN the longest key go-yaml reads
    const doc = configMap('a', `  ${'k'.repeat(1022)}: v\n`);
    // WHEN Helm installs the chart THEN the object is the source's
    assert.deepEqual(readObjects(installed(doc).objects), sourceAsKubernetesReads(doc));
  });

  it('refuses a key of 1,023 characters under the chart strategy, naming the fix', () => {
    // GIVEN a key one character longer
    const profiles = [addOn('apps', [manifestLayer('traps', configMap('a', `  ${'k'.repeat(1023)}: v\n`), PACK)])];
    // WHEN planned THEN the layer, document and field are named, with the manifest strategy as the way out
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "apps" layer "traps" manifest "traps" document 1: data has a key of 1,023 characters as written in JSON ("kkkkkkkkkkkkkkkkkkkk..."): Kubernetes\' YAML reader refuses keys over 1,022 characters, which would fail the layer\'s whole Helm release; set pack.manifestStrategy: manifest on this layer (kubernetes_manifest sends objects as JSON), or shorten the key',
    );
  });

  it('counts a key\'s escapes: 200 "<" are 1,200 characters as written', () => {
    // GIVEN a key of 200 "<", each written \u003c
    const profiles = [addOn('apps', [manifestLayer('traps', configMap('a', `  "${'<'.repeat(200)}": v\n`), PACK)])];
    // WHEN planned THEN it is refused with its written length
    assert.match(profileErrorOf(() => planCluster(profiles)).message, /document 1: data has a key of 1,200 characters as written in JSON/);
  });

  it('refuses a helm.sh/hook annotation under the chart strategy, naming the fix', () => {
    // GIVEN a Job annotated as a Helm hook
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: post-install\n';
    const profiles = [addOn('apps', [manifestLayer('traps', doc, PACK)])];
    // WHEN planned THEN the annotation is named with what Helm would do and the way out
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "apps" layer "traps" manifest "traps" document 1: metadata.annotations["helm.sh/hook"] is "post-install": Helm would take the object out of the layer\'s release as a hook (run at that event, never upgraded nor deleted with the release; an unknown hook value drops it), so the generated chart cannot install it as written; set pack.manifestStrategy: manifest on this layer, or remove the annotation',
    );
  });

  it('installs a helm.sh/hook annotation as written under the manifest strategy', () => {
    // GIVEN the same document in a layer that chose kubernetes_manifest
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: post-install\n';
    // WHEN synthesized THEN it is one kubernetes_manifest with the annotation
    const { json } = synth([addOn('apps', [manifestLayer('traps', doc, `${PACK}  manifestStrategy: manifest\n`)])]);
    assert.deepEqual(json.resource.kubernetes_manifest['traps--configmap--traps--a'].manifest.metadata.annotations, { 'helm.sh/hook': 'post-install' });
  });

  it('delivers template text, "---" lines, block scalars, unicode and a large document as written', () => {
    // GIVEN documents holding {{ }}, a block scalar with "---" lines and a "<no value>", emoji and accents, and 2,000 keys
    const docs = [
      configMap('tpl', '  legend: "{{ .Values.x }} {{instance}}"\n  script: |\n    a\n    ---\n    b: <no value>\n    --- c\n'),
      configMap('unicode', '  text: "héllo wörld 😀 中文"\n  "ключ": значение\n'),
      configMap('large', Array.from({ length: 2000 }, (_, i) => `  k${i}: "${'v'.repeat(50)} ${i}"\n`).join('')),
    ];
    // WHEN Helm installs the chart THEN every object is the source's
    const rendering = installed(...docs);
    assert.deepEqual(rendering.errors, []);
    assert.deepEqual(readObjects(rendering.objects), sourceAsKubernetesReads(...docs));
  });
});

describe('generated charts: profile variables as Helm receives them', () => {
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {replicas: "{{.spectro.var.replicas}}"}\nspec:\n  replicas: "{{.spectro.var.replicas}}"\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "nginx"}]}\n';
  const settings = configMap('settings', '  replicas: "{{.spectro.var.replicas}}"\n  debug: "{{.spectro.var.debug}}"\n  host: "{{.spectro.var.host}}"\n');
  const profiles: ProfileSpec[] = [
    {
      ...addOn('apps', [manifestLayer('traps', `${deployment}---\n${settings}`, PACK)]),
      variables: [{ name: 'replicas', format: 'number', defaultValue: 3 }, { name: 'debug', format: 'boolean', defaultValue: true }, { name: 'host' }],
    },
  ];

  it('writes a number or bool variable alone as text where the field takes only strings, and as itself elsewhere', () => {
    // GIVEN replicas in a Deployment's spec and label, replicas and debug in a ConfigMap's data
    const { json, construct } = synth(profiles);
    const chart = chartOf(construct.plan).manifestChart;
    // WHEN synthesized THEN the values turn the variables into text where the schema says string
    assert.deepEqual(json.resource.helm_release.traps.values.slice(1), [
      '${yamlencode({clusterProfilesReferences = {"__cluster_profiles_ref_1__" = jsonencode(tostring(var.replicas)), "__cluster_profiles_ref_2__" = jsonencode(var.replicas), "__cluster_profiles_ref_3__" = jsonencode(tostring(var.replicas)), "__cluster_profiles_ref_4__" = jsonencode(tostring(var.debug)), "__cluster_profiles_ref_5__" = jsonencode(tostring(var.host))}})}',
    ]);
    // AND Helm, given what Terraform computes (jsonencode texts, yamlencode'd), installs a number in spec and strings in the label and the data
    const values = `"${REFERENCES_VALUE}":\n  "__cluster_profiles_ref_1__": "\\"3\\""\n  "__cluster_profiles_ref_2__": "3"\n  "__cluster_profiles_ref_3__": "\\"3\\""\n  "__cluster_profiles_ref_4__": "\\"true\\""\n  "__cluster_profiles_ref_5__": "\\"example.com\\""\n`;
    const objects = renderGeneratedChart(chart, values).objects.map((o) => JSON.parse(o.json!) as TfJson);
    assert.deepEqual([objects[0].data, objects[1].metadata.labels, objects[1].spec.replicas], [{ debug: 'true', host: 'example.com', replicas: '3' }, { replicas: '3' }, 3]);
  });

  it('delivers a number beyond 2^53 exactly: the values carry its JSON text, not a number the provider would round', () => {
    // GIVEN the chart, and the values Terraform computes for replicas = 9007199254740993
    const chart = chartOf(planCluster(profiles)).manifestChart;
    const values = `"${REFERENCES_VALUE}":\n  "__cluster_profiles_ref_2__": "9007199254740993"\n`;
    // WHEN Helm installs it THEN spec.replicas is the exact integer (as Kubernetes reads it)
    const deploymentJson = renderGeneratedChart(chart, values).objects.find((o) => o.kind === 'Deployment')!.json!;
    assert.match(deploymentJson, /"replicas":9007199254740993,/);
  });

  it('refuses a number variable default beyond 2^53, which cdk.tf.json would round', () => {
    // GIVEN a default of 2^53 + 1, as Palette writes values: a string
    const big: ProfileSpec[] = [{ ...profiles[0], variables: [{ name: 'replicas', format: 'number', defaultValue: '9007199254740993' }, { name: 'debug', format: 'boolean' }, { name: 'host' }] }];
    // WHEN planned THEN the default is named with the way out
    assert.equal(
      profileErrorOf(() => planCluster(big)).message,
      'profile "apps": variables.replicas.defaultValue "9007199254740993" is an integer beyond 2^53 - 1 (9007199254740991): written into cdk.tf.json, a JSON number, it would be rounded; give the value to Terraform at plan time instead (-var replicas=..., which keeps it exact through to the cluster), or use a string variable',
    );
  });

  it('substitutes each token once: a value that is another token\'s text stays as given', () => {
    // GIVEN two strings with variables, the first one's value (data.replicas) being the second token's (data.host) quoted text
    const chart = chartOf(planCluster(profiles)).manifestChart;
    const values = `"${REFERENCES_VALUE}":\n  "__cluster_profiles_ref_3__": "\\"__cluster_profiles_ref_5__\\""\n  "__cluster_profiles_ref_5__": "\\"example.com\\""\n`;
    // WHEN Helm installs it THEN replicas holds the text given, not the other token's value
    const data = JSON.parse(renderGeneratedChart(chart, values).objects.find((o) => o.kind === 'ConfigMap')!.json!).data as TfJson;
    assert.deepEqual([data.replicas, data.host], ['__cluster_profiles_ref_5__', 'example.com']);
  });

  it('passes a value holding U+0085 and "<no value>" through exactly', () => {
    // GIVEN host set to a string with NEL and "<no value>", as Terraform's jsonencode then yamlencode write it
    const chart = chartOf(planCluster(profiles)).manifestChart;
    const values = `"${REFERENCES_VALUE}":\n  "__cluster_profiles_ref_5__": "\\"a\\N \\\\u003cno value\\\\u003e\\""\n`;
    // WHEN Helm installs it THEN the ConfigMap holds the exact string
    const data = JSON.parse(renderGeneratedChart(chart, values).objects.find((o) => o.kind === 'ConfigMap')!.json!).data as TfJson;
    assert.equal(data.host, 'a\u0085 <no value>');
  });

  it('writes the references of the values as single HCL expressions', () => {
    // GIVEN a text reference and lone references WHEN turned into values THEN each is one jsonencode
    assert.equal(referencesValues([['t1', 'x {{.spectro.var.a}}'], ['t2', '{{.spectro.var.b}}']], ['t2']), '${yamlencode({clusterProfilesReferences = {"t1" = jsonencode("x ${var.a}"), "t2" = jsonencode(tostring(var.b))}})}');
  });
});
