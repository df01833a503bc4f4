import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProfileError, ProfileSpec, describePlan, formatPlan, planCluster } from '../src';
import { EMPTY_LOCK, Lock } from '../src/core/input/lock';
import { TrainOptions, resolveTrains } from '../src/core/input/trains';
import { addOn, helmLayer } from './helpers';
import { REPO, profileErrorOf, synth } from './synth-helpers';

const REPO_DIR = join(REPO, 'test', 'fixtures', 'helm-repo');
const LOCAL = { Local: REPO_DIR };

/** The ProfileError lines an async call rejects with. */
async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (err) {
    if (ProfileError.isProfileError(err)) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ProfileError, but nothing was thrown');
}

/** An add-on profile with one Helm layer `hello` from registry Local at `version`. */
function hello(version: string, extra: Parameters<typeof helmLayer>[2] = {}): ProfileSpec[] {
  return [addOn('apps', [helmLayer('hello', undefined, { repository: undefined, registry: 'Local', version, ...extra })])];
}

async function resolve(profiles: ProfileSpec[], options: TrainOptions = {}): ReturnType<typeof resolveTrains> {
  return resolveTrains(profiles, { registries: LOCAL, ...options });
}

describe('resolveTrains: Helm layers', () => {
  it('resolves a train to the newest matching release of the repository index and keeps the train in tag', async () => {
    // GIVEN a Helm layer at train 1.x from a repository in a local folder
    // WHEN its trains are resolved
    const out = await resolve(hello('1.x'));
    // THEN it installs 1.10.1 (1.11.0-rc.1 is a pre-release, 2.0.0 another major) and records 1.x
    assert.deepEqual(out.profiles[0].layers[0], { ...hello('1.x')[0].layers[0], version: '1.10.1', tag: '1.x' });
    assert.deepEqual(out.resolutions, [{ profile: 'apps', layer: 'hello', train: '1.x', version: '1.10.1', source: 'registry Local, chart hello', from: 'index' }]);
    assert.deepEqual(out.lock, { entries: [{ profile: 'apps', layer: 'hello', source: 'registry Local, chart hello', train: '1.x', version: '1.10.1' }] });
  });

  it('leaves exact versions alone and records nothing', async () => {
    const profiles = hello('1.2.0');
    const out = await resolve(profiles);
    assert.deepEqual(out.profiles, profiles);
    assert.deepEqual(out.resolutions, []);
    assert.deepEqual(out.lock, EMPTY_LOCK);
  });

  it('takes a pre-release only when the train names one', async () => {
    const out = await resolve(hello('~1.11.0-0'));
    assert.equal(out.profiles[0].layers[0].version, '1.11.0-rc.1');
  });

  it('reports a train that matches nothing, listing the versions seen', async () => {
    // GIVEN train 3.x, which the index does not have
    // WHEN resolved
    // THEN the problem names the layer, the index and every version seen, newest first
    assert.deepEqual(await problemsOf(resolve(hello('3.x'))), [
      `profile "apps" layer "hello": version "3.x" matches none of the versions of chart "hello" in ${join(REPO_DIR, 'index.yaml')} (pre-releases count only when the train names one, such as "^2.0.0-0"); versions seen: 2.0.0, 1.11.0-rc.1, 1.10.1, 1.9.0, 1.2.0`,
    ]);
  });

  it('reports a chart the index does not list', async () => {
    assert.deepEqual(await problemsOf(resolve(hello('1.x', { chart: 'nope' }))), [
      `profile "apps" layer "hello": chart "nope" is not listed in ${join(REPO_DIR, 'index.yaml')} (it lists 2 charts), so version train "1.x" cannot be resolved`,
    ]);
  });

  it('reports an invalid train and a registry without URL, every problem at once', async () => {
    // GIVEN one layer with an invalid train and one naming an unknown registry
    const profiles = [
      addOn('apps', [
        helmLayer('a', undefined, { version: '1.x.y.z' }),
        helmLayer('b', undefined, { repository: undefined, registry: 'Elsewhere', version: '1.x' }),
      ]),
    ];
    // WHEN resolved
    // THEN both are named
    assert.deepEqual(await problemsOf(resolve(profiles)), [
      'profile "apps" layer "a": version "1.x.y.z" must be an exact version ("1.27.5") or a version train ("1.x", "1.27.x", "*", "~1.27", "^1.27.0", ">=1.27 <2")',
      'profile "apps" layer "b": registry "Elsewhere" has no URL, so version train "1.x" cannot be resolved; pass --registry "Elsewhere=URL" (known registries: "Local")',
    ]);
  });

  it('keeps the version a Palette export recorded next to its train, without reading any index', async () => {
    // GIVEN tag 1.x with version 1.9.0 (as an export records them) and a registry that cannot be reached
    const out = await resolveTrains(hello('1.9.0', { tag: '1.x' }), { registries: { Local: 'http://127.0.0.1:4' } });
    // THEN 1.9.0 is kept and needs no lock entry
    assert.equal(out.profiles[0].layers[0].version, '1.9.0');
    assert.deepEqual(out.resolutions.map((r) => r.from), ['profile']);
    assert.deepEqual(out.lock, EMPTY_LOCK);
  });

  it('re-resolves a recorded version with update', async () => {
    const out = await resolve(hello('1.9.0', { tag: '1.x' }), { update: true });
    assert.equal(out.profiles[0].layers[0].version, '1.10.1');
  });
});

