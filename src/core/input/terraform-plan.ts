import { addressOf } from '../model/address';
import { ProfileError } from '../model/errors';

/**
 * Terraform's JSON plan (`terraform show -json PLANFILE`), the parts a review reads: each entry of
 * `resource_changes` with its address, its address before a `moved` block (`previous_address`),
 * the actions (`create`, `update`, `delete`, `delete`+`create` or `create`+`delete` for a replace,
 * `forget` for a `removed` block, `no-op`, `read`) and the values before and after.
 * https://developer.hashicorp.com/terraform/internals/json-format
 */

/** One resource change of a Terraform plan. */
export interface TerraformResourceChange {
  /** The full address (`helm_release.cert-manager`, `module.x.helm_release.y`). */
  readonly address: string;
  /** `type.name`, without module path or instance key: how the profiles name the resource. */
  readonly resource: string;
  readonly type: string;
  /** The address before a `moved` block, when the resource moves. */
  readonly previousAddress?: string;
  /** The actions as Terraform writes them. */
  readonly actions: readonly string[];
  /** Values before the change (null for a create). */
  readonly before: unknown;
  /** Values after the change (null for a delete or forget). */
  readonly after: unknown;
  /** Set for a deposed object: the change is to it, not to the current object. */
  readonly deposed?: string;
}

/** Reads the text of `terraform show -json PLANFILE`; throws a ProfileError naming the file and the field. */
export function readTerraformPlan(text: string, file: string): TerraformResourceChange[] {
  const expected = 'expected the output of `terraform show -json PLANFILE` (an object with format_version and resource_changes)';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ProfileError({ file, message: `is not JSON (${(err as Error).message}); ${expected}` });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as Record<string, unknown>).format_version !== 'string') {
    throw new ProfileError({ file, message: `has no format_version; ${expected}` });
  }
  const plan = json as Record<string, unknown>;
  const changes = plan.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new ProfileError({ file, field: 'resource_changes', message: `is ${typeof changes}; ${expected}` });
  return changes.map((entry, i) => readChange(entry, file, i));
}

function readChange(entry: unknown, file: string, index: number): TerraformResourceChange {
  const field = `resource_changes[${index}]`;
  const bad = (what: string): ProfileError => new ProfileError({ file, field, message: `${what}; expected an object with address, type, name and change.actions (Terraform's JSON plan format)` });
  if (typeof entry !== 'object' || entry === null) throw bad(`is ${entry === null ? 'null' : typeof entry}`);
  const e = entry as Record<string, unknown>;
  const change = e.change as Record<string, unknown> | undefined;
  if (typeof e.address !== 'string') throw bad('has no address');
  if (typeof e.type !== 'string' || typeof e.name !== 'string') throw bad(`"${e.address}" has no type or name`);
  if (typeof change !== 'object' || change === null || !Array.isArray(change.actions) || !change.actions.every((a) => typeof a === 'string')) {
    throw bad(`"${e.address}" has no change.actions list`);
  }
  return {
    address: e.address,
    resource: addressOf(e.type, e.name),
    type: e.type,
    ...(typeof e.previous_address === 'string' ? { previousAddress: e.previous_address } : {}),
    actions: change.actions as string[],
    before: change.before ?? null,
    after: change.after ?? null,
    ...(typeof e.deposed === 'string' ? { deposed: e.deposed } : {}),
  };
}
