import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { TerraformAsset } from 'cdktf';
import { ProfileSpec, planCluster, synthToDirectory } from '../src';
import { readCatalog } from '../src/core/input/catalog';
import { MANIFEST_CHART_TEMPLATE, REFERENCES_VALUE, buildManifestChart } from '../src/core/plan/manifest-chart';
import { manifestReleaseName } from '../src/core/resolve/releases';
import { hclExpression, referencesValues } from '../src/constructs/manifest-chart';
import { assertChartsDeliverTheirFiles, canonical, readObjects } from './chart-delivery';
import { readAsKubernetes } from './engines/engines';
import { renderGeneratedChart } from './engines/helm';
import { addOn, manifestLayer, widgetCrd } from './helpers';
import { TfJson, createOrder, dependencyGraph, profileErrorOf, synth } from './synth-helpers';
import { InstallPlan, PlannedManifestChart, ManifestChart } from '../src/core/model/planned';

const scratch = mkdtempSync(join(tmpdir(), 'manifest-chart-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const CRD = widgetCrd();
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  legend: "{{instance}}"\n  mode: "on"\n  fileMode: "0755"\n';
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';

/** `pack:` values: a namespace, a priority and more lines inside the pack block. */
function pack(namespace: string, priority: number, ...lines: string[]): string {
  return ['pack:', `  namespace: ${namespace}`, `  spectrocloud.com/install-priority: "${priority}"`, ...lines.map((l) => `  ${l}`), ''].join('\n');
}

/** An operator layer with the Widget CRD at priority 0, and a layer with a Widget and a ConfigMap at 10. */
function operatorAndWidgets(widgets = `${WIDGET}---\n${CONFIG}`, ...lines: string[]): ProfileSpec[] {
  return [addOn('apps', [manifestLayer('operator', CRD, pack('operator', 0)), manifestLayer('widgets', widgets, pack('widgets', 10, ...lines))])];
}

/** The planned release of a layer's generated chart, once every chart of the plan went through the Helm harness. */
function chartOf(plan: InstallPlan, layer: string): PlannedManifestChart {
  assertChartsDeliverTheirFiles(plan);
  const found = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === layer && r.holds === 'objects');
  assert.ok(found, `layer ${layer} has no generated chart`);
  return found;
}

/** The release of the chart generated from layer `layer`'s CRDs; fails when there is none. */
function crdChartOf(plan: InstallPlan, layer: string): PlannedManifestChart {
  assertChartsDeliverTheirFiles(plan);
  const found = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === layer && r.holds === 'crds');
  assert.ok(found, `layer ${layer} has no CRD chart`);
  return found;
}

function fileOf(chart: ManifestChart, path: string): string {
  const found = chart.files.find((f) => f.path === path);
  assert.ok(found, `${path} is not in the chart (${chart.files.map((f) => f.path).join(', ')})`);
  return found.content;
}

/** What Helm installs from a generated chart given the release's references value: each object as Kubernetes reads it, in install order. */
function installed(chart: ManifestChart, references: Record<string, unknown> = {}): TfJson[] {
  const rendering = renderGeneratedChart(chart, { [REFERENCES_VALUE]: references });
  assert.deepEqual(rendering.errors, []);
  return rendering.objects.map((o) => JSON.parse(o.json!) as TfJson);
}

/** The release value listing objects (`"<id>": <digest>` lines), as a reviewer reads it in the plan. */
function listing(...lines: string[]): string {
  const head = '# The objects of this release and digests of their content, for plan review; the chart does not read this value.\nclusterProfilesObjects:';
  return lines.length === 0 ? `${head} {}\n` : `${head}\n${lines.map((l) => `  ${l}\n`).join('')}`;
}

/** `sha256:` and the first 12 hex digits of the SHA-256 of a chart file. */
function digestOf(chart: ManifestChart, path: string): string {
  return `sha256:${createHash('sha256').update(fileOf(chart, path)).digest('hex').slice(0, 12)}`;
}

