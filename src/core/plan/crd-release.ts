import { classifyDocument } from '../resolve/classify';
import { ManifestChart } from '../model/planned';
import { buildManifestChart } from './manifest-chart';
import { isMap } from '../input/yaml';
import { ManifestDocument } from '../model/resolved';

/**
 * The CRD lifecycle of a `chart` layer. Helm installs a chart's `crds/` folder on a first install
 * only, never upgrades it and never deletes it; and on upgrade it deletes every object that was in
 * the release's manifest and is not any more (unless the object is annotated
 * `helm.sh/resource-policy: keep`), so an object that moves from a release's templates to `crds/` or
 * to another release is deleted, and a CRD deleted takes every custom resource of its kind with it.
 * So a layer's CustomResourceDefinitions are never in `crds/` and never in the release of the
 * layer's other objects:
 *
 * - They are the templates (files) of a release of their own, `<release>-crds`
 *   (`helm_release.<layer>--crds`), which the release of the layer's objects waits for
 *   (`depends_on`). Helm's `wait` holds that release until its CRDs are established, so the
 *   layer's custom resources install on the first apply, and a CRD the layer changes is upgraded.
 * - Each is annotated `helm.sh/resource-policy: keep`: removing a CRD from the layer, removing the
 *   layer, or destroying the stack leaves the CRD, and so every custom resource of its kind, in the
 *   cluster. Deleting a CRD is a decision about users' data that only a person makes
 *   (`kubectl delete crd <name>`).
 * - The release takes ownership of CRDs already in the cluster: those that an earlier version of
 *   this library installed from the layer's chart (its `crds/`, or its files, whose removal from the
 *   objects' release then deletes nothing, the live CRD being annotated `keep` by then), or that a
 *   `kubernetes_manifest` installed (forgotten by a `removed` block).
 *
 * A layer without CRDs has no CRD release.
 */

/** Helm's annotation that keeps an object when its release is upgraded without it or uninstalled. */
export const RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';

/** The description of the chart of a layer's CRDs. */
export const CRD_CHART_DESCRIPTION = 'The CustomResourceDefinitions of one layer of cluster profiles, kept on removal, packaged by cdktf-cluster-profiles';

/** Whether a document is a CustomResourceDefinition (`apiextensions.k8s.io`). */
export function isCrdDocument(document: Pick<ManifestDocument, 'apiVersion' | 'kind'>): boolean {
  return classifyDocument(document.apiVersion, document.kind) === 'crd';
}

/** A CRD document as its release installs it: annotated `helm.sh/resource-policy: keep`, over any value the layer gave that key. */
export function keptCrd(document: ManifestDocument): ManifestDocument {
  const metadata = isMap(document.object.metadata) ? document.object.metadata : {};
  const annotations = isMap(metadata.annotations) ? metadata.annotations : {};
  const object = { ...document.object, metadata: { ...metadata, annotations: { ...annotations, [RESOURCE_POLICY_ANNOTATION]: 'keep' } } };
  return { ...document, object };
}

/** The chart of a layer's CRDs (in document order), each kept on removal ({@link keptCrd}). */
export function buildCrdChart(name: string, crds: readonly ManifestDocument[]): ManifestChart {
  return buildManifestChart(name, crds.map(keptCrd), CRD_CHART_DESCRIPTION);
}
