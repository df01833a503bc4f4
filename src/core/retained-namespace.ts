import { createHash } from 'node:crypto';
import { terraformName } from './names';
import { toYaml } from './yaml';

/**
 * Retained namespaces (`pack.retainNamespace: true`) are kept when their layers are removed or the
 * stack is destroyed. Terraform cannot skip deleting a resource on destroy (`prevent_destroy` fails
 * the whole destroy instead), so such a namespace is not a `kubernetes_namespace_v1`: it is the only
 * object of a Helm release of the small `retained-namespace` chart shipped with this package, and
 * carries Helm's `helm.sh/resource-policy: keep` annotation, which makes `helm uninstall` (what
 * Terraform runs to destroy the release) leave it in place. The release takes ownership of a
 * namespace that already exists (kept by an earlier destroy, created by hand, or managed as a
 * `kubernetes_namespace_v1` before `retainNamespace` was set).
 */

/** Where the chart lives, relative to the package's root folder. */
export const RETAINED_NAMESPACE_CHART = 'charts/retained-namespace';

/** The chart's name and version, as its Chart.yaml gives them. */
export const RETAINED_NAMESPACE_CHART_NAME = 'retained-namespace';
export const RETAINED_NAMESPACE_CHART_VERSION = '1.0.0';

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

/** The values of a retained namespace's release: the namespace's name, labels and annotations. */
export function retainedNamespaceValues(namespace: string, labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): string {
  return toYaml({ name: namespace, labels, annotations });
}
