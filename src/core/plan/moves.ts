import { compare } from '../model/compare';
import { ProblemList } from '../model/errors';
import { ResolvedCluster, ResolvedLayer } from '../model/resolved';
import { PlannedMove } from '../model/planned';
import { slotDeploys } from '../model/spec';

/** The parts of a planned resource this module reads. */
interface Addressed {
  readonly address: string;
  readonly layer?: string;
}

/** Fields that depend on the layer's name or place, not on what the resource is. */
const NAME_FIELDS: ReadonlySet<string> = new Set(['name', 'address', 'layer', 'dependsOn', 'tier', 'forgets']);

/**
 * The moves for every layer that lists earlier names in `pack.previousNames` (oldest first). Each
 * name of the history moves to the next: `old -> older-but-newer -> current`, a chain Terraform
 * follows whichever name the state was written under. The addresses an earlier name gave are found
 * by planning the layer again under that name (`planLayer`, given the renamed layer and the layer
 * as it is), so they follow whatever naming the planner uses; the rest of the cluster is planned
 * once. Resources are paired by everything but their name.
 *
 * Records in `problems` each earlier name that is the name of a layer of the cluster or that two
 * layers claim (then no move is planned), and each move that would start from an address the plan
 * still uses.
 */
export function planMoves<R extends Addressed>(
  cluster: ResolvedCluster,
  resources: readonly R[],
  planLayer: (renamed: ResolvedLayer, layer: ResolvedLayer) => readonly R[],
  problems: ProblemList,
): PlannedMove[] {
  const renamed = cluster.layers.filter((l) => l.settings.previousNames.length > 0 && slotDeploys(l.slot));
  if (renamed.length === 0) return [];
  // Moves between names that are not the layer's alone would only repeat the problem.
  if (!checkNames(cluster.layers, renamed, problems)) return [];

  const moves: PlannedMove[] = [];
  for (const layer of renamed) {
    const under = (name: string): Map<string, string> => {
      if (name === layer.name) return byIdentity(resources, name);
      // The layer as it was under that name: it had no earlier names then.
      const earlier = { ...layer, name, settings: { ...layer.settings, previousNames: [] } } as ResolvedLayer;
      // In the order a whole plan lists a tier's resources: by address.
      return byIdentity([...planLayer(earlier, layer)].sort((a, b) => compare(a.address, b.address)), name);
    };
    const chain = [...layer.settings.previousNames, layer.name];
    const addresses = chain.map(under);
    const current = addresses[addresses.length - 1];
    for (let i = 0; i + 1 < chain.length; i++) {
      for (const identity of current.keys()) {
        const from = addresses[i].get(identity);
        const to = addresses[i + 1].get(identity);
        if (from !== undefined && to !== undefined && from !== to) moves.push({ layer: layer.name, from, to });
      }
    }
  }
  checkMoves(moves, resources, cluster.layers, problems);
  return moves.sort((a, b) => compare(a.from, b.from));
}

/** A layer's resources keyed by what they are (type, release, document, namespace...), not by name. */
function byIdentity(resources: readonly Addressed[], layer: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resources) {
    if (r.layer !== layer) continue;
    const identity = JSON.stringify(Object.entries(r).filter(([k]) => !NAME_FIELDS.has(k)), (_k, v: unknown) => (v instanceof Map ? [...v] : v));
    out.set(identity, r.address);
  }
  return out;
}

/** Records the earlier names that are not the layer's alone; whether there is none. */
function checkNames(layers: readonly ResolvedLayer[], renamed: readonly ResolvedLayer[], problems: ProblemList): boolean {
  let alone = true;
  const current = new Map(layers.map((l) => [l.name, l]));
  const claimed = new Map<string, string>();
  for (const layer of renamed) {
    for (const old of layer.settings.previousNames) {
      const at = { ...layer.where, field: 'pack.previousNames' };
      const holder = current.get(old);
      if (holder !== undefined) {
        const whose = holder === layer ? 'the layer\'s own name' : `the name of layer "${old}" of profile "${holder.profile}"`;
        problems.add(at, `lists "${old}", which is ${whose}; list only names no layer of the cluster has now`);
        alone = false;
        continue;
      }
      const other = claimed.get(old);
      if (other !== undefined) {
        problems.add(at, `lists "${old}", which layer "${other}" also lists; Terraform can move the resources of "${old}" to one layer only`);
        alone = false;
        continue;
      }
      claimed.set(old, layer.name);
    }
  }
  return alone;
}

function checkMoves(moves: readonly PlannedMove[], resources: readonly Addressed[], layers: readonly ResolvedLayer[], problems: ProblemList): void {
  const inUse = new Map(resources.map((r) => [r.address, r.layer]));
  const where = new Map(layers.map((l) => [l.name, l.where]));
  const seen = new Map<string, string>();
  for (const move of moves) {
    const at = { ...where.get(move.layer), field: 'pack.previousNames' };
    if (inUse.has(move.from)) {
      const owner = inUse.get(move.from);
      problems.add(at, `would move ${move.from} to ${move.to}, but ${move.from} is also ${owner !== undefined ? `a resource of layer "${owner}"` : 'in use'}; rename one of the layers`);
    } else if (seen.has(move.from)) {
      problems.add(at, `would move ${move.from} to ${move.to}, but it is already moved to ${seen.get(move.from)}; rename one of the layers`);
    }
    seen.set(move.from, move.to);
  }
}