describe('the chart manifest strategy: synthesized resources', () => {
  it('installs the CRD layer and the layer of custom resources each as one helm_release of a generated chart', () => {
    // GIVEN the Widget CRD at priority 0 and a Widget with a ConfigMap at priority 10
    // WHEN synthesized
    const { json, construct } = synth(operatorAndWidgets());
    // THEN each layer is one release that takes ownership of its objects and lists them in its values
    // (its CRDs a release of their own), and there is no kubernetes_manifest
    const assetOf = (layer: string): TerraformAsset => {
      const found = construct.node.findAll().find((c): c is TerraformAsset => c instanceof TerraformAsset && c.node.path.endsWith(`/charts/${layer}`));
      assert.ok(found, `layer ${layer} has no chart asset`);
      return found;
    };
    const operator = chartOf(construct.plan, 'operator');
    const operatorCrds = crdChartOf(construct.plan, 'operator');
    const release = chartOf(construct.plan, 'widgets');
    assert.equal(json.resource.kubernetes_manifest, undefined);
    assert.deepEqual(json.resource.helm_release, {
      'operator--crds': {
        chart: assetOf('operator-crds').path,
        create_namespace: false,
        depends_on: ['kubernetes_namespace_v1.operator'],
        name: 'operator-crds',
        namespace: 'operator',
        take_ownership: true,
        timeout: 600,
        values: [listing(`"apiextensions.k8s.io/v1 CustomResourceDefinition widgets.example.com": ${digestOf(operatorCrds.manifestChart, 'files/001-operator-1.json')}`)],
        version: operatorCrds.version,
        wait: true,
        wait_for_jobs: true,
      },
      operator: {
        chart: assetOf('operator').path,
        create_namespace: false,
        depends_on: ['helm_release.operator--crds', 'kubernetes_namespace_v1.operator'],
        name: 'operator',
        namespace: 'operator',
        take_ownership: true,
        timeout: 600,
        values: [listing()],
        version: operator.version,
        wait: true,
        wait_for_jobs: true,
      },
      widgets: {
        chart: assetOf('widgets').path,
        create_namespace: false,
        depends_on: ['kubernetes_namespace_v1.widgets', 'terraform_data.tier_0'],
        name: 'widgets',
        namespace: 'widgets',
        take_ownership: true,
        timeout: 600,
        values: [
          listing(
            `"example.com/v1 Widget widgets/w1": ${digestOf(release.manifestChart, 'files/001-widgets-1.json')}`,
            `"v1 ConfigMap widgets/settings": ${digestOf(release.manifestChart, 'files/002-widgets-2.json')}`,
          ),
        ],
        version: release.version,
        wait: true,
        wait_for_jobs: true,
      },
    });
    assert.match(release.version, /^0\.0\.0-sha256-[0-9a-f]{12}$/);
    assert.equal(assetOf('widgets').path, `assets/cluster_charts_widgets_5A8E7D67/${release.manifestChart.hash.slice(0, 32).toUpperCase()}`);
    // AND the CRD is the file of the operator's CRD chart, and the chart of its other objects has none
    assert.deepEqual(operatorCrds.manifestChart.files.map((f) => f.path), ['Chart.yaml', 'files/001-operator-1.json', 'templates/objects.yaml']);
    assert.deepEqual(operator.manifestChart.files.map((f) => f.path), ['Chart.yaml', 'templates/objects.yaml']);
    // AND Terraform forgets, rather than destroys, the addresses the documents have as kubernetes_manifest
    assert.deepEqual(json.removed, [
      { from: 'kubernetes_manifest.operator--customresourcedefinition--widgets_example_com_24b794f3', lifecycle: { destroy: false } },
      { from: 'kubernetes_manifest.widgets--configmap--widgets--settings', lifecycle: { destroy: false } },
      { from: 'kubernetes_manifest.widgets--widget--widgets--w1', lifecycle: { destroy: false } },
    ]);
  });

  it('plans with no CRD present: no kubernetes_manifest, every chart a local folder of the output', () => {
    // GIVEN the operator and its widgets, synthesized into a folder as the CLI does
    const out = join(scratch, 'no-crd');
    const { file } = synthToDirectory(out, 'cluster', { profiles: operatorAndWidgets() });
    const stack: TfJson = JSON.parse(readFileSync(file, 'utf8'));
    const stackDir = join(out, 'stacks', 'cluster');
    // WHEN the resources are read
    const releases = Object.entries(stack.resource.helm_release as Record<string, { name: string; chart: string; version: string; repository?: string }>);
    // THEN there is no kubernetes_manifest at all (nothing the API server must plan, so nothing it could not plan before the CRD exists)
    assert.equal(stack.resource.kubernetes_manifest, undefined);
    // AND nothing is read from the cluster at plan time (no data sources)
    assert.equal(stack.data, undefined);
    // AND each generated chart is a folder beside cdk.tf.json, from no repository, whose Chart.yaml has the release's name and version
    assert.deepEqual(releases.map(([address, r]) => [address, r.name]), [['operator', 'operator'], ['operator--crds', 'operator-crds'], ['widgets', 'widgets']]);
    for (const [address, r] of releases) {
      assert.equal(r.repository, undefined);
      const chartYaml = readFileSync(join(stackDir, r.chart, 'Chart.yaml'), 'utf8');
      const description = address.endsWith('--crds')
        ? 'The CustomResourceDefinitions of one layer of cluster profiles, kept on removal, packaged by cdktf-cluster-profiles'
        : 'The Kubernetes objects of one layer of cluster profiles, packaged by cdktf-cluster-profiles';
      assert.equal(chartYaml, `apiVersion: v2\nname: "${r.name}"\ndescription: ${description}\ntype: application\nversion: "${r.version}"\n`);
    }
  });

  it('writes the chart asset with every file of the chart, byte for byte', () => {
    // GIVEN the operator and its widgets, synthesized into a folder
    const out = join(scratch, 'asset');
    const { file, stack } = synthToDirectory(out, 'cluster', { profiles: operatorAndWidgets() });
    const chart = chartOf(stack.profiles.plan, 'widgets').manifestChart;
    const release = JSON.parse(readFileSync(file, 'utf8')).resource.helm_release.widgets;
    // WHEN the asset folder is listed
    const folder = join(out, 'stacks', 'cluster', release.chart);
    const listed: string[] = [];
    const visit = (dir: string): void => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) visit(path);
        else listed.push(relative(folder, path).split('\\').join('/'));
      }
    };
    visit(folder);
    // THEN it holds exactly the chart's files, with their content
    assert.deepEqual(listed, ['Chart.yaml', 'files/001-widgets-1.json', 'files/002-widgets-2.json', 'templates/objects.yaml']);
    for (const f of chart.files) assert.equal(readFileSync(join(folder, f.path), 'utf8'), f.content);
  });

  it('keeps kubernetes_manifest for custom resources when the layer asks for it', () => {
    // GIVEN the widgets layer with pack.manifestStrategy: manifest (the operator layer keeps the default)
    // WHEN synthesized
    const { json } = synth(operatorAndWidgets(undefined, 'manifestStrategy: manifest'));
    // THEN the widgets are one kubernetes_manifest per document and no release; the operator is its charts' releases
    assert.deepEqual(Object.keys(json.resource.kubernetes_manifest).sort(), ['widgets--configmap--widgets--settings', 'widgets--widget--widgets--w1']);
    assert.deepEqual(Object.keys(json.resource.helm_release), ['operator', 'operator--crds']);
    // AND only the operator's document is forgotten: the widgets' addresses are resources
    assert.deepEqual(json.removed, [{ from: 'kubernetes_manifest.operator--customresourcedefinition--widgets_example_com_24b794f3', lifecycle: { destroy: false } }]);
  });

  it('installs built-in kinds as a chart by default and when the layer asks for it, and as kubernetes_manifest when the layer asks for that', () => {
    // GIVEN three layers of a ConfigMap: one with pack.manifestStrategy: chart, one without, one with pack.manifestStrategy: manifest
    const profiles = [
      addOn('apps', [
        manifestLayer('charted', CONFIG, pack('charted', 0, 'manifestStrategy: chart')),
        manifestLayer('plain', CONFIG, pack('plain', 0)),
        manifestLayer('listed', CONFIG, pack('listed', 0, 'manifestStrategy: manifest')),
      ]),
    ];
    // WHEN synthesized
    const { json } = synth(profiles);
    // THEN the first two are releases, the third a kubernetes_manifest
    assert.deepEqual(Object.keys(json.resource.helm_release), ['charted', 'plain']);
    assert.deepEqual(Object.keys(json.resource.kubernetes_manifest), ['listed--configmap--listed--settings']);
  });

  it('refuses an unknown strategy and a strategy on a layer without documents', () => {
    // GIVEN pack.manifestStrategy: helm, and "chart" on a Helm layer
    const profiles: ProfileSpec[] = [
      addOn('apps', [
        manifestLayer('widgets', CONFIG, pack('widgets', 0, 'manifestStrategy: helm')),
        { kind: 'helm', name: 'web', version: '1.0.0', repository: 'https://charts.example.com', values: pack('web', 0, 'manifestStrategy: chart') },
      ]),
    ];
    // WHEN planned THEN the first is named with the choices (the second is found once the first is fixed)
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "apps" layer "widgets": pack.manifestStrategy "helm" must be "chart" (one Helm release of a chart generated from the documents) or "manifest" (one kubernetes_manifest per document)',
    );
    assert.equal(
      profileErrorOf(() => planCluster([addOn('apps', [profiles[0].layers[1]])])).message,
      'profile "apps" layer "web": pack.manifestStrategy is "chart", but the layer has no manifest documents to install; remove it',
    );
  });
});

