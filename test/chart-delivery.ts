import assert from 'node:assert/strict';
import { REFERENCES_VALUE } from '../src/core/plan/manifest-chart';
import { sortKeysDeep } from '../src/core/input/yaml';
import { HelmRendering, RenderedDocument, renderGeneratedCharts } from './engines/helm';
import { InstallPlan, ManifestChart } from '../src/core/model/planned';

/**
 * Every generated chart of a plan through the Helm rendering harness: what Helm installs from each
 * chart must be exactly the objects its files hold. The tests' synth goes through here, so every
 * chart the suite generates is installed, as Helm would, at least once.
 */

/** The generated charts of a plan: each chart-strategy layer's, each retained namespace's. */
export function generatedCharts(plan: InstallPlan): { readonly address: string; readonly chart: ManifestChart }[] {
  return plan.resources.flatMap((r) => {
    if (r.role === 'manifest-chart') return [{ address: r.address, chart: r.manifestChart }];
    if (r.role === 'retained-namespace') return [{ address: r.address, chart: r.namespaceChart }];
    return [];
  });
}

/**
 * Terraform's `jsonencode` of a string: JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped, as its
 * documentation says and `terraform console` shows.
 */
export function terraformJsonencode(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The release values that fill each token of a chart with the string it stands for, as written (variables unfilled), as Terraform computes them. */
export function referencesAsWritten(chart: ManifestChart): Record<string, unknown> | undefined {
  const entries = Object.entries(chart.references).map(([token, text]) => [token, terraformJsonencode(text)]);
  return entries.length > 0 ? { [REFERENCES_VALUE]: Object.fromEntries(entries) } : undefined;
}

/** A JSON value as one canonical text: keys sorted, no spaces. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

/** The objects Kubernetes reads from rendered documents, canonical; a document Kubernetes cannot read is its error. */
export function readObjects(documents: readonly RenderedDocument[]): string[] {
  return documents.map((d) => (d.json !== undefined ? canonical(JSON.parse(d.json)) : `error: ${d.error}`));
}

/** The objects a chart's files under `folder/` hold, tokens replaced by the strings they stand for, canonical. */
export function writtenObjects(chart: ManifestChart, folder: 'files' | 'crds'): string[] {
  const tokens = new Map(Object.entries(chart.references));
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') return tokens.get(value) ?? value;
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [tokens.get(k) ?? k, fill(v)]));
    return value;
  };
  return chart.files.filter((f) => f.path.startsWith(`${folder}/`)).map((f) => canonical(fill(JSON.parse(f.content))));
}

/**
 * Renders every generated chart of `plan` through the harness (tokens filled with the strings as
 * written) and asserts that Helm installs it without error, hooks or dropped documents, and that the
 * objects it sends (templates and `crds/`) are exactly those of the chart's files. Returns the
 * renderings, by address.
 */
export function assertChartsDeliverTheirFiles(plan: InstallPlan): Map<string, HelmRendering> {
  const charts = generatedCharts(plan);
  const renderings = renderGeneratedCharts(charts.map(({ chart }) => ({ chart, values: referencesAsWritten(chart) })));
  const out = new Map<string, HelmRendering>();
  charts.forEach(({ address, chart }, i) => {
    const rendering = renderings[i];
    const where = `${address} (chart ${chart.name})`;
    assert.deepEqual(rendering.errors, [], `${where}: Helm fails`);
    assert.deepEqual([rendering.hooks, rendering.droppedHooks], [[], []], `${where}: Helm takes documents as hooks`);
    assert.deepEqual(readObjects(rendering.objects).sort(), writtenObjects(chart, 'files').sort(), `${where}: Helm installs other objects than the chart's files`);
    assert.deepEqual(readObjects(rendering.crds).sort(), writtenObjects(chart, 'crds').sort(), `${where}: Helm installs other CRDs than the chart's crds/`);
    out.set(address, rendering);
  });
  return out;
}
