import { gzipSync } from 'node:zlib';
import { ProblemList, describeLocation } from '../model/errors';
import { OBJECTS_VALUE, REFERENCES_VALUE } from './manifest-chart';
import { ManifestDocument } from '../model/resolved';
import { documentsOf } from '../resolve/manifests';
import { isMap } from '../input/yaml';
import type { ResolvedLayer } from '../model/resolved';
import type { PlannedResource } from '../model/planned';
import { PlannedManifestChart, SizeFinding, ManifestChart } from '../model/planned';

/**
 * Sizes Kubernetes limits, checked at synth time: above a limit is an error, from
 * {@link SIZE_HAZARD_SHARE} of it on a hazard (`size-limit`).
 *
 * - A generated chart's Helm release. Helm stores a release (its chart with every file, its values
 *   and the rendered manifest) as one record in a Secret: JSON, gzip'd at the best compression,
 *   base64'd (`encodeRelease`, pkg/storage/driver/util.go), the text being the Secret's data
 *   `release`. The API server accepts at most {@link SECRET_DATA_LIMIT} bytes of data in a Secret.
 *   A generated chart holds each document twice there: as a chart file (base64'd inside the JSON)
 *   and in the manifest. The estimate builds the same record and gzips it: it differs from Helm's
 *   by zlib's deflate against Go's, the order of the manifest's documents (Helm sorts them by
 *   kind), and the profile variables' values, which Terraform fills in at apply time.
 * - One object: the API server accepts at most {@link SECRET_DATA_LIMIT} bytes of data in a
 *   ConfigMap or Secret, and etcd stores at most {@link OBJECT_LIMIT} bytes per object with its
 *   default `--max-request-bytes` (the object as JSON here: custom resources are stored as JSON,
 *   built-in kinds as protobuf, which is smaller).
 */

/** Bytes of data a Secret or ConfigMap may hold (the API server's `MaxSecretSize`): a release Secret's is the gzip'd, base64'd release. */
export const SECRET_DATA_LIMIT = 1024 * 1024;

/** Bytes etcd stores per request by default (`--max-request-bytes`), here the most one object may take as JSON. */
export const OBJECT_LIMIT = 1.5 * 1024 * 1024;

/** From this share of a limit on, a size is a hazard: layers grow, and the variables' values come later. */
export const SIZE_HAZARD_SHARE = 0.8;

/** The estimated length of the release Secret's data for a generated chart's release. */
export function estimateReleaseSize(chart: ManifestChart, namespace: string): number {
  return base64Length(gzipSync(Buffer.from(releaseRecord(chart, namespace)), { level: 9 }).length);
}

/**
 * An upper bound of the release Secret's data for a chart, without compressing: each character of
 * a file counts as its base64'd UTF-8 (at most 4 bytes) in the chart plus its JSON escape in the
 * manifest (at most 6 bytes, `\u003e`), the values as 6 bytes a character, deflate's stored blocks
 * at most 5 bytes per 16 KiB more; all of it base64'd. Charts whose bound stays below the hazard
 * share of the limit, every ordinary one, are never gzip'd at synth time.
 */
export function releaseSizeBound(chart: ManifestChart): number {
  const files = chart.files.reduce((n, f) => n + f.content.length * 10 + f.path.length * 2 + 128, 0);
  const values = JSON.stringify(chart.digests).length + JSON.stringify(chart.references).length * 2;
  const record = files + values * 6 + 4096;
  return base64Length(record + Math.ceil(record / 16384) * 5 + 64);
}

