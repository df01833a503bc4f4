import { addressOf } from '../model/address';
import { isCustomResource } from '../resolve/classify';
import { compare } from '../model/compare';
import { buildCrdChart, isCrdDocument } from './crd-release';
import { ManifestChart } from '../model/planned';
import { buildManifestChart } from './manifest-chart';
import { templatesOf } from '../resolve/manifest-settings';
import { manifestReleaseName } from '../resolve/releases';
import { terraformName } from '../model/names';
import { kubectlWaits } from '../resolve/readiness';
import { ManifestDocument } from '../model/resolved';
import type { ResolvedHelmLayer, ResolvedLayer, ResolvedManifestLayer, ResolvedPackLayer } from '../model/resolved';
import type { PlannedResource, PlannedManifestChart, PlannedReadinessCheck } from '../model/planned';

/**
 * The Terraform name of a document's `kubernetes_manifest` (the `manifest` strategy):
 * `<layer>--<kind>--[<namespace>--]<name>`, the kind lowercased.
 */
export function manifestResourceName(layerName: string, document: Pick<ManifestDocument, 'kind' | 'namespace' | 'name'>): string {
  const parts = document.namespace === undefined ? [document.kind, document.name] : [document.kind, document.namespace, document.name];
  return terraformName(layerName, ...parts.map((p, i) => (i === 0 ? p.toLowerCase() : p)));
}

/**
 * The Terraform name of a layer's generated-chart release: the layer's for a manifest layer,
 * `<layer>--manifests` for a registry pack or a Helm layer (whose own release has the layer's name);
 * `--crds` after it for the release of the layer's CRDs.
 */
export function manifestReleaseResourceName(layer: Pick<ResolvedLayer, 'name' | 'kind'>, holds: 'crds' | 'objects' = 'objects'): string {
  const parts = [layer.name, ...(layer.kind !== 'manifest' ? ['manifests'] : []), ...(holds === 'crds' ? ['crds'] : [])];
  return terraformName(...parts);
}

/** A layer that deploys manifest documents: a manifest layer, a registry pack, a Helm layer with attached manifests. */
export type LayerWithDocuments = ResolvedManifestLayer | ResolvedPackLayer | ResolvedHelmLayer;

/**
 * The chart releases of the layer that its documents wait for: when the documents hold custom
 * resources, the layer's own charts (a Helm layer's release, a registry pack's releases, named as
 * plan.ts names them), which typically install the CRDs and their webhooks. The documents then
 * install after the charts and are removed before them, while the operator still runs to clear
 * finalizers. Other documents (Secrets, ConfigMaps a chart's pods read) install alongside the
 * charts: a pod waits for a missing Secret, while a chart's Helm wait for pods that need documents
 * installed only after it would never end.
 */
export function chartsBeforeDocuments(layer: LayerWithDocuments): string[] {
  // A templated manifest's objects are known only once Helm renders it: taken as custom resources.
  if (!layer.documents.some(isCustomResource) && templatesOf(layer).length === 0) return [];
  if (layer.kind === 'helm') return [addressOf('helm_release', terraformName(layer.name))];
  return layer.kind === 'pack' ? layer.releases.map((r) => addressOf('helm_release', terraformName(layer.name, r.chart))) : [];
}

/**
 * The resources of a `chart`-strategy layer: the release of its CRDs when it has any (see
 * `crd-release.ts`); the release of its other objects, which waits for the previous tier, every
 * namespace the profiles own that its objects use, and the release of the CRDs; and, when the
 * layer's `pack.readiness` names some of its objects, a `kubectl wait` check after it. In a registry
 * pack or a Helm layer whose manifests hold custom resources, the release of the objects also waits
 * for the layer's own chart releases ({@link chartsBeforeDocuments}).
 */
export function planManifestChart(layer: LayerWithDocuments, tier: number, waitFor: (namespaces: Iterable<string>) => string[]): PlannedResource[] {
  const releaseName = manifestReleaseName(layer);
  const crds = layer.documents.filter(isCrdDocument);
  const objects = layer.documents.filter((d) => !isCrdDocument(d));
  const chart = buildManifestChart(releaseName, objects, undefined, templatesOf(layer));
  const used = [layer.namespace, ...layer.ownedNamespaces, ...objects.flatMap((d) => (d.namespace !== undefined ? [d.namespace] : []))];
  const packCharts = chartsBeforeDocuments(layer);
  const crdRelease = crds.length > 0 ? chartRelease(layer, 'crds', buildCrdChart(manifestReleaseName(layer, 'crds'), crds), tier, waitFor([layer.namespace, ...layer.ownedNamespaces]), []) : undefined;
  const dependsOn = [...new Set([...waitFor(used), ...packCharts, ...(crdRelease !== undefined ? [crdRelease.address] : [])])].sort(compare);
  const forgets = [...new Set([layer.name, ...layer.settings.previousNames].flatMap((n) => layer.documents.map((d) => addressOf('kubernetes_manifest', manifestResourceName(n, d)))))].sort(compare);
  const release = chartRelease(layer, 'objects', chart, tier, dependsOn, forgets);
  const releases = crdRelease !== undefined ? [crdRelease, release] : [release];
  const waits = kubectlWaits(layer.documents, layer.settings.readiness);
  if (waits.length === 0) return releases;
  const check = terraformName('ready', layer.name);
  const readiness: PlannedReadinessCheck = {
    role: 'readiness-check',
    type: 'terraform_data',
    name: check,
    address: addressOf('terraform_data', check),
    tier,
    dependsOn: [release.address],
    layer: layer.name,
    waits,
    timeoutSeconds: layer.timeoutSeconds,
    replaceWhen: { release: releaseName, chartVersion: chart.version },
  };
  return [...releases, readiness];
}

/**
 * The release of one of a layer's generated charts, in the layer's namespace and tier: of its CRDs
 * (`<release>-crds`, `helm_release.<layer>--crds`), or of its other objects.
 */
function chartRelease(
  layer: LayerWithDocuments,
  holds: 'crds' | 'objects',
  chart: ManifestChart,
  tier: number,
  dependsOn: readonly string[],
  forgets: readonly string[],
): PlannedManifestChart {
  const name = manifestReleaseResourceName(layer, holds);
  const common = { layer: layer.name, namespace: layer.namespace, repository: '', timeoutSeconds: layer.timeoutSeconds };
  return { role: 'manifest-chart', type: 'helm_release', name, address: addressOf('helm_release', name), tier, dependsOn, ...common, releaseName: chart.name, chart: chart.name, version: chart.version, manifestChart: chart, holds, forgets };
}
