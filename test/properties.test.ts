// Property-based tests over generated clusters of profiles. Each property runs twice: with the fixed
// seed 42 and with a random seed that is printed, so a failure can be replayed with
// PROPERTY_SEED=<seed> (fast-check's failure message also gives the seed and the shrunk counterexample).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LayerSpec, ProfileSpec } from '../src';
import { Synthesized, TfJson, createOrder, dependencyGraph, synth, transitiveDependencies } from './synth-helpers';

const RUNS = 40;
const RANDOM_SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : Math.floor(Math.random() * 2 ** 31);

/** Runs `property` with the fixed seed and with the random one, printing the random seed first. */
function check<T>(t: { diagnostic(message: string): void }, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  for (const seed of [42, RANDOM_SEED]) {
    t.diagnostic(`fast-check seed ${seed}`);
    if (seed !== 42) console.log(`# property seed ${seed} (replay: PROPERTY_SEED=${seed})`);
    fc.assert(fc.property(arbitrary, predicate), { seed, numRuns: RUNS });
  }
}

const NAMESPACES = ['alpha', 'beta', 'gamma', 'default', 'kube-system'] as const;

interface LayerShape {
  readonly kind: 'helm' | 'manifest';
  readonly priority: number;
  readonly namespace: (typeof NAMESPACES)[number] | undefined;
  readonly additional: readonly (typeof NAMESPACES)[number][];
  /** Manifest layers: each object's name and explicit namespace (or none: the layer's). */
  readonly objects: readonly { readonly name: string; readonly namespace?: (typeof NAMESPACES)[number] }[];
  readonly version: string;
}

const layerShape: fc.Arbitrary<LayerShape> = fc.record({
  kind: fc.constantFrom('helm' as const, 'manifest' as const),
  priority: fc.integer({ min: -2, max: 3 }),
  namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
  additional: fc.uniqueArray(fc.constantFrom(...NAMESPACES), { maxLength: 2 }),
  objects: fc.uniqueArray(fc.record({ name: fc.constantFrom('one', 'two', 'three'), namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }) }), { minLength: 1, maxLength: 3, selector: (o) => o.name }),
  version: fc.constantFrom('1.0.0', '1.2.3', '2.0.0'),
});