/** `1,234,567 bytes (1.18 MiB)`. */
export function formatSize(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes (${(bytes / (1024 * 1024)).toFixed(2)} MiB)`;
}

function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** The release record Helm stores on install, as Go's encoding/json writes it. */
function releaseRecord(chart: ManifestChart, namespace: string): string {
  const source = `${chart.name}/templates/objects.yaml`;
  const at = '2026-01-01T00:00:00Z';
  const files = chart.files.filter((f) => f.path !== 'Chart.yaml' && !f.path.startsWith('templates/'));
  const templates = chart.files.filter((f) => f.path.startsWith('templates/'));
  const data = (f: { path: string; content: string }): { name: string; data: string } => ({ name: f.path, data: Buffer.from(f.content).toString('base64') });
  // The manifest holds what the template emits from files/; a templated manifest's output (a registry
  // pack's) is not known before Helm renders it, and counts only as its template.
  const manifest = files.filter((f) => f.path.startsWith('files/')).map((f) => `---\n# Source: ${source}\n${f.content.trim()}\n`).join('');
  // The references as the construct passes them: each string's JSON text (Terraform's jsonencode).
  const references = Object.fromEntries(Object.entries(chart.references).map(([token, text]) => [token, JSON.stringify(text)]));
  const config = { [OBJECTS_VALUE]: chart.digests, ...(Object.keys(references).length > 0 ? { [REFERENCES_VALUE]: references } : {}) };
  // Keys as Go writes them: a struct's in field order (release.Release, chart.Chart, chart.Metadata).
  const record = {
    name: chart.name,
    info: { first_deployed: at, last_deployed: at, deleted: '0001-01-01T00:00:00Z', description: 'Install complete', status: 'deployed' },
    chart: {
      metadata: { name: chart.name, version: chart.version, description: chartDescription(chart), apiVersion: 'v2', type: 'application' },
      lock: null,
      templates: templates.map(data),
      values: {},
      schema: null,
      files: files.map(data),
    },
    config,
    manifest,
    version: 1,
    namespace,
  };
  // Go's encoder escapes <, >, & and U+2028/U+2029 in strings.
  return JSON.stringify(record).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function chartDescription(chart: ManifestChart): string {
  const line = chart.files.find((f) => f.path === 'Chart.yaml')?.content.split('\n').find((l) => l.startsWith('description: '));
  return line?.slice('description: '.length) ?? '';
}

/**
 * The releases of generated charts and the objects of every layer whose size reaches
 * {@link SIZE_HAZARD_SHARE} of their limit, each with its measured size, in layer order.
 */
export function sizeFindings(layers: readonly ResolvedLayer[], resources: readonly PlannedResource[]): SizeFinding[] {
  const chartsOf = new Map<string, PlannedManifestChart[]>();
  for (const r of resources) if (r.role === 'manifest-chart') chartsOf.set(r.layer, [...(chartsOf.get(r.layer) ?? []), r]);
  const out: SizeFinding[] = [];
  for (const layer of layers) {
    for (const document of documentsOf(layer)) {
      const where = { ...layer.where, manifest: document.manifest, document: document.position };
      for (const { size, limit, what, fix } of objectSizes(document)) {
        const over = size > limit;
        if (!over && size < limit * SIZE_HAZARD_SHARE) continue;
        const against = over ? `above the ${formatSize(limit)}` : `${share(size, limit)} of the ${formatSize(limit)}`;
        out.push({ layer: layer.name, where, over, message: `${document.kind} "${document.name}" ${what(formatSize(size))}, ${against} ${fix}` });
      }
    }
    for (const chart of chartsOf.get(layer.name) ?? []) {
      if (releaseSizeBound(chart.manifestChart) < SECRET_DATA_LIMIT * SIZE_HAZARD_SHARE) continue;
      const size = estimateReleaseSize(chart.manifestChart, chart.namespace);
      const over = size > SECRET_DATA_LIMIT;
      if (!over && size < SECRET_DATA_LIMIT * SIZE_HAZARD_SHARE) continue;
      const what = chart.holds === 'crds' ? "the Helm release of its CustomResourceDefinitions' generated chart" : "the Helm release of its generated chart";
      const against = over ? `above the ${formatSize(SECRET_DATA_LIMIT)}` : `${share(size, SECRET_DATA_LIMIT)} of the ${formatSize(SECRET_DATA_LIMIT)}`;
      const split =
        chart.holds === 'crds'
          ? 'split its CustomResourceDefinitions among several layers'
          : layer.kind === 'manifest'
            ? "split the layer's manifests among several layers"
            : "move some of the layer's manifests to manifest layers of their own";
      out.push({
        layer: layer.name,
        where: layer.where,
        over,
        message: `${what} ("${chart.releaseName}") would be stored as about ${formatSize(size)} (JSON, gzip'd, base64'd; each document counts twice, as a chart file and in the rendered manifest), ${against} the API server accepts in the release's Secret; ${split}, or set pack.manifestStrategy: manifest (one kubernetes_manifest per document, no release)`,
      });
    }
  }
  return out;
}

/** `83%`: a size as a whole percentage of its limit, rounded down. */
function share(size: number, limit: number): string {
  return `${Math.floor((size / limit) * 100)}%`;
}

interface ObjectSize {
  readonly size: number;
  readonly limit: number;
  /** The size described: `is 1,234 bytes (0.00 MiB) as JSON`. */
  readonly what: (size: string) => string;
  /** Whose limit it is, and what to do. */
  readonly fix: string;
}

/** The sizes of one object Kubernetes limits: its data (a ConfigMap's or Secret's), and the whole object as JSON. */
function objectSizes(document: ManifestDocument): readonly ObjectSize[] {
  const data = dataSize(document);
  return [
    ...(data !== undefined ? [{ size: data, limit: SECRET_DATA_LIMIT, what: (s: string) => `holds ${s} of data`, fix: `the API server accepts in one ${document.kind}'s data; split it into several ${document.kind}s` }] : []),
    { size: Buffer.byteLength(JSON.stringify(document.object)), limit: OBJECT_LIMIT, what: (s: string) => `is ${s} as JSON`, fix: 'etcd stores for one object by default; split it into several objects' },
  ];
}

/**
 * The bytes of data the API server counts against a ConfigMap's or Secret's limit (ValidateConfigMap,
 * ValidateSecret): the values only, ConfigMap `data` as UTF-8 and `binaryData` decoded, Secret
 * `data` decoded and `stringData` as UTF-8 (in place of `data` of the same key). Undefined for other
 * kinds.
 */
function dataSize(document: ManifestDocument): number | undefined {
  if (document.apiVersion !== 'v1' || (document.kind !== 'ConfigMap' && document.kind !== 'Secret')) return undefined;
  const { data, binaryData, stringData } = document.object;
  const sizes = (map: unknown, encoded: boolean): [string, number][] =>
    isMap(map) ? Object.entries(map).flatMap(([key, value]): [string, number][] => (typeof value === 'string' ? [[key, encoded ? Buffer.from(value, 'base64').length : Buffer.byteLength(value)]] : [])) : [];
  const total = (entries: Iterable<[string, number]>): number => [...entries].reduce((n, [, size]) => n + size, 0);
  if (document.kind === 'ConfigMap') return total([...sizes(data, false), ...sizes(binaryData, true)]);
  return total(new Map([...sizes(data, true), ...sizes(stringData, false)]));
}

/**
 * Measures the releases and objects of a plan once (gzip of every large generated chart, JSON of
 * every object), records in `problems` every one above its limit, and returns every finding, the
 * ones near a limit included, for the plan to carry to its hazards.
 */
export function checkSizes(layers: readonly ResolvedLayer[], resources: readonly PlannedResource[], problems: ProblemList): SizeFinding[] {
  const findings = sizeFindings(layers, resources);
  for (const f of findings) if (f.over) problems.add(f.where, f.message);
  return findings;
}

/** A finding below its limit as a hazard's message: where, then what. */
export function describeFinding(finding: SizeFinding): string {
  return `${describeLocation(finding.where)}: ${finding.message}`;
}