describe('resolveTrains: the lock', () => {
  const locked: Lock = { entries: [{ profile: 'apps', layer: 'hello', source: 'registry Local, chart hello', train: '1.x', version: '1.2.0' }] };

  it('takes a locked version over the index', async () => {
    const out = await resolve(hello('1.x'), { lock: locked });
    assert.equal(out.profiles[0].layers[0].version, '1.2.0');
    assert.deepEqual(out.resolutions.map((r) => r.from), ['lock']);
  });

  it('resolves again when the train changed since it was locked', async () => {
    const out = await resolve(hello('1.9.x'), { lock: locked });
    assert.equal(out.profiles[0].layers[0].version, '1.9.0');
  });

  it('resolves again with update', async () => {
    const out = await resolve(hello('1.x'), { lock: locked, update: true });
    assert.equal(out.profiles[0].layers[0].version, '1.10.1');
  });

  it('keeps lock entries of profiles not in the run', async () => {
    const other: Lock = { entries: [{ profile: 'other', layer: 'x', source: 'pack x', train: '1.x', version: '1.0.0' }] };
    const out = await resolve(hello('1.x'), { lock: other });
    assert.deepEqual(out.lock.entries.map((e) => `${e.profile}/${e.layer}@${e.version}`), ['apps/hello@1.10.1', 'other/x@1.0.0']);
  });
});

describe('resolveTrains: registry packs', () => {
  const k8s = (version: string, tag?: string): ProfileSpec[] => [
    { name: 'base', type: 'infra', layers: [{ kind: 'pack', name: 'kubernetes', slot: 'k8s', version, ...(tag !== undefined ? { tag } : {}) }] },
  ];

  it('resolves a pack train from the versions the catalog lists', async () => {
    const out = await resolveTrains(k8s('1.29.x'), { packVersions: ({ name }) => (name === 'kubernetes' ? ['1.28.9', '1.29.4', '1.29.10'] : undefined) });
    assert.deepEqual(out.resolutions, [{ profile: 'base', layer: 'kubernetes', train: '1.29.x', version: '1.29.10', source: 'pack kubernetes', from: 'catalog' }]);
  });

  it('asks for a catalog when a pack train has no recorded version', async () => {
    assert.deepEqual(await problemsOf(resolveTrains(k8s('1.29.x'))), [
      'profile "base" layer "kubernetes": version "1.29.x" is a version train of pack "kubernetes"; resolving it needs the versions a pack catalog lists: pass --catalog FILE with pack "kubernetes" in it, or give an exact version',
    ]);
  });

  it('keeps a recorded pack version with update when no catalog lists the pack', async () => {
    const out = await resolveTrains(k8s('1.29.5', '1.29.x'), { update: true });
    assert.equal(out.profiles[0].layers[0].version, '1.29.5');
  });
});

describe('trains in plans and outputs', () => {
  it('shows train -> resolved version in the printed plan and the layer summary', async () => {
    // GIVEN a resolved train
    const out = await resolve(hello('1.x'));
    // WHEN planned
    const plan = planCluster(out.profiles, { registries: LOCAL });
    // THEN the plan prints "1.x -> 1.10.1" and the summary carries both
    assert.match(formatPlan(plan), /hello {2}\[helm hello 1\.x -> 1\.10\.1\]/);
    const layer = describePlan(plan).layers[0];
    assert.deepEqual([layer.train, layer.version], ['1.x', '1.10.1']);
  });

  it('lists every layer with kind, train, resolved version, namespace and tier in the stack outputs', async () => {
    // GIVEN a resolved train in an add-on profile beside an infra profile with a k8s pack recorded by an export
    const base: ProfileSpec = { name: 'base', version: '2.0.0', type: 'infra', layers: [{ kind: 'pack', name: 'kubernetes', slot: 'k8s', version: '1.29.5', tag: '1.29.x' }] };
    const out = await resolve([base, ...hello('1.x', { values: 'pack:\n  namespace: hello\n' })]);
    // WHEN synthesized
    const { json } = synth(out.profiles, { registries: LOCAL });
    // THEN the outputs name both versions of each train and the profiles in use
    assert.deepEqual(
      json.output.cluster_layers.value.map((l: Record<string, unknown>) => [l.name, l.kind, l.train, l.version, l.namespace, l.tier]),
      [
        ['kubernetes', 'pack', '1.29.x', '1.29.5', 'default', 'cluster'],
        ['hello', 'helm', '1.x', '1.10.1', 'hello', 'priority 0'],
      ],
    );
    assert.deepEqual(json.output.cluster_profiles.value, [
      { name: 'base', version: '2.0.0', type: 'infra' },
      { name: 'apps', version: '1.0.0', type: 'add-on' },
    ]);
  });

  it('refuses an unresolved Helm train when planning without resolution, saying how to resolve it', () => {
    const err = profileErrorOf(() => planCluster(hello('1.x'), { registries: LOCAL }));
    assert.equal(
      err.message,
      'profile "apps" layer "hello": version "1.x" must be an exact chart version such as "1.14.4" (a version train such as "1.x" is resolved by the CLI, or in code by resolveTrains() before planning)',
    );
  });
});
