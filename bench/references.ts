/**
 * What ordering costs in references: the dependency references each resource of a synthesized stack
 * holds, and the size of the transitive closure Terraform records in its state (every resource's
 * `dependencies` list holds every resource it depends on, directly or not).
 */
import { StackResource } from '../src/rehearse/stack-graph';

/** References of a stack's resources. */
export interface ReferenceCount {
  readonly resources: number;
  /** `depends_on` entries plus `${...}` references to other resources, each target counted once per resource. */
  readonly references: number;
  /** `references / resources`. */
  readonly perResource: number;
  /** The most references one resource holds, and which. */
  readonly most: { readonly address: string; readonly references: number };
}

/** Counts the references of a stack read by `readStackGraph`. */
export function countReferences(resources: readonly StackResource[]): ReferenceCount {
  let references = 0;
  let most = { address: '', references: -1 };
  for (const r of resources) {
    references += r.dependsOn.length;
    if (r.dependsOn.length > most.references) most = { address: r.address, references: r.dependsOn.length };
  }
  return { resources: resources.length, references, perResource: resources.length === 0 ? 0 : references / resources.length, most };
}

/**
 * The number of entries in all `dependencies` lists of the state after an apply, as Terraform
 * computes them: for each resource instance, every resource reachable through its resource's
 * dependencies (a resource with `for_each` has `instances` instances). Computed with
 * one bit set per resource, in dependency order (the graph must be acyclic, as Terraform requires).
 */
export function transitiveDependencyCount(resources: readonly (StackResource & { readonly instances?: number })[]): number {
  const index = new Map(resources.map((r, i) => [r.address, i]));
  const words = Math.ceil(resources.length / 32);
  const closure: Uint32Array[] = [];
  const state = new Uint8Array(resources.length); // 0 new, 1 visiting, 2 done
  const visit = (i: number): Uint32Array => {
    if (state[i] === 2) return closure[i];
    if (state[i] === 1) throw new Error(`dependency cycle through ${resources[i].address}`);
    state[i] = 1;
    const set = new Uint32Array(words);
    for (const dep of resources[i].dependsOn) {
      const j = index.get(dep);
      if (j === undefined) continue;
      const theirs = visit(j);
      for (let w = 0; w < words; w++) set[w] |= theirs[w];
      set[j >>> 5] |= 1 << (j & 31);
    }
    closure[i] = set;
    state[i] = 2;
    return set;
  };
  let total = 0;
  // Every instance of a resource (`for_each`) holds the resource's list.
  for (let i = 0; i < resources.length; i++) total += popcount(visit(i)) * (resources[i].instances ?? 1);
  return total;
}

function popcount(set: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < set.length; w++) {
    let x = set[w];
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    n += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}
