/**
 * Terraform resource addresses as data. An address is public API: it names the object in
 * Terraform's state, and a changed address destroys and recreates it. So addresses are built from
 * a type and a name here, written as text by {@link formatAddress} alone, and read back by
 * {@link parseAddress} alone.
 */

/** A resource of the root module: `helm_release.cert-manager` is `{ type: 'helm_release', name: 'cert-manager' }`. */
export interface ResourceAddress {
  /** The resource type: `helm_release`, `kubernetes_namespace_v1`, `terraform_data`. */
  readonly type: string;
  /** The resource name, unique among the resources of its type. */
  readonly name: string;
}

/** Terraform's identifiers (resource types and names): letters, digits, `_` and `-`, not starting with a digit or `-`. */
export const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The address `type.name`, as Terraform writes it in plans, `depends_on`, `moved` and `removed` blocks. */
export function formatAddress(address: ResourceAddress): string {
  return `${address.type}.${address.name}`;
}

/** The address of the resource `name` of `type`: {@link formatAddress} of both. */
export function addressOf(type: string, name: string): string {
  return formatAddress({ type, name });
}

/** The type and name of a root-module address `type.name`; undefined for any other text. */
export function parseAddress(text: string): ResourceAddress | undefined {
  const dot = text.indexOf('.');
  if (dot < 0) return undefined;
  const address = { type: text.slice(0, dot), name: text.slice(dot + 1) };
  return TERRAFORM_IDENTIFIER.test(address.type) && TERRAFORM_IDENTIFIER.test(address.name) ? address : undefined;
}

/**
 * The resource an address from a Terraform plan names, as the profiles would address it: the module
 * path, the `data.` of a data source and the instance key left out, so that
 * `module.edge.helm_release.cilium["a"]` is `helm_release.cilium`.
 */
export function resourceInPlan(text: string): string {
  const parts = text.split('.');
  while (parts[0] === 'module' && parts.length > 3) parts.splice(0, 2);
  if (parts[0] === 'data' && parts.length > 2) parts.shift();
  return parts.join('.').replace(/\[[^\]]*\]$/, '');
}