describe('the generated chart', () => {
  it('holds Chart.yaml with the content-hash version, one JSON file per document and the one template', () => {
    // GIVEN the widgets layer planned
    const chart = chartOf(planCluster(operatorAndWidgets()), 'widgets').manifestChart;
    // WHEN its files are read
    // THEN the documents are JSON, keys sorted, namespace placed, template text and YAML 1.1 words kept as strings
    assert.deepEqual(chart.files.map((f) => f.path), ['Chart.yaml', 'files/001-widgets-1.json', 'files/002-widgets-2.json', 'templates/objects.yaml']);
    assert.equal(chart.version, `0.0.0-sha256-${chart.hash.slice(0, 12)}`);
    assert.equal(fileOf(chart, 'Chart.yaml'), `apiVersion: v2\nname: "widgets"\ndescription: The Kubernetes objects of one layer of cluster profiles, packaged by cdktf-cluster-profiles\ntype: application\nversion: "${chart.version}"\n`);
    assert.equal(
      fileOf(chart, 'files/001-widgets-1.json'),
      '{\n  "apiVersion": "example.com/v1",\n  "kind": "Widget",\n  "metadata": {\n    "name": "w1",\n    "namespace": "widgets"\n  },\n  "spec": {\n    "fileMode": "0755",\n    "legend": "{{instance}}",\n    "mode": "on"\n  }\n}\n',
    );
    assert.equal(fileOf(chart, 'files/002-widgets-2.json'), '{\n  "apiVersion": "v1",\n  "data": {\n    "a": "1"\n  },\n  "kind": "ConfigMap",\n  "metadata": {\n    "name": "settings",\n    "namespace": "widgets"\n  }\n}\n');
    assert.equal(fileOf(chart, 'templates/objects.yaml'), MANIFEST_CHART_TEMPLATE);
    assert.deepEqual(chart.references, {});
  });

  it('installs under Helm exactly the documents as Kubernetes reads their source, the namespace placed', () => {
    // GIVEN the widgets layer (a Widget with template text and YAML 1.1 words, a ConfigMap), planned
    const chart = chartOf(planCluster(operatorAndWidgets()), 'widgets').manifestChart;
    // WHEN Helm installs the chart, and Kubernetes reads the source documents
    const rendering = renderGeneratedChart(chart);
    const placed = readAsKubernetes([WIDGET, CONFIG]).map((r) => {
      assert.ok('json' in r, 'a source document does not parse');
      const object = JSON.parse(r.json) as TfJson;
      return canonical({ ...object, metadata: { ...object.metadata, namespace: 'widgets' } });
    });
    // THEN the release holds the same objects, ConfigMap first (Helm's install order), nothing else
    assert.deepEqual(readObjects(rendering.objects), [placed[1], placed[0]]);
    assert.deepEqual([rendering.errors, rendering.hooks, rendering.droppedHooks, rendering.crds], [[], [], [], []]);
  });

  it('installs a CRD from the CRD chart exactly as Kubernetes reads its source, annotated to be kept', () => {
    // GIVEN the Widget CRD and a Widget in one layer
    const plan = planCluster([addOn('apps', [manifestLayer('bundle', `${CRD}---\n${WIDGET}`, pack('bundle', 0))])]);
    // WHEN Helm installs the layer's two charts
    const crds = renderGeneratedChart(crdChartOf(plan, 'bundle').manifestChart);
    const objects = renderGeneratedChart(chartOf(plan, 'bundle').manifestChart);
    // THEN the CRD chart's release holds the CRD as Kubernetes reads the source, plus the keep annotation, and no crds/;
    // the other release holds the Widget
    const [crd] = readAsKubernetes([CRD]);
    assert.ok('json' in crd);
    const source = JSON.parse(crd.json);
    const kept = { ...source, metadata: { ...source.metadata, annotations: { 'helm.sh/resource-policy': 'keep' } } };
    assert.deepEqual(readObjects(crds.objects), [canonical(kept)]);
    assert.deepEqual(crds.crds, []);
    assert.deepEqual(objects.objects.map((o) => [o.kind, o.name]), [['Widget', 'w1']]);
  });

  it('emits each file verbatim from one template that parses no document text', () => {
    // GIVEN the characters YAML reads as line breaks or cannot print, which Terraform's jsonencode leaves as they are
    const unsafe = [...Array.from({ length: 0x21 }, (_, i) => 0x7f + i), 0xfeff, 0xfffe, 0xffff].map((c) => c.toString(16).padStart(4, '0'));
    // WHEN the template is read
    // THEN it reads files/ with .Files.Get, finds the tokens once, and writes each value's JSON text in place of its token, those characters escaped
    assert.equal(
      MANIFEST_CHART_TEMPLATE,
      [
        '{{- /* Generated by cdktf-cluster-profiles. Each file under files/ is one Kubernetes object, emitted as written:',
        '       the documents are never parsed as templates. Each token standing for a string that uses profile variables',
        '       is replaced, quotes included, by the JSON text of the value clusterProfilesReferences.<token>, in one pass. */ -}}',
        '{{- $values := .Values.clusterProfilesReferences | default dict }}',
        '{{- range $path, $_ := .Files.Glob "files/*.json" }}',
        '{{- $object := $.Files.Get $path }}',
        '{{- $tokens := regexFindAll "\\"__cluster_profiles_ref_x*[0-9]+__\\"" $object -1 }}',
        '---',
        '{{ range $i, $text := regexSplit "\\"__cluster_profiles_ref_x*[0-9]+__\\"" $object -1 }}',
        '{{- $text }}',
        '{{- if lt $i (len $tokens) }}',
        '{{- $token := index $tokens $i }}',
        '{{- if hasKey $values (trimAll `"` $token) }}',
        '{{- $json := toString (index $values (trimAll `"` $token)) }}',
        `{{- range $c, $e := dict ${unsafe.map((c) => `"\\u${c}" "\\\\u${c}"`).join(' ')} }}{{- $json = replace $c $e $json }}{{- end }}`,
        '{{- $json }}',
        '{{- else }}',
        '{{- $token }}',
        '{{- end }}',
        '{{- end }}',
        '{{- end }}',
        '{{- end }}',
        '',
      ].join('\n'),
    );
  });

  it('changes its version with any document, and is byte-stable otherwise', () => {
    // GIVEN the same profiles planned twice, and once with one value changed
    const first = chartOf(planCluster(operatorAndWidgets()), 'widgets');
    const again = chartOf(planCluster(operatorAndWidgets()), 'widgets');
    const changed = chartOf(planCluster(operatorAndWidgets(`${WIDGET}---\n${CONFIG.replace('a: "1"', 'a: "2"')}`)), 'widgets');
    // WHEN their versions and files are compared
    // THEN the same input gives the same bytes and version; a change gives another version
    assert.deepEqual(again.manifestChart, first.manifestChart);
    assert.notEqual(changed.version, first.version);
    assert.notEqual(changed.manifestChart.hash, first.manifestChart.hash);
  });

  it('keeps the asset path the same across synths, and changes it with the content', () => {
    // GIVEN the profiles synthesized twice, and once changed
    const path = (profiles: ProfileSpec[]): string => synth(profiles).json.resource.helm_release.widgets.chart;
    // WHEN the release's chart paths are compared THEN equal for equal input, different for a change
    assert.equal(path(operatorAndWidgets()), path(operatorAndWidgets()));
    assert.notEqual(path(operatorAndWidgets(`${WIDGET}---\n${CONFIG.replace('a: "1"', 'a: "2"')}`)), path(operatorAndWidgets()));
  });

  it('puts every CRD of a layer into the chart of its CRDs, annotated to be kept, and the other objects into the layer\'s chart', () => {
    // GIVEN one layer holding the Widget CRD, a Widget and an unrelated Gadget CRD
    const gadgetCrd = CRD.replace(/widgets/g, 'gadgets').replace('Widget', 'Gadget');
    const profiles = [addOn('apps', [manifestLayer('bundle', `${CRD}---\n${WIDGET}---\n${gadgetCrd}`, pack('bundle', 0))])];
    // WHEN planned
    const plan = planCluster(profiles);
    const crds = crdChartOf(plan, 'bundle').manifestChart;
    const objects = chartOf(plan, 'bundle').manifestChart;
    // THEN both CRDs are templates of the CRD chart (upgraded with it), each with helm.sh/resource-policy: keep; there is no crds/ folder
    assert.deepEqual(crds.files.map((f) => f.path), ['Chart.yaml', 'files/001-bundle-1.json', 'files/002-bundle-3.json', 'templates/objects.yaml']);
    assert.deepEqual(
      crds.files.filter((f) => f.path.startsWith('files/')).map((f) => JSON.parse(f.content).metadata),
      [
        { name: 'widgets.example.com', annotations: { 'helm.sh/resource-policy': 'keep' } },
        { name: 'gadgets.example.com', annotations: { 'helm.sh/resource-policy': 'keep' } },
      ],
    );
    // AND the Widget is the one file of the layer's chart
    assert.deepEqual(objects.files.map((f) => f.path), ['Chart.yaml', 'files/001-bundle-2.json', 'templates/objects.yaml']);
  });

  it('lets a CRD of a layer with its custom resources use profile variables (the CRD chart is templated like any other)', () => {
    // GIVEN the Widget CRD with a variable in a label, and a Widget, in one layer
    const crd = CRD.replace('  name: widgets.example.com', '  name: widgets.example.com\n  labels: {team: "{{.spectro.var.team}}"}');
    const profiles: ProfileSpec[] = [{ ...addOn('apps', [manifestLayer('bundle', `${crd}---\n${WIDGET}`, pack('bundle', 0))]), variables: [{ name: 'team' }] }];
    // WHEN synthesized
    const { json } = synth(profiles);
    // THEN the CRD release gets the label's text from the variable
    assert.deepEqual(json.resource.helm_release['bundle--crds'].values.slice(1), ['${yamlencode({clusterProfilesReferences = {"__cluster_profiles_ref_1__" = jsonencode(tostring(var.team))}})}']);
  });

  it('names its files after the manifests, numbered in document order', () => {
    // GIVEN two documents of odd manifest names WHEN built THEN the names are file-safe and ordered
    const doc = (manifest: string, position: number): Parameters<typeof buildManifestChart>[1][number] => ({
      manifest,
      position,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: `c${position}`,
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${position}` } },
    });
    const chart = buildManifestChart('x', [doc('My Manifest_v2!', 3), doc('---', 1)]);
    assert.deepEqual(chart.files.map((f) => f.path), ['Chart.yaml', 'files/001-my-manifest-v2-3.json', 'files/002-manifest-1.json', 'templates/objects.yaml']);
  });
});

describe('the generated chart: profile variables', () => {
  const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  url: "https://{{.spectro.var.host}}/api"\n  replicas: "{{.spectro.var.replicas}}"\n  plain: "{{ .Values.not.a.variable }}"\n';
  const profiles: ProfileSpec[] = [
    { ...operatorAndWidgets(widget)[0], variables: [{ name: 'host', defaultValue: 'example.com' }, { name: 'replicas', format: 'number', defaultValue: 2 }] },
  ];

  it('writes a token for each string that uses a variable, and the strings as a release value Terraform fills', () => {
    // GIVEN a Widget with a variable inside a string and one alone
    // WHEN synthesized
    const { json, construct } = synth(profiles);
    const chart = chartOf(construct.plan, 'widgets').manifestChart;
    // THEN the file holds tokens, the release's values fill them from the stack's variables
    assert.deepEqual(JSON.parse(fileOf(chart, 'files/001-widgets-1.json')).spec, {
      plain: '{{ .Values.not.a.variable }}',
      replicas: '__cluster_profiles_ref_2__',
      url: '__cluster_profiles_ref_1__',
    });
    assert.deepEqual(json.resource.helm_release.widgets.values.slice(1), [
      '${yamlencode({clusterProfilesReferences = {"__cluster_profiles_ref_1__" = jsonencode("https://${var.host}/api"), "__cluster_profiles_ref_2__" = jsonencode(var.replicas)}})}',
    ]);
    // AND what Helm installs, given the JSON texts Terraform computes, has the values, typed: a string, and the number itself
    assert.deepEqual(installed(chart, { __cluster_profiles_ref_1__: '"https://example.com/api"', __cluster_profiles_ref_2__: '2' })[0].spec, {
      plain: '{{ .Values.not.a.variable }}',
      replicas: 2,
      url: 'https://example.com/api',
    });
  });

  it('quotes the literal text around variables for Terraform', () => {
    // GIVEN strings with quotes, backslashes, newlines, template sequences and a dollar before a variable
    // WHEN turned into HCL expressions THEN each means exactly the text, with the variable filled in
    assert.equal(hclExpression('{{.spectro.var.port}}'), 'var.port');
    assert.equal(hclExpression('say "hi" \\ {{.spectro.var.name}}\n'), '"say \\"hi\\" \\\\ ${var.name}\\n"');
    assert.equal(hclExpression('${HOME} %{x} {{.spectro.var.a}}'), '"$${HOME} %%{x} ${var.a}"');
    assert.equal(hclExpression('cost: ${{.spectro.var.price}}'), '"cost: ${"$"}${var.price}"');
    assert.equal(referencesValues([['t1', '{{.spectro.var.a}}']]), '${yamlencode({clusterProfilesReferences = {"t1" = jsonencode(var.a)}})}');
  });
});

describe('the generated chart: namespaces, packs, names', () => {
  it('keeps each object\'s namespace, installs the release in the layer\'s namespace, after every namespace its objects use', () => {
    // GIVEN "db" owning namespace "data" at priority 0, and widgets at 10 with a Widget placed in "data"
    const profiles = [
      addOn('apps', [
        manifestLayer('operator', CRD, pack('operator', 0)),
        manifestLayer('db', CONFIG, pack('data', 0)),
        manifestLayer('widgets', WIDGET.replace('  name: w1\n', '  name: w1\n  namespace: data\n'), pack('widgets', 10)),
      ]),
    ];
    // WHEN synthesized
    const { json, construct } = synth(profiles);
    // THEN the Widget stays in "data", the release is recorded in "widgets" and waits for both namespaces
    assert.equal(JSON.parse(fileOf(chartOf(construct.plan, 'widgets').manifestChart, 'files/001-widgets-1.json')).metadata.namespace, 'data');
    assert.equal(json.resource.helm_release.widgets.namespace, 'widgets');
    assert.deepEqual(json.resource.helm_release.widgets.depends_on, ['kubernetes_namespace_v1.data', 'kubernetes_namespace_v1.widgets', 'terraform_data.tier_0']);
  });

  it('installs a registry pack\'s custom resources after the pack\'s own charts, as <layer>--manifests', () => {
    // GIVEN a pack whose chart installs the Widget CRD and whose manifest holds a Widget
    const catalog = readCatalog(
      {
        apiVersion: 'cluster-profiles/v1',
        kind: 'PackCatalog',
        packs: [
          {
            name: 'widget-operator',
            version: '1.0.0',
            charts: [{ name: 'operator', version: '2.0.0', repository: 'https://charts.example.com' }],
            manifests: [{ name: 'defaults', content: WIDGET }],
            values: { pack: { namespace: 'widgets', providesCrds: ['widgets.example.com'] } },
          },
        ],
      },
      'catalog.yaml',
    );
    const profiles: ProfileSpec[] = [addOn('apps', [{ kind: 'pack', name: 'widget-operator', version: '1.0.0' }])];
    // WHEN planned
    const plan = planCluster(profiles, { catalog });
    // THEN the manifests' release waits for the chart's release, and is named after the layer
    const release = chartOf(plan, 'widget-operator');
    assert.deepEqual([release.address, release.releaseName, release.dependsOn], [
      'helm_release.widget-operator--manifests',
      'widget-operator-manifests',
      ['helm_release.widget-operator--operator', 'kubernetes_namespace_v1.widgets'],
    ]);
  });

  it('names a clash of a generated chart\'s release with another layer\'s release', () => {
    // GIVEN a Helm layer whose chart "widgets" is released in namespace "widgets", and the widgets layer there
    const profiles: ProfileSpec[] = [
      addOn('apps', [
        { kind: 'helm', name: 'operator', chart: 'widgets', version: '1.0.0', repository: 'https://charts.example.com', values: pack('widgets', 0, 'providesCrds: widgets.example.com') },
        manifestLayer('widgets', WIDGET, pack('widgets', 10)),
      ]),
    ];
    // WHEN planned THEN the clash is named with the fix
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "apps" layer "widgets": the Helm release "widgets" of the chart generated from its manifests, in namespace "widgets", is also the release of layer "operator"; rename one of the layers, or give this one another pack.namespace',
    );
  });

  it('gives a layer whose name Helm refuses a release name it accepts, kept distinct by a hash', () => {
    // GIVEN layer names with capitals, '_' and '.', and a name too long for Helm
    const name = (layer: string, kind: 'manifest' | 'pack' = 'manifest'): string => manifestReleaseName({ name: layer, kind, settings: { previousNames: [] } });
    // WHEN named THEN valid names stay, others are made valid with a hash of the original
    assert.deepEqual(
      [name('issuers'), name('issuers', 'pack'), name('My_Issuers'), name('my.issuers'), name(`a${'b'.repeat(60)}`)],
      ['issuers', 'issuers-manifests', 'my-issuers-fe8363bd', 'my.issuers', `a${'b'.repeat(43)}-32450262`],
    );
  });

  it('keeps the release of a renamed layer and moves it', () => {
    // GIVEN the widgets layer renamed "gadgets" (its manifest keeps its name), with its earlier name in pack.previousNames
    const [profile] = operatorAndWidgets();
    const gadgets = { ...profile.layers[1], name: 'gadgets', values: pack('widgets', 10, 'previousNames: widgets') };
    const renamed: ProfileSpec = { ...profile, layers: [profile.layers[0], gadgets] };
    // WHEN planned
    const before = chartOf(planCluster([profile]), 'widgets');
    const plan = planCluster([renamed]);
    const after = chartOf(plan, 'gadgets');
    // THEN the release and its chart keep their names and content; Terraform moves the resource
    assert.deepEqual([after.releaseName, after.version], [before.releaseName, before.version]);
    assert.deepEqual(plan.moves, [{ layer: 'gadgets', from: 'helm_release.widgets', to: 'helm_release.gadgets' }]);
  });
});

describe('the chart manifest strategy: teardown', () => {
  it('destroys custom resources before the CRDs that serve them, and namespaces after everything in them', () => {
    // GIVEN the operator and its widgets, synthesized
    const { json } = synth(operatorAndWidgets());
    const graph = dependencyGraph(json);
    // WHEN the destroy order is read from the graph (the reverse of a create order)
    const destroy = [...createOrder(graph)].reverse();
    const at = (address: string): number => destroy.indexOf(address);
    // THEN the release of the custom resources goes first, the releases of the CRD's layer after the gate between them
    // (its objects, then its CRDs), each namespace after its users
    assert.ok(at('helm_release.widgets') < at('terraform_data.tier_0'));
    assert.ok(at('terraform_data.tier_0') < at('helm_release.operator'));
    assert.ok(at('helm_release.widgets') < at('kubernetes_namespace_v1.widgets'));
    assert.ok(at('helm_release.operator--crds') < at('kubernetes_namespace_v1.operator'));
    assert.deepEqual(destroy.filter((a) => a.startsWith('helm_release.') || a.startsWith('kubernetes_manifest.')), ['helm_release.widgets', 'helm_release.operator', 'helm_release.operator--crds']);
  });
});