/** `id` names the layer's objects, so that renaming a layer (a new `name`, same `id`) keeps its objects. */
function layerSpec(name: string, shape: LayerShape, id = name): LayerSpec {
  const pack = ['pack:', `  spectrocloud.com/install-priority: "${shape.priority}"`];
  if (shape.namespace !== undefined) pack.push(`  namespace: ${shape.namespace}`);
  if (shape.additional.length > 0) pack.push(`  additionalNamespaces: [${shape.additional.join(', ')}]`);
  const values = `${pack.join('\n')}\nreplicas: 1\n`;
  if (shape.kind === 'helm') return { kind: 'helm', name, version: shape.version, repository: 'https://charts.example.com', values };
  const content = shape.objects
    .map((o) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${id}-${o.name}${o.namespace !== undefined ? `\n  namespace: ${o.namespace}` : ''}\ndata:\n  v: "${shape.version}"\n`)
    .join('---\n');
  return { kind: 'manifest', name, version: shape.version, manifests: [{ name: 'objects', content }], values };
}

/** A cluster: 1 to 3 add-on profiles holding 1 to 7 layers with unique names. */
interface ClusterShape {
  readonly layers: readonly { readonly name: string; readonly id?: string; readonly profile: number; readonly shape: LayerShape }[];
}

const clusterShape: fc.Arbitrary<ClusterShape> = fc
  .uniqueArray(fc.record({ name: fc.constantFrom('web', 'db', 'cache', 'queue', 'auth', 'logs', 'metrics', 'mesh'), profile: fc.integer({ min: 0, max: 2 }), shape: layerShape }), {
    minLength: 1,
    maxLength: 7,
    selector: (l) => l.name,
  })
  .map((layers) => ({ layers }));

function profilesOf(cluster: ClusterShape, order: 'given' | 'reversed' = 'given'): ProfileSpec[] {
  const out: ProfileSpec[] = [];
  for (const p of [0, 1, 2]) {
    let layers = cluster.layers.filter((l) => l.profile === p).map((l) => layerSpec(l.name, l.shape, l.id));
    if (order === 'reversed') layers = layers.reverse();
    if (layers.length > 0) out.push({ name: `profile-${p}`, type: 'add-on', layers });
  }
  return order === 'reversed' ? out.reverse() : out;
}

/** Resource address -> the layer it belongs to (undefined for namespaces and gates). */
function layerOf(s: Synthesized): Map<string, string | undefined> {
  return new Map(s.construct.plan.resources.map((r) => [r.address, r.layer]));
}

function tierOfLayer(s: Synthesized): Map<string, number> {
  const out = new Map<string, number>();
  s.construct.plan.tiers.forEach((t, i) => t.layers.forEach((l) => out.set(l.name, i)));
  return out;
}

describe('properties of generated clusters', () => {
  it('the synthesized dependency graph has no cycle and references only resources that exist', (t) => {
    check(t, clusterShape, (cluster) => {
      const { json } = synth(profilesOf(cluster));
      // createOrder throws on a cycle or a dangling reference
      assert.equal(createOrder(dependencyGraph(json)).length, dependencyGraph(json).size);
    });
  });

  it('every resource of a higher tier waits for every resource of the lower tiers; equal tiers never wait on each other', (t) => {
    check(t, clusterShape, (cluster) => {
      const s = synth(profilesOf(cluster));
      const graph = dependencyGraph(s.json);
      const layers = layerOf(s);
      const tiers = tierOfLayer(s);
      const owned = [...graph.keys()].filter((a) => layers.get(a) !== undefined);
      const closure = new Map(owned.map((a) => [a, transitiveDependencies(graph, a)]));
      for (const a of owned) {
        for (const b of owned) {
          const ta = tiers.get(layers.get(a)!)!;
          const tb = tiers.get(layers.get(b)!)!;
          if (ta < tb) assert.equal(closure.get(b)!.has(a), true, `${b} (tier ${tb}) must wait for ${a} (tier ${ta})`);
          if (ta === tb) assert.equal(closure.get(b)!.has(a), false, `${b} must not wait for ${a}: same tier ${ta}`);
        }
      }
    });
  });

  it('every workload waits for the namespaces it deploys into and the ones its layer creates', (t) => {
    check(t, clusterShape, (cluster) => {
      const s = synth(profilesOf(cluster));
      const graph = dependencyGraph(s.json);
      const created = new Set(Object.keys((s.json.resource as TfJson).kubernetes_namespace_v1 ?? {}));
      const layerByName = new Map(s.construct.plan.tiers.flatMap((tier) => tier.layers).map((l) => [l.name, l]));
      for (const r of s.construct.plan.resources) {
        if (r.type !== 'helm_release' && r.type !== 'kubernetes_manifest') continue;
        const used = r.type === 'helm_release' ? [r.namespace] : [r.document.namespace];
        const needed = [...used, ...layerByName.get(r.layer!)!.ownedNamespaces].filter((n): n is string => n !== undefined && created.has(n));
        const waits = transitiveDependencies(graph, r.address);
        for (const ns of needed) assert.equal(waits.has(`kubernetes_namespace_v1.${ns}`), true, `${r.address} must wait for namespace ${ns}`);
      }
    });
  });

  it('a destroy order (the create order reversed) removes higher tiers first and namespaces after their users', (t) => {
    check(t, clusterShape, (cluster) => {
      const s = synth(profilesOf(cluster));
      const destroy = createOrder(dependencyGraph(s.json)).reverse();
      const layers = layerOf(s);
      const tiers = tierOfLayer(s);
      const layerTiers = destroy.filter((a) => layers.get(a) !== undefined).map((a) => tiers.get(layers.get(a)!)!);
      assert.deepEqual(layerTiers, [...layerTiers].sort((a, b) => b - a));
      const position = new Map(destroy.map((a, i) => [a, i]));
      const graph = dependencyGraph(s.json);
      for (const [address, deps] of graph) for (const dep of deps) assert.equal(position.get(address)! < position.get(dep)!, true, `${address} goes before ${dep}`);
    });
  });

  it('the output is the same text whatever the order of profiles and layers', (t) => {
    check(t, clusterShape, (cluster) => {
      assert.equal(synth(profilesOf(cluster, 'reversed')).text, synth(profilesOf(cluster)).text);
    });
  });

  type Edit = { readonly kind: 'add'; readonly shape: LayerShape } | { readonly kind: 'remove' | 'rename' } | { readonly kind: 'priority'; readonly priority: number } | { readonly kind: 'version' };
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), shape: layerShape }),
    fc.record({ kind: fc.constantFrom('remove' as const, 'rename' as const) }),
    fc.record({ kind: fc.constant('priority' as const), priority: fc.integer({ min: -3, max: 4 }) }),
    fc.record({ kind: fc.constant('version' as const) }),
  );

  it('a single edit of one layer leaves every other layer\'s addresses and attributes alone; a rename moves its resources', (t) => {
    check(t, fc.tuple(clusterShape, edit, fc.nat()), ([cluster, change, pick]) => {
      const target = cluster.layers[pick % cluster.layers.length];
      let layers = [...cluster.layers];
      let edited = target.name;
      let previous: string | undefined;
      switch (change.kind) {
        case 'add':
          edited = 'added';
          layers.push({ name: 'added', profile: target.profile, shape: change.shape });
          break;
        case 'remove':
          layers = layers.filter((l) => l !== target);
          break;
        case 'rename':
          previous = target.name;
          edited = `${target.name}-renamed`;
          layers = layers.map((l) => (l === target ? { ...l, name: edited, id: target.name } : l));
          break;
        case 'priority':
          layers = layers.map((l) => (l === target ? { ...l, shape: { ...l.shape, priority: change.priority } } : l));
          break;
        case 'version':
          layers = layers.map((l) => (l === target ? { ...l, shape: { ...l.shape, version: l.shape.version === '2.0.0' ? '1.0.0' : '2.0.0' } } : l));
          break;
      }
      if (layers.length === 0) return;
      const before = synth(profilesOf(cluster));
      const profiles = profilesOf({ layers });
      if (previous !== undefined) {
        // The rename declares the old name in the pack block.
        const renamed = profiles.flatMap((p) => p.layers).find((l) => l.name === edited)!;
        Object.assign(renamed, { values: `${renamed.values as string}`.replace('pack:\n', `pack:\n  previousNames: [${previous}]\n`) });
      }
      const after = synth(profiles);
      const bodies = (s: Synthesized): Map<string, string> => {
        const out = new Map<string, string>();
        for (const [type, byName] of Object.entries(s.json.resource as TfJson)) {
          for (const [name, body] of Object.entries(byName as TfJson)) {
            const { depends_on: _edges, ...rest } = body as TfJson;
            out.set(`${type}.${name}`, JSON.stringify(rest));
          }
        }
        return out;
      };
      const [a, b] = [bodies(before), bodies(after)];
      const layersBefore = layerOf(before);
      const touched = new Set([edited, target.name]);
      for (const [address, layer] of layersBefore) {
        if (layer === undefined || touched.has(layer)) continue;
        assert.equal(b.get(address), a.get(address), `${address} of untouched layer ${layer} changed or vanished`);
      }
      if (previous !== undefined) {
        const moved = new Map(((after.json.moved as { from: string; to: string }[] | undefined) ?? []).map((m) => [m.from, m.to]));
        for (const [address, layer] of layersBefore) {
          if (layer !== previous) continue;
          assert.equal(b.has(moved.get(address) ?? '(not moved)'), true, `${address} of the renamed layer is not moved to an address of the new configuration`);
        }
      }
    });
  });
});
