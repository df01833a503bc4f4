import { execFileSync } from 'node:child_process';
import { addressOf } from '../src/core/model/address';
import { standInAddress, standInName } from '../src/rehearse/stand-ins';
import { TfJson } from './synth-helpers';

// Stand-ins for the real terraform: every resource of a synthesized stack as a `terraform_data`,
// which runs offline, with the same addresses (renamed), edges, `moved` and `removed` blocks.

/**
 * The synthesized stack with every resource replaced by a `terraform_data` stand-in that keeps its
 * depends_on edges and carries its attributes as `input`, and its `moved` and `removed` blocks
 * rewritten to match.
 */
export function standIns(json: TfJson): TfJson {
  const resources: TfJson = {};
  for (const [type, byName] of Object.entries(json.resource as TfJson)) {
    for (const [name, body] of Object.entries(byName as TfJson)) {
      const { depends_on: deps, ...rest } = body as TfJson;
      const edges = ((deps as string[] | undefined) ?? []).map(standInAddress);
      resources[standInName(addressOf(type, name))] = { input: JSON.stringify(rest), ...(edges.length > 0 ? { depends_on: edges } : {}) };
    }
  }
  const moved = ((json.moved as { from: string; to: string }[] | undefined) ?? []).map((m) => ({ from: standInAddress(m.from), to: standInAddress(m.to) }));
  const removed = ((json.removed as { from: string }[] | undefined) ?? []).map((r) => ({ ...r, from: standInAddress(r.from) }));
  return { resource: { terraform_data: resources }, ...(moved.length > 0 ? { moved } : {}), ...(removed.length > 0 ? { removed } : {}) };
}

export function terraform(dir: string, ...args: string[]): string {
  return execFileSync('terraform', args, { cwd: dir, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

