import { ProblemList } from '../model/errors';
import { ManifestStrategy } from '../model/resolved';
import type { TemplatedManifest, ResolvedLayer } from '../model/resolved';
import { undeliverableInChart } from './chart-delivery';
import { documentsOf } from './manifests';
import { ruleMatches } from './readiness';

/** What the strategy of a layer depends on. */
export interface StrategySource {
  readonly settings: { readonly manifestStrategy?: ManifestStrategy };
}

/** The strategy of a layer: `pack.manifestStrategy`, else `chart`. */
export function manifestStrategyOf(layer: StrategySource): ManifestStrategy {
  return layer.settings.manifestStrategy ?? 'chart';
}

/** A registry pack's manifests that are Go templates over their values (packs.ts); none for other layers. */
export function templatesOf(layer: ResolvedLayer): readonly TemplatedManifest[] {
  return layer.kind === 'pack' ? layer.templates : [];
}

/**
 * Checks what the manifest strategies need of each deployed layer, recording every problem in
 * `problems`: each `pack.readiness` rule names a kind of the layer's documents; `pack.manifestStrategy`
 * is set only on layers with documents, and is not `manifest` on a pack whose manifests are
 * templates; a generated chart can deliver the documents of a `chart` layer as written.
 */
export function checkManifestSettings(layers: readonly ResolvedLayer[], problems: ProblemList): void {
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
}

/** The first action of a template that makes it one (shortened), for messages: `{{ if .Values.apiEnabled }}`. */
function firstTemplateAction(content: string): string {
  for (const match of content.matchAll(/\{\{[\s\S]*?\}\}/g)) {
    if (/\.Values\b/.test(match[0]) && !/^\{\{-?\s*\.Values(\.[A-Za-z_][A-Za-z0-9_-]*)+\s*-?\}\}$/.test(match[0])) return match[0].length > 60 ? `${match[0].slice(0, 57)}...` : match[0];
  }
  return 'a template action';
}
