import { createHash } from 'node:crypto';
import { ManifestChart } from '../model/planned';
import { generatedChart, objectFile } from './manifest-chart';
import { terraformName } from '../model/names';

/**
 * Retained namespaces (`pack.retainNamespace: true`) are kept when their layers are removed or the
 * stack is destroyed. Terraform cannot skip deleting a resource on destroy (`prevent_destroy` fails
 * the whole destroy instead), so such a namespace is not a `kubernetes_namespace_v1`: it is the only
 * object of a Helm release of a small chart generated like a layer's (see `manifest-chart.ts`),
 * and carries Helm's `helm.sh/resource-policy: keep` annotation, which makes `helm uninstall` (what
 * Terraform runs to destroy the release) leave it in place. The release takes ownership of a
 * namespace that already exists (kept by an earlier destroy, created by hand, or managed as a
 * `kubernetes_namespace_v1` before `retainNamespace` was set).
 */

/** The name of every retained namespace's chart. */
export const RETAINED_NAMESPACE_CHART_NAME = 'retained-namespace';

/** The namespace the releases of retained namespaces are recorded in (Helm keeps a Secret per release there). */
export const RETAINED_NAMESPACE_RELEASE_NAMESPACE = 'default';

/** The Terraform name of a retained namespace's release: `namespace--monitoring`. */
export function retainedNamespaceResourceName(namespace: string): string {
  return terraformName('namespace', namespace);
}

/**
 * The Helm release name of a retained namespace: `namespace-<name>`, shortened with a hash of the
 * name when that would pass Helm's 53 characters.
 */
export function retainedNamespaceReleaseName(namespace: string): string {
  const full = `namespace-${namespace}`;
  if (full.length <= 53) return full;
  const hash = createHash('sha256').update(namespace).digest('hex').slice(0, 8);
  return `namespace-${namespace.slice(0, 33).replace(/-+$/, '')}-${hash}`;
}

/**
 * The chart of a retained namespace: `files/namespace.json`, the Namespace with its labels and
 * annotations, annotated `helm.sh/resource-policy: keep` (over any value a layer gives that key).
 * Its version is the content hash, so a change of a label or annotation upgrades the release.
 */
export function retainedNamespaceChart(namespace: string, labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): ManifestChart {
  const metadata = {
    name: namespace,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    annotations: { ...annotations, 'helm.sh/resource-policy': 'keep' },
  };
  const object = { apiVersion: 'v1', kind: 'Namespace', metadata };
  return generatedChart(RETAINED_NAMESPACE_CHART_NAME, 'One namespace that helm uninstall keeps (helm.sh/resource-policy keep), packaged by cdktf-cluster-profiles', [objectFile('files/namespace.json', object)]);
}
