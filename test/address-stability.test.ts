import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayerSpec, ProfileSpec, planCluster } from '../src';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';
import { Synthesized, TfJson, profileErrorOf, synth } from './synth-helpers';

const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: "a"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: app}\n  template:\n    metadata:\n      labels: {app: app}\n    spec:\n      containers: [{name: app, image: nginx}]\n';

/** How a manifest layer installs its documents (manifest-strategy.ts): the default, or pinned in its pack block. */
type Strategy = 'chart' | 'manifest';
const STRATEGIES: readonly Strategy[] = ['chart', 'manifest'];

/** The pack block lines that give a manifest layer `strategy`: none for the default `chart`. */
function strategyLine(strategy: Strategy): string {
  return strategy === 'chart' ? '' : '  manifestStrategy: manifest\n';
}

/** The resources a manifest layer's documents get: one release of a generated chart, or one kubernetes_manifest each. */
function documentAddresses(strategy: Strategy, layer: string, documents: readonly string[]): string[] {
  return strategy === 'chart' ? [`helm_release.${layer}`] : documents.map((d) => `kubernetes_manifest.${layer}--${d}`);
}

/**
 * A full profile (CNI, CSI, add-ons on three priorities) and an add-on profile; the manifest layer
 * "app" installs its documents with `strategy`.
 */
function baseline(strategy: Strategy = 'chart'): ProfileSpec[] {
  return [
    {
      name: 'platform',
      type: 'full',
      layers: [
        helmLayer('cilium', packValues('kube-system'), { slot: 'cni' }),
        helmLayer('longhorn', packValues('longhorn-system'), { slot: 'csi' }),
        helmLayer('cert-manager', packValues('cert-manager', -10)),
        helmLayer('ingress', packValues('ingress', 10)),
        manifestLayer('app', CONFIG, packValues('app', 20, strategyLine(strategy)).concat('  namespaceLabels:\n    default: "team=app"\n')),
      ],
    },
    addOn('observability', [helmLayer('grafana', packValues('monitoring', 20)), helmLayer('loki', packValues('monitoring', 30))]),
  ];
}

function mapLayers(profiles: ProfileSpec[], profile: string, edit: (layers: LayerSpec[]) => LayerSpec[]): ProfileSpec[] {
  return profiles.map((p) => (p.name === profile ? { ...p, layers: edit([...p.layers]) } : p));
}

function replaceLayer(profiles: ProfileSpec[], name: string, edit: (layer: LayerSpec) => LayerSpec): ProfileSpec[] {
  return profiles.map((p) => ({ ...p, layers: p.layers.map((l) => (l.name === name ? edit(l) : l)) }));
}

/** Every resource of a synthesized stack: address -> [owning layer or undefined, body without depends_on]. */
function resources(s: Synthesized): Map<string, { layer?: string; body: string }> {
  const layerOf = new Map(s.construct.plan.resources.map((r) => [r.address, r.layer]));
  const out = new Map<string, { layer?: string; body: string }>();
  for (const [type, byName] of Object.entries(s.json.resource as TfJson)) {
    for (const [name, body] of Object.entries(byName as TfJson)) {
      const { depends_on: _edges, ...rest } = body as TfJson;
      out.set(`${type}.${name}`, { layer: layerOf.get(`${type}.${name}`), body: JSON.stringify(rest) });
    }
  }
  return out;
}

/**
 * What changed between two stacks, gates and edges aside: addresses that appeared or disappeared, and
 * resources whose body changed, each listed with its layer (`-` for namespaces).
 */
