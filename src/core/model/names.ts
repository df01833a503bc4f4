import { createHash } from 'node:crypto';
import { TERRAFORM_IDENTIFIER } from './address';

/** Kubernetes namespace names (RFC 1123 labels). */
export const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** How a namespace name must look, for error messages. */
export const NAMESPACE_FORM = "must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters";

/** Whether `name` is a valid namespace name. */
export function isNamespaceName(name: string): boolean {
  return name.length <= 63 && NAMESPACE_PATTERN.test(name);
}

/**
 * Namespaces that exist in every cluster and belong to it, not to any profile: never created or
 * destroyed by this library, only labelled or annotated when a layer asks.
 */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** Whether `name` is one of the {@link SYSTEM_NAMESPACES}: the one test of "belongs to the cluster". */
export function isSystemNamespace(name: string): boolean {
  return SYSTEM_NAMESPACES.has(name);
}

/** Helm release names: lowercase RFC 1123 subdomain, at most 53 characters. */
export const RELEASE_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** How a release name must look, for error messages. */
export const RELEASE_NAME_FORM = "must be lowercase letters, digits, '-' and '.', start and end with a letter or digit, and be at most 53 characters";

/** Whether `name` is a valid Helm release name. */
export function isReleaseName(name: string): boolean {
  return name.length <= 53 && RELEASE_NAME_PATTERN.test(name);
}

/** Layer names: what Palette accepts for pack names, which also keeps Terraform addresses readable. */
export const LAYER_NAME_PATTERN = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** How a layer name must look, for error messages. */
export const LAYER_NAME_FORM = "must be letters, digits, '-', '_' and '.', start and end with a letter or digit, and be at most 128 characters";

/** Whether `name` is a valid layer name. */
export function isLayerName(name: string): boolean {
  return name.length <= 128 && LAYER_NAME_PATTERN.test(name);
}

/**
 * A Terraform resource name derived from stable parts (layer, kind, namespace, object name). Parts
 * are joined with `--`; a result that is already a valid Terraform name is used as is, so addresses
 * stay readable (`helm_release.cert-manager`). Otherwise invalid characters become `_` and a short
 * hash of the original keeps distinct inputs distinct (`a.b` and `a_b` never collide).
 */
export function terraformName(...parts: string[]): string {
  const raw = parts.join('--');
  if (TERRAFORM_IDENTIFIER.test(raw)) return raw;
  let safe = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z_]/.test(safe)) safe = `_${safe}`;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${safe}_${hash}`;
}

/** The names of a comma-separated list (`a, b,c`), trimmed, empty pieces dropped. */
export function commaSeparated(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
