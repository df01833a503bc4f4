// Registries in Palette exports: the uid is read with the display name and written back by
// `export`, and registries that share a display name but not a uid (exports from two tenants) stay
// two registries. The fixtures (test/fixtures/tenants/) reproduce the `registry.metadata` of
// Palette's exports ({uid, name, kind, isPrivate}, empty for manifest layers); written for this project.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ResolvedLayer, loadProfileFiles, resolveCluster } from '../src';
import { PackCatalog } from '../src/core/model/catalog';
import { resolveTrains } from '../src/core/input/trains';
import { registryUrls } from '../src/core/input/registry-identity';
import { cli, scratchWithExamples } from './cli-helpers';
import { REPO, profileErrorOf } from './synth-helpers';

const NORTH = join(REPO, 'test', 'fixtures', 'tenants', 'north-addons.json');
const SOUTH = join(REPO, 'test', 'fixtures', 'tenants', 'south-addons.json');
const NORTH_UID = '64a1f0c2e4b0a1b2c3d4e5f6';
const SOUTH_UID = '65b2e1d3f5c1b2c3d4e5f6a7';

/** The repository each Helm layer installs from. */
function repositories(layers: readonly ResolvedLayer[]): Record<string, string> {
  return Object.fromEntries(layers.filter((l) => l.kind === 'helm').map((l) => [l.name, (l as { repository: string }).repository]));
}

describe('cluster-profiles export: the registry uid', () => {
  it("writes back each registry's uid with its name, kind and isPrivate", async () => {
    // GIVEN a Palette export whose Helm layer comes from a private registry
    const files = scratchWithExamples('registry-export');
    const original = JSON.parse(readFileSync(NORTH, 'utf8')) as { spec: { template: { packs: { registry?: unknown }[] } } };
    // WHEN exported again
    const run = await cli('export', '--out', files.file('again.json'), NORTH);
    assert.equal(run.code, 0, run.err.join('\n'));
    const written = JSON.parse(readFileSync(files.file('again.json'), 'utf8')) as typeof original;
    // THEN the Helm layer's registry is the one read, uid first as Palette writes it
    assert.equal(JSON.stringify(written.spec.template.packs[0].registry), `{"metadata":{"uid":"${NORTH_UID}","name":"Private Charts","kind":"helm","isPrivate":true}}`);
    assert.deepEqual(written.spec.template.packs[0].registry, original.spec.template.packs[0].registry);
  });

  it('reads the empty registry Palette writes on a manifest layer as none, and writes it back as read', async () => {
    // GIVEN an export whose manifest layer has registry {uid: "", name: "", kind: "", isPrivate: false}
    const files = scratchWithExamples('registry-empty');
    // WHEN exported again
    const run = await cli('export', '--out', files.file('again.json'), NORTH);
    // THEN it is accepted, and the empty registry is written back unchanged
    assert.equal(run.code, 0, run.err.join('\n'));
    const written = JSON.parse(readFileSync(files.file('again.json'), 'utf8')) as { spec: { template: { packs: { registry?: unknown }[] } } };
    assert.deepEqual(written.spec.template.packs[1].registry, { metadata: { uid: '', name: '', kind: '', isPrivate: false } });
  });

  it('reads the uid as the layer\'s registryUid, next to the display name', () => {
    // GIVEN the same export
    // WHEN read
    const [profile] = loadProfileFiles([NORTH]);
    // THEN the Helm layer knows its registry by name and uid
    const layer = profile.layers[0] as { registry?: string; registryUid?: string };
    assert.deepEqual([layer.registry, layer.registryUid], ['Private Charts', NORTH_UID]);
  });
});