function changes(before: Synthesized, after: Synthesized): { added: string[]; removed: string[]; changed: string[] } {
  const a = resources(before);
  const b = resources(after);
  const isGate = (address: string): boolean => address.startsWith('terraform_data.tier_');
  const label = (address: string, layer?: string): string => `${layer ?? '-'}: ${address}`;
  return {
    added: [...b].filter(([k]) => !a.has(k) && !isGate(k)).map(([k, v]) => label(k, v.layer)).sort(),
    removed: [...a].filter(([k]) => !b.has(k) && !isGate(k)).map(([k, v]) => label(k, v.layer)).sort(),
    changed: [...a].filter(([k, v]) => b.has(k) && !isGate(k) && b.get(k)!.body !== v.body).map(([k, v]) => label(k, v.layer)).sort(),
  };
}

/** The addresses a stack's `removed` blocks tell Terraform to forget, sorted. */
function forgotten(s: Synthesized): string[] {
  return ((s.json.removed as { from: string }[] | undefined) ?? []).map((r) => r.from).sort();
}

for (const strategy of STRATEGIES) {
  describe(`address stability (manifest layers with the ${strategy} strategy)`, () => {
    const before = synth(baseline(strategy));
    const app = (address: string): string => `app: ${address}`;

    it('adding a layer adds only its own resources (and its namespace)', () => {
      // GIVEN the baseline WHEN a layer "redis" is added at priority 10
      const after = synth(mapLayers(baseline(strategy), 'platform', (l) => [...l, helmLayer('redis', packValues('redis', 10))]));
      // THEN only redis's release and namespace are new, nothing else changes but gates and edges
      assert.deepEqual(changes(before, after), { added: ['-: kubernetes_namespace_v1.redis', 'redis: helm_release.redis'], removed: [], changed: [] });
      assert.deepEqual(forgotten(after), forgotten(before));
    });

    it('removing a layer removes only its own resources (and the namespace only it created)', () => {
      // GIVEN the baseline WHEN the layer "ingress" is removed
      const after = synth(mapLayers(baseline(strategy), 'platform', (l) => l.filter((x) => x.name !== 'ingress')));
      // THEN only its release and namespace go
      assert.deepEqual(changes(before, after), { added: [], removed: ['-: kubernetes_namespace_v1.ingress', 'ingress: helm_release.ingress'], changed: [] });
      assert.deepEqual(forgotten(after), forgotten(before));
    });

    it('removing one of two layers sharing a namespace keeps the namespace', () => {
      // GIVEN grafana and loki both create "monitoring" WHEN loki is removed
      const after = synth(mapLayers(baseline(strategy), 'observability', (l) => l.filter((x) => x.name !== 'loki')));
      // THEN only loki's release goes; the namespace stays
      assert.deepEqual(changes(before, after), { added: [], removed: ['loki: helm_release.loki'], changed: [] });
    });

    it('reordering the layers of a profile changes nothing at all', () => {
      // GIVEN the baseline WHEN every profile lists its layers in reverse and the profiles are swapped
      const reordered = baseline(strategy).map((p) => ({ ...p, layers: [...p.layers].reverse() })).reverse();
      const after = synth(reordered);
      // THEN the synthesized configuration is the same text
      assert.equal(after.text, before.text);
    });

    it('moving a layer to another priority changes only gates and edges', () => {
      for (const priority of [30, 25, -20]) {
        // GIVEN the baseline WHEN ingress moves from priority 10 to an existing tier, a new tier, and the first tier
        const after = synth(replaceLayer(baseline(strategy), 'ingress', (l) => ({ ...l, values: packValues('ingress', priority) })));
        // THEN no resource appears, disappears or changes (its tier's gate and the edges do)
        assert.deepEqual(changes(before, after), { added: [], removed: [], changed: [] }, `priority ${priority}`);
        assert.notDeepEqual(after.json.resource.helm_release.ingress.depends_on, before.json.resource.helm_release.ingress.depends_on);
      }
    });

    it('changing a version or values changes that layer\'s resource only, in place', () => {
      // GIVEN the baseline WHEN cert-manager gets a new version, and ingress new values, and app a new document body
      let edited = replaceLayer(baseline(strategy), 'cert-manager', (l) => ({ ...l, version: '1.15.0' }) as LayerSpec);
      edited = replaceLayer(edited, 'ingress', (l) => ({ ...l, values: packValues('ingress', 10, 'replicas: 3\n') }));
      edited = replaceLayer(edited, 'app', (l) => manifestLayer('app', CONFIG.replace('mode: "a"', 'mode: "b"'), (l as { values?: string }).values));
      const after = synth(edited);
      // THEN the same addresses exist, and exactly those three bodies differ: app's is its generated
      // chart's release, or the kubernetes_manifest of the edited document
      assert.deepEqual(changes(before, after), {
        added: [],
        removed: [],
        changed: [...documentAddresses(strategy, 'app', ['configmap--app--settings']).map(app), 'cert-manager: helm_release.cert-manager', 'ingress: helm_release.ingress'],
      });
      // AND the addresses Terraform forgets stay the same (the document's kind, namespace and name did not change)
      assert.deepEqual(forgotten(after), forgotten(before));
    });

    it('adding another profile adds only its layers\' resources', () => {
      // GIVEN the baseline WHEN an add-on profile with one manifest layer at priority 20 is added
      const policies = manifestLayer('policies', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: policy\n', packValues('policies', 20, strategyLine(strategy)));
      const after = synth([...baseline(strategy), addOn('security', [policies])]);
      // THEN only that layer's resource and namespace are new
      assert.deepEqual(changes(before, after), {
        added: ['-: kubernetes_namespace_v1.policies', ...documentAddresses(strategy, 'policies', ['configmap--policies--policy']).map((a) => `policies: ${a}`)],
        removed: [],
        changed: [],
      });
      // AND the only address newly forgotten is the one its document has under the manifest strategy, for a generated chart
      const forgets = strategy === 'chart' ? ['kubernetes_manifest.policies--configmap--policies--policy'] : [];
      assert.deepEqual(forgotten(after), [...forgotten(before), ...forgets].sort());
    });
  });
}

describe('renamed layers (pack.previousNames)', () => {
  it('moves every resource of a renamed layer from its old address, so nothing is replaced', () => {
    for (const strategy of STRATEGIES) {
      // GIVEN the manifest layer "app" renamed to "webapp", naming "app" as its previous name
      const renamed = replaceLayer(baseline(strategy), 'app', (l) => ({ ...l, name: 'webapp', values: `${(l as { values: string }).values}  previousNames: [app]\n` }));
      // WHEN synthesized
      const after = synth(renamed);
      // THEN one moved block per resource of the layer, from the old address to the new one: its
      // namespace label patch, and its generated chart's release or each document's kubernetes_manifest
      const moves = {
        chart: [
          { from: 'helm_release.app', to: 'helm_release.webapp' },
          { from: 'kubernetes_labels.app--default', to: 'kubernetes_labels.webapp--default' },
        ],
        manifest: [
          { from: 'kubernetes_labels.app--default', to: 'kubernetes_labels.webapp--default' },
          { from: 'kubernetes_manifest.app--configmap--app--settings', to: 'kubernetes_manifest.webapp--configmap--app--settings' },
          { from: 'kubernetes_manifest.app--deployment--app--app', to: 'kubernetes_manifest.webapp--deployment--app--app' },
        ],
      };
      assert.deepEqual(after.json.moved, moves[strategy], strategy);
      // AND every address that disappeared is the source of a move
      const moved = new Set((after.json.moved as { from: string }[]).map((m) => m.from));
      assert.deepEqual(changes(synth(baseline(strategy)), after).removed.map((r) => r.replace(/^app: /, '')).filter((a) => !moved.has(a)), [], strategy);
      // AND a generated chart has Terraform forget its documents' kubernetes_manifest addresses under both names
      const forgets = ['app', 'webapp'].flatMap((n) => [`kubernetes_manifest.${n}--configmap--app--settings`, `kubernetes_manifest.${n}--deployment--app--app`]);
      assert.deepEqual(forgotten(after), strategy === 'chart' ? forgets : [], strategy);
    }
  });

  it('chains the moves of a layer renamed several times, oldest name first', () => {
    // GIVEN a Helm layer now "web", earlier "www", first "site"
    const plan = planCluster([addOn('p', [helmLayer('web', 'pack:\n  namespace: web\n  previousNames: site, www\n')])]);
    // THEN each name moves to the next, which Terraform follows from whichever the state holds
    assert.deepEqual(plan.moves, [
      { layer: 'web', from: 'helm_release.site', to: 'helm_release.www' },
      { layer: 'web', from: 'helm_release.www', to: 'helm_release.web' },
    ]);
  });

  it('moves resources whose names are hashed (layer names with dots)', () => {
    // GIVEN a layer renamed from "my.app" (not a valid Terraform name as is) to "my-app"
    const plan = planCluster([addOn('p', [helmLayer('my-app', 'pack:\n  previousNames: [my.app]\n')])]);
    // THEN the move starts from the hashed address the old name had
    assert.equal(plan.moves.length, 1);
    assert.match(plan.moves[0].from, /^helm_release\.my_app_[0-9a-f]{8}$/);
    assert.equal(plan.moves[0].to, 'helm_release.my-app');
  });

  it('refuses a previous name that a layer of the cluster has now', () => {
    // GIVEN layer "b" claiming "a" as its previous name while layer "a" exists
    const profiles = [addOn('p', [helmLayer('a'), helmLayer('b', 'pack:\n  previousNames: [a]\n')])];
    // WHEN planned THEN the error names the layer, the field and the conflict
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "p" layer "b": pack.previousNames lists "a", which is the name of layer "a" of profile "p"; list only names no layer of the cluster has now',
    );
  });

  it('reports the problems of the plan together: a label two layers disagree on and a previous name in use', () => {
    // GIVEN layers "one" and "two" setting team=a and team=b on namespace "shared", and "two"
    // claiming "one" as its previous name
    const profiles = [
      addOn('p', [
        helmLayer('one', 'pack:\n  namespace: shared\n  namespaceLabels:\n    shared: "team=a"\n'),
        helmLayer('two', 'pack:\n  namespace: shared\n  previousNames: [one]\n  namespaceLabels:\n    shared: "team=b"\n', { chart: 'two' }),
      ]),
    ];
    // WHEN planned THEN one error names both, in the order the plan meets them
    assert.deepEqual(profileErrorOf(() => planCluster(profiles)).message.split('\n'), [
      'profile "p" layer "two": pack.namespaceLabels.shared sets "team=b", but layer "one" sets "team=a" on the same namespace; make them agree',
      'profile "p" layer "two": pack.previousNames lists "one", which is the name of layer "one" of profile "p"; list only names no layer of the cluster has now',
    ]);
  });

  it('refuses a previous name claimed by two layers', () => {
    // GIVEN "b" and "c" both claiming "a"
    const profiles = [addOn('p', [helmLayer('b', 'pack:\n  previousNames: [a]\n'), helmLayer('c', 'pack:\n  previousNames: [a]\n')])];
    // WHEN planned THEN the second claim is refused
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "p" layer "c": pack.previousNames lists "a", which layer "b" also lists; Terraform can move the resources of "a" to one layer only',
    );
  });

  it('refuses previous names that are not layer names', () => {
    // GIVEN a previous name with a space and a number
    const profiles = [addOn('p', [helmLayer('b', 'pack:\n  previousNames: ["old app", 7]\n')])];
    // WHEN planned THEN each is reported with its position
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      [
        'profile "p" layer "b": pack.previousNames[0] "old app" must be letters, digits, \'-\', \'_\' and \'.\', start and end with a letter or digit, and be at most 128 characters',
        'profile "p" layer "b": pack.previousNames[1] 7 must be letters, digits, \'-\', \'_\' and \'.\', start and end with a letter or digit, and be at most 128 characters',
      ].join('\n'),
    );
  });
});
