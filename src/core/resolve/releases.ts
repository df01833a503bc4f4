import { createHash } from 'node:crypto';
import { ProblemList } from '../model/errors';
import { isReleaseName } from '../model/names';
import type { ResolvedLayer } from '../model/resolved';
import { slotDeploys } from '../model/spec';
import { classifyDocument } from './classify';
import { manifestStrategyOf, templatesOf } from './manifest-settings';
import { documentsOf } from './manifests';

/**
 * The Helm releases of the layers: what each is named, and the check that no two of a cluster take
 * one name in one namespace.
 */

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

/** One Helm release a layer makes: of one of its charts, or of a chart generated from its manifests. */
interface LayerRelease {
  readonly layer: ResolvedLayer;
  readonly releaseName: string;
  /** Generated from the layer's manifests. */
  readonly generated: boolean;
}

/**
 * The releases of a layer: its Helm chart's, or its registry pack's charts'; then, for a deployed
 * layer whose manifests install as a generated chart, the generated chart of its CRDs when it has
 * any, and of its other objects. All of them in the layer's namespace.
 */
function releasesOf(layer: ResolvedLayer): LayerRelease[] {
  const own = layer.kind === 'helm' ? [layer.releaseName] : layer.kind === 'pack' ? layer.releases.map((r) => r.releaseName) : [];
  const out = own.map((releaseName) => ({ layer, releaseName, generated: false }));
  const documents = documentsOf(layer);
  const deployed = slotDeploys(layer.slot);
  if (!deployed || (documents.length === 0 && templatesOf(layer).length === 0) || manifestStrategyOf(layer) !== 'chart') return out;
  if (documents.some((d) => classifyDocument(d.apiVersion, d.kind) === 'crd')) out.push({ layer, releaseName: manifestReleaseName(layer, 'crds'), generated: true });
  out.push({ layer, releaseName: manifestReleaseName(layer), generated: true });
  return out;
}

/**
 * The check that no two releases of a cluster have one name in one namespace, where Helm would
 * install one over the other: layers are given one at a time, each checked against the layers
 * before it. A release that takes the name of an earlier one is reported at its layer, with the fix
 * of a `pack.releaseNameOverride`, when both are layers' own charts; when one is a chart generated
 * from another layer's manifests, it is reported at the generated chart's layer, whose release is
 * named after the layer. A generated chart is not checked against the charts of its own layer.
 */
export class ReleaseNames {
  private readonly seen = new Map<string, LayerRelease>();

  /** @param problems where the clashes are recorded */
  constructor(private readonly problems: ProblemList) {}

  /** Checks the releases of `layer` against those of the layers checked before. */
  public check(layer: ResolvedLayer): void {
    for (const release of releasesOf(layer)) this.checkRelease(release);
  }

  private checkRelease(release: LayerRelease): void {
    const { layer, releaseName } = release;
    const key = `${layer.namespace}/${releaseName}`;
    const other = this.seen.get(key);
    if (other === undefined) {
      this.seen.set(key, release);
      return;
    }
    if (!release.generated && !other.generated) {
      this.problems.add({ ...layer.where, field: 'release' }, `"${releaseName}" in namespace "${layer.namespace}" is also the release of layer "${other.layer.name}"; give one a pack.releaseNameOverride or another namespace`);
      return;
    }
    const [chart, them] = release.generated ? [release, other] : [other, release];
    if (chart.layer === them.layer) return;
    this.problems.add(
      chart.layer.where,
      `the Helm release "${releaseName}" of the chart generated from its manifests, in namespace "${layer.namespace}", is also the release of layer "${them.layer.name}"; rename one of the layers, or give this one another pack.namespace`,
    );
  }
}
