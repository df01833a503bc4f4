import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runEngine } from './engines';
import { ManifestChart } from '../../src/core/model/planned';

/**
 * The Helm rendering harness (`test/engines/go/helm-render`): a chart folder loaded, rendered,
 * split, sorted and read as Helm 3.18 installs it, each document decoded as client-go sends it
 * (sigs.k8s.io/yaml). What Helm does only at upgrade or uninstall is not run here.
 */

/** One document of a rendered chart, and what Kubernetes reads from it. */
export interface RenderedDocument {
  /** The template (`<chart>/templates/objects.yaml`) or `crds/` file it came from. */
  readonly source: string;
  readonly kind: string;
  readonly name: string;
  /** The document's text as Helm sends it. */
  readonly text: string;
  /** The object as Kubernetes reads `text`: JSON text, keys sorted, integers exact. */
  readonly json?: string;
  /** The YAML error Kubernetes gives instead, when `text` does not parse. */
  readonly error?: string;
  /** A hook's events (`pre-install`, ...). */
  readonly events?: readonly string[];
  /** A hook's weight. */
  readonly weight?: number;
}

/** What installing a chart gives, as the harness reproduces it. */
export interface HelmRendering {
  /** The metadata Helm loaded from `Chart.yaml`; null when it does not load. */
  readonly chart: Readonly<Record<string, unknown>> | null;
  /** Why Helm refuses the chart or fails the release; empty when it installs. */
  readonly errors: readonly string[];
  /** The release manifest's documents, in Helm's install order. */
  readonly objects: readonly RenderedDocument[];
  /** Documents Helm runs as hooks: outside the release, never upgraded or deleted with it. */
  readonly hooks: readonly RenderedDocument[];
  /** Documents whose `helm.sh/hook` value Helm does not know: installed nowhere. */
  readonly droppedHooks: readonly RenderedDocument[];
  /** The documents of `crds/`: installed before the templates, on a first install only. */
  readonly crds: readonly RenderedDocument[];
  /** The release manifest as Helm stores it. */
  readonly manifest: string;
  /** The length in bytes of the release record as Helm stores it in its Secret (JSON, gzip, base64). */
  readonly releaseSize: number;
}

/** Values for a release: an object (written as JSON) or the exact YAML/JSON text the provider gives Helm. */
export type ReleaseValues = Readonly<Record<string, unknown>> | string;

/** Renders chart folders as Helm installs them, with their values, in one run of the harness. */
export function renderCharts(requests: readonly { readonly chart: string; readonly values?: ReleaseValues }[]): HelmRendering[] {
  const input = requests.map((r) => ({ chart: r.chart, values: r.values === undefined ? null : typeof r.values === 'string' ? r.values : JSON.stringify(r.values) }));
  return JSON.parse(runEngine('helm-render', JSON.stringify(input), ['--batch'])) as HelmRendering[];
}

/** Renders one chart folder as Helm installs it with `values`. */
export function renderChart(chartFolder: string, values?: ReleaseValues): HelmRendering {
  return renderCharts([{ chart: chartFolder, values }])[0];
}

/** Renders generated charts (written to a scratch folder first) as Helm installs them. */
export function renderGeneratedCharts(charts: readonly { readonly chart: ManifestChart; readonly values?: ReleaseValues }[]): HelmRendering[] {
  if (charts.length === 0) return [];
  const scratch = mkdtempSync(join(tmpdir(), 'helm-render-'));
  try {
    const requests = charts.map(({ chart, values }, i) => {
      const folder = join(scratch, String(i));
      for (const file of chart.files) {
        const target = join(folder, ...file.path.split('/'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, file.content);
      }
      return { chart: folder, values };
    });
    return renderCharts(requests);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Renders a generated chart as Helm installs it with `values`. */
export function renderGeneratedChart(chart: ManifestChart, values?: ReleaseValues): HelmRendering {
  return renderGeneratedCharts([{ chart, values }])[0];
}