describe('registries with one display name and different uids', () => {
  it('are two registries: each layer installs from the URL given for its own uid', () => {
    // GIVEN exports of two tenants, each with a registry named "Private Charts" but with its own uid
    const profiles = loadProfileFiles([NORTH, SOUTH]);
    // WHEN resolved with a URL per uid
    const cluster = resolveCluster(profiles, { registries: { [NORTH_UID]: 'https://charts.north.example.com', [SOUTH_UID]: 'https://charts.south.example.com' } });
    // THEN each Helm layer takes its own tenant's URL
    assert.deepEqual(repositories(cluster.layers), { podinfo: 'https://charts.north.example.com', 'podinfo-south': 'https://charts.south.example.com' });
  });

  it('are not merged under their name: a URL given for the name alone is refused for both, naming both uids', () => {
    // GIVEN the same two exports
    const profiles = loadProfileFiles([NORTH, SOUTH]);
    // WHEN resolved with one URL for the display name
    // THEN each layer is refused: the name could mean either registry
    assert.deepEqual(profileErrorOf(() => resolveCluster(profiles, { registries: { 'Private Charts': 'https://charts.example.com' } })).message.split('\n'), [
      `${NORTH}: profile "north-addons" layer "podinfo": registry "Private Charts" (uid "${NORTH_UID}") shares its name with registries of other uids in these profiles ("${SOUTH_UID}"), so the name cannot tell which registry is meant; give this registry's URL with --registry "${NORTH_UID}=URL"`,
      `${SOUTH}: profile "south-addons" layer "podinfo-south": registry "Private Charts" (uid "${SOUTH_UID}") shares its name with registries of other uids in these profiles ("${NORTH_UID}"), so the name cannot tell which registry is meant; give this registry's URL with --registry "${SOUTH_UID}=URL"`,
    ]);
  });

  it("are told apart from a catalog registry of that name with another uid", () => {
    // GIVEN one tenant's export, and a catalog whose "Private Charts" is the other tenant's
    const profiles = loadProfileFiles([NORTH]);
    const catalog: PackCatalog = { registries: [{ name: 'Private Charts', uid: SOUTH_UID, url: 'https://charts.south.example.com' }], packs: [] };
    // WHEN resolved with that catalog
    // THEN the layer is not given the other tenant's URL
    assert.equal(
      profileErrorOf(() => resolveCluster(profiles, { catalog })).message,
      `${NORTH}: profile "north-addons" layer "podinfo": registry "Private Charts" (uid "${NORTH_UID}") is not the catalog's registry "Private Charts", whose uid is "${SOUTH_UID}"; give this registry's URL with --registry "${NORTH_UID}=URL", or list it in the catalog with uid "${NORTH_UID}"`,
    );
  });

  it('keeps the name working where it means one registry', () => {
    // GIVEN one tenant's export alone
    const profiles = loadProfileFiles([NORTH]);
    // WHEN resolved with a URL for the display name
    const cluster = resolveCluster(profiles, { registries: { 'Private Charts': 'https://charts.north.example.com' } });
    // THEN the layer installs from it
    assert.deepEqual(repositories(cluster.layers), { podinfo: 'https://charts.north.example.com' });
  });

  it('are two sources in lock entries: the label carries the uid, so a layer moved to the other tenant is resolved again', async () => {
    // GIVEN a version train on each tenant's registry pack, in registries of one name
    const pack = (profile: string, uid: string) => ({
      name: profile,
      type: 'add-on' as const,
      layers: [{ kind: 'pack' as const, name: `agent-${profile}`, packName: 'agent', version: '2.x', registry: 'Private Packs', registryUid: uid }],
    });
    // WHEN the trains are resolved
    const out = await resolveTrains([pack('north', NORTH_UID), pack('south', SOUTH_UID)], { packVersions: () => ['2.0.0', '2.1.3'] });
    // THEN each lock entry names its registry's uid
    assert.deepEqual(
      out.lock.entries.map((e) => e.source),
      [`pack agent, registry Private Packs (uid ${NORTH_UID})`, `pack agent, registry Private Packs (uid ${SOUTH_UID})`],
    );
  });
});

describe('registryUrls: where registries are looked up', () => {
  it("takes the catalog's registries with a URL, by uid and by name, and lets --registry entries win", () => {
    // GIVEN a catalog with a registry (with uid and URL), one without a URL, and a --registry for the first's name
    const catalog: PackCatalog = {
      registries: [{ name: 'Charts', uid: 'charts-uid', url: 'https://charts.example.com' }, { name: 'Packs only' }],
      packs: [],
    };
    // WHEN the URLs are looked up
    const urls = registryUrls({ catalog, registries: { Charts: 'https://mirror.example.com', Other: 'oci://other.example.com' } });
    // THEN the uid keeps the catalog's URL, the name takes the --registry URL, a registry without URL is absent
    assert.deepEqual({ ...urls }, { 'charts-uid': 'https://charts.example.com', Charts: 'https://mirror.example.com', Other: 'oci://other.example.com' });
    assert.deepEqual(Object.keys(urls), ['charts-uid', 'Charts', 'Other']);
  });

  it('keeps a registry named like an Object.prototype member as a name like any other', () => {
    // GIVEN a --registry named "constructor" and no catalog
    const urls = registryUrls({ registries: { constructor: 'https://c.example.com' } });
    // WHEN read  THEN it is the given URL, and no other name inherits anything
    assert.equal(urls.constructor, 'https://c.example.com');
    assert.equal(Object.getPrototypeOf(urls), null);
  });
});
