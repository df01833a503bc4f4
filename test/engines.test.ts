import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readAsKubernetes } from './engines/engines';
import { renderChart } from './engines/helm';

describe('test engines: the Kubernetes YAML reader', () => {
  it('reads YAML 1.1 as sigs.k8s.io/yaml does: octal modes, yes/y booleans, underscores, exact big integers', () => {
    // GIVEN scalars that YAML 1.1 and YAML 1.2 read differently
    const text = 'mode: 0644\nflag: yes\nshort: y\ncount: 1_000\nbig: 12345678901234567890\nhex: 0x10\nday: 2001-12-14\n';
    // WHEN the Go reader reads them
    const [reading] = readAsKubernetes([text]);
    // THEN it gives what the API server would receive
    assert.deepEqual(reading, { json: '{"big":12345678901234567890,"count":1000,"day":"2001-12-14","flag":true,"hex":16,"mode":420,"short":true}' });
  });

  it('reports go-yaml errors and values JSON cannot carry', () => {
    const readings = readAsKubernetes(['a: [1', 'a: .inf']);
    assert.deepEqual(readings, [{ error: "yaml: line 1: did not find expected ',' or ']'" }, { error: 'json: unsupported value: +Inf' }]);
  });
});

describe('test engines: the Helm rendering harness', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'helm-render-test-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  let count = 0;

  /** A chart folder holding `files` (path -> content), with a valid Chart.yaml unless given. */
  function chartFolder(files: Record<string, string>): string {
    const folder = join(scratch, String(++count));
    const all = { 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.0.0\n', ...files };
    for (const [path, content] of Object.entries(all)) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), content);
    }
    return folder;
  }

  it('removes "<no value>" from every template\'s output, text from .Files.Get included', () => {
    // GIVEN a template emitting a missing value, a literal "<no value>" and a file holding one
    const folder = chartFolder({
      'templates/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {missing: "{{ .Values.nothing }}", literal: "x<no value>y"}\n---\n{{ .Files.Get "files/b.json" }}\n',
      'files/b.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"c": "<no value>"}}',
    });
    // WHEN rendered
    const rendering = renderChart(folder);
    // THEN each "<no value>" is gone, as engine.go's ReplaceAll does
    assert.deepEqual(rendering.objects.map((o) => o.json), ['{"apiVersion":"v1","data":{"literal":"xy","missing":""},"kind":"ConfigMap","metadata":{"name":"a"}}', '{"apiVersion":"v1","data":{"c":""},"kind":"ConfigMap","metadata":{"name":"b"}}']);
  });

  it('splits documents with Helm\'s regex and sorts them by kind in install order, unknown kinds last by name', () => {
    // GIVEN one template with a Widget, a Deployment, an Apple, a Namespace, and a "---" glued to text
    const doc = (kind: string, name: string): string => `apiVersion: v1\nkind: ${kind}\nmetadata: {name: ${name}}`;
    const folder = chartFolder({ 'templates/a.yaml': `${doc('Widget', 'w')}\n---\n${doc('Deployment', 'd')}\n---${doc('Apple', 'a')}\n---   \n\n${doc('Namespace', 'ns')}\n` });
    // WHEN rendered
    const rendering = renderChart(folder);
    // THEN four documents, Namespace then Deployment, then the unknown kinds alphabetically
    assert.deepEqual(rendering.objects.map((o) => [o.kind, o.name]), [['Namespace', 'ns'], ['Deployment', 'd'], ['Apple', 'a'], ['Widget', 'w']]);
  });

  it('takes documents annotated helm.sh/hook out of the release, and drops those with an unknown hook', () => {
    // GIVEN a ConfigMap, a pre-install hook and a document with an unknown hook value
    const doc = (name: string, hook?: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations: {${hook === undefined ? 'a: b' : `"helm.sh/hook": "${hook}"`}}\n`;
    const folder = chartFolder({ 'templates/a.yaml': [doc('plain'), doc('hook', 'pre-install, post-upgrade'), doc('unknown', 'on-install')].join('---\n') });
    // WHEN rendered
    const rendering = renderChart(folder);
    // THEN only the first is in the release manifest
    assert.deepEqual(rendering.objects.map((o) => o.name), ['plain']);
    assert.deepEqual(rendering.hooks.map((o) => [o.name, o.events]), [['hook', ['pre-install', 'post-upgrade']]]);
    assert.deepEqual(rendering.droppedHooks.map((o) => o.name), ['unknown']);
    assert.equal(rendering.manifest, '---\n# Source: demo/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  annotations: {a: b}\n');
  });

  it('reads Chart.yaml with YAML 1.1 and validates it as Helm\'s loader does', () => {
    // GIVEN charts named null, yes and 0x10 (plain scalars), a quoted "yes", and a version that is no SemVer
    const chart = (name: string, version = '1.0.0'): string => chartFolder({ 'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: ${version}\n` });
    // WHEN loaded
    const loaded = [chart('null'), chart('yes'), chart('0x10'), chart('"yes"'), chart('demo', '1.0.0-sha256-x_y')].map((f) => renderChart(f));
    // THEN null is no name, yes and 0x10 are read as true and 16 and turned into strings, "yes" stays, the version is refused
    assert.deepEqual(
      loaded.map((r) => [r.chart?.name, r.errors]),
      [
        [undefined, ['validation: chart.metadata.name is required']],
        ['true', []],
        ['16', []],
        ['yes', []],
        ['demo', ['validation: chart.metadata.version "1.0.0-sha256-x_y" is invalid']],
      ],
    );
  });

  it('fails the whole release when a document\'s head does not parse as Helm reads it', () => {
    // GIVEN a valid document and one with a flow-mapping key of 1,100 characters
    const folder = chartFolder({ 'templates/a.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"${'k'.repeat(1100)}": "v"}}\n` });
    // WHEN rendered THEN Helm's manifest sorter fails with go-yaml's error
    assert.deepEqual(renderChart(folder).errors, ['YAML parse error on demo/templates/a.yaml: error converting YAML to JSON: yaml: did not find expected \',\' or \'}\'']);
  });

  it('fills .Values from the values text, numbers read as float64 as the helm provider reads them', () => {
    // GIVEN a template writing a value with toJson, and values holding 2^53 + 1
    const folder = chartFolder({ 'templates/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {big: {{ toJson .Values.big | quote }}}\n' });
    // WHEN rendered THEN the number comes out rounded
    assert.deepEqual(renderChart(folder, 'big: 9007199254740993\n').objects.map((o) => o.json), ['{"apiVersion":"v1","data":{"big":"9007199254740992"},"kind":"ConfigMap","metadata":{"name":"a"}}']);
  });

  it('measures the release as stored in its Secret: the chart\'s files and the manifest each count', () => {
    // GIVEN 100,000 incompressible characters in a chart file emitted by the template
    const noise = randomBytes(75_000).toString('base64');
    const folder = chartFolder({ 'templates/a.yaml': '{{ .Files.Get "files/a.json" }}', 'files/a.json': `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"a": "${noise}"}}` });
    // WHEN rendered
    const { releaseSize } = renderChart(folder);
    // THEN the Secret holds both copies: over twice the text, base64'd (4/3) once gzip took its ~3/4 of the base64 text back
    assert.ok(releaseSize > 2 * 100_000 && releaseSize < 3 * 100_000, `release size ${releaseSize}`);
  });
});
