import { createHash } from 'node:crypto';
import { addressOf } from '../model/address';
import { isCustomResource } from '../resolve/classify';
import { compare } from '../model/compare';
import { Location, ProblemList } from '../model/errors';
import { buildCrdChart, isCrdDocument } from './crd-release';
import { ManifestChart } from '../model/planned';
import { buildManifestChart, undeliverableInChart } from './manifest-chart';
import { documentsOf } from '../resolve/manifests';
import { isReleaseName, terraformName } from '../model/names';
import { kubectlWaits, ruleMatches } from '../resolve/readiness';
import { ManifestStrategy, ManifestDocument } from '../model/resolved';
import type { TemplatedManifest, ResolvedHelmLayer, ResolvedLayer, ResolvedManifestLayer, ResolvedPackLayer } from '../model/resolved';
import type { PlannedRelease, PlannedResource, PlannedManifestChart, PlannedReadinessCheck } from '../model/planned';

/** What the strategy of a layer depends on. */
export interface StrategySource {
  readonly settings: { readonly manifestStrategy?: ManifestStrategy };
}

/** The strategy of a layer: `pack.manifestStrategy`, else `chart`. */
export function manifestStrategyOf(layer: StrategySource): ManifestStrategy {
  return layer.settings.manifestStrategy ?? 'chart';
}

/**
 * The Terraform name of a document's `kubernetes_manifest` (the `manifest` strategy):
 * `<layer>--<kind>--[<namespace>--]<name>`, the kind lowercased.
 */
export function manifestResourceName(layerName: string, document: Pick<ManifestDocument, 'kind' | 'namespace' | 'name'>): string {
  const parts = document.namespace === undefined ? [document.kind, document.name] : [document.kind, document.namespace, document.name];
  return terraformName(layerName, ...parts.map((p, i) => (i === 0 ? p.toLowerCase() : p)));
}

/**
 * The Helm release name (and chart name) of a layer's generated chart: the layer's name, or its
 * first name when it was renamed (`pack.previousNames`), so that a renamed layer keeps its release;
 * `<name>-manifests` for a registry pack, whose charts' releases are named after the charts, and for
 * a Helm layer's attached manifests, whose layer name is its chart's release; and `-crds` after it
 * for the chart of the layer's CRDs. A name Helm does not accept is lowercased, other characters
 * become '-', and a hash of the original keeps distinct names distinct.
 */
export function manifestReleaseName(layer: Pick<ResolvedLayer, 'name' | 'kind'> & { readonly settings: { readonly previousNames: readonly string[] } }, holds: 'crds' | 'objects' = 'objects'): string {
  const base = layer.settings.previousNames[0] ?? layer.name;
  const wanted = `${layer.kind === 'manifest' ? base : `${base}-manifests`}${holds === 'crds' ? '-crds' : ''}`;
  if (isReleaseName(wanted)) return wanted;
  const hash = createHash('sha256').update(wanted).digest('hex').slice(0, 8);
  const safe = wanted.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 44).replace(/-+$/, '');
  return safe === '' ? `manifests-${hash}` : `${safe}-${hash}`;
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

/** A registry pack's manifests that are Go templates over their values (packs.ts); none for other layers. */
export function templatesOf(layer: ResolvedLayer): readonly TemplatedManifest[] {
  return layer.kind === 'pack' ? layer.templates : [];
}

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
  return { type: 'helm_release', name, address: addressOf('helm_release', name), tier, dependsOn, ...common, releaseName: chart.name, chart: chart.name, version: chart.version, manifestChart: chart, holds, forgets };
}

/**
 * Checks what the manifest strategies need of each deployed layer, reporting every problem at once:
 * each `pack.readiness` rule names a kind of the layer's documents; `pack.manifestStrategy` is set
 * only on layers with documents.
 */
export function checkManifestSettings(layers: readonly ResolvedLayer[]): void {
  const problems = new ProblemList();
  for (const layer of layers) {
    const documents = documentsOf(layer);
    layer.settings.readiness.forEach((rule, i) => {
      if (documents.some((d) => ruleMatches(rule, d))) return;
      const kind = rule.group !== undefined ? `${rule.kind} of group "${rule.group}"` : rule.kind;
      problems.add({ ...layer.where, field: `pack.readiness[${i}]` }, `names kind ${kind}, but no manifest document of the layer is of that kind; pack.readiness applies to the layer's own manifest documents`);
    });
    const templates = templatesOf(layer);
    if (templates.length > 0 && manifestStrategyOf(layer) === 'manifest') {
      for (const t of templates) {
        problems.add(
          { ...layer.where, manifest: t.name, field: 'pack.manifestStrategy' },
          `is "manifest", but manifest "${t.name}" of the pack is a Go template over the pack's values (${firstTemplateAction(t.content)}), which Palette renders and only Helm renders here; remove pack.manifestStrategy: manifest so that the layer's generated chart renders it with its values`,
        );
      }
    }
    if (layer.settings.manifestStrategy !== undefined && documents.length === 0 && templates.length === 0) {
      problems.add({ ...layer.where, field: 'pack.manifestStrategy' }, `is "${layer.settings.manifestStrategy}", but the layer has no manifest documents to install; remove it`);
    }
    if (documents.length > 0 && manifestStrategyOf(layer) === 'chart') {
      for (const u of undeliverableInChart(documents)) {
        problems.add({ ...layer.where, manifest: u.document.manifest, document: u.document.position, field: u.field }, u.message);
      }
    }
  }
  problems.throwIfAny();
}

/** The first action of a template that makes it one (shortened), for messages: `{{ if .Values.apiEnabled }}`. */
function firstTemplateAction(content: string): string {
  for (const match of content.matchAll(/\{\{[\s\S]*?\}\}/g)) {
    if (/\.Values\b/.test(match[0]) && !/^\{\{-?\s*\.Values(\.[A-Za-z_][A-Za-z0-9_-]*)+\s*-?\}\}$/.test(match[0])) return match[0].length > 60 ? `${match[0].slice(0, 57)}...` : match[0];
  }
  return 'a template action';
}

/**
 * Checks that no generated chart's release takes the name of another layer's release in the same
 * namespace (Helm would install one over the other).
 */
export function checkManifestReleaseNames(resources: readonly PlannedResource[], layers: readonly ResolvedLayer[]): void {
  const problems = new ProblemList();
  const where = new Map(layers.map((l) => [l.name, l.where]));
  const seen = new Map<string, PlannedRelease>();
  const releases = resources.filter((r): r is PlannedRelease => r.type === 'helm_release' && !('retained' in r) && r.layer !== undefined);
  for (const r of [...releases].sort((a, b) => compare(a.address, b.address))) {
    const key = `${r.namespace}/${r.releaseName}`;
    const other = seen.get(key);
    if (other === undefined) {
      seen.set(key, r);
      continue;
    }
    const [chart, them] = 'manifestChart' in r ? [r, other] : [other, r];
    if (!('manifestChart' in chart) || chart.layer === them.layer) continue;
    const at: Location = where.get(chart.layer) ?? { layer: chart.layer };
    problems.add(
      at,
      `the Helm release "${chart.releaseName}" of the chart generated from its manifests, in namespace "${chart.namespace}", is also the release of layer "${them.layer}"; rename one of the layers, or give this one another pack.namespace`,
    );
  }
  problems.throwIfAny();
}
