import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileSpec, planCluster } from '../src';
import { parseCatalog } from '../src/core/input/catalog';
import { PackCatalog } from '../src/core/model/catalog';
import { PackLayerSpec } from '../src/core/model/spec';
import { parsePaletteExport } from '../src/core/input/palette-export';
import { formatPaletteExport } from '../src/core/input/palette-writer';
import { profileErrorOf } from './synth-helpers';
import { readEnabledPresetsComment, withEnabledPresetsComment } from '../src/core/input/enabled-presets';

const CATALOG: PackCatalog = parseCatalog(
  `apiVersion: cluster-profiles/v1
kind: PackCatalog
packs:
  - name: hello-universe
    version: 1.2.0
    charts:
      - name: hello-universe
        repository: https://charts.example.com
        version: 1.2.0
    values:
      pack:
        namespace: hello
      charts:
        hello-universe:
          api:
            enabled: true
            replicas: 2
          ui:
            theme: light
    presets:
      - name: disable-api
        displayName: Disable API
        group: Backend
        remove: [charts.hello-universe.api]
        add:
          charts:
            hello-universe:
              apiDisabled: true
      - name: api-ha
        group: Backend
        remove: []
        add: { charts: { hello-universe: { api: { replicas: 3 } } } }
      - name: dark
        group: Theme
        remove: []
        add: { charts: { hello-universe: { ui: { theme: dark } } } }
`,
  'catalog.yaml',
);

function profileWith(layer: Partial<PackLayerSpec>): ProfileSpec[] {
  return [{ name: 'apps', type: 'add-on', layers: [{ kind: 'pack', name: 'hello-universe', version: '1.2.0', ...layer }] }];
}

/** The values of the layer's one release. */
function releaseValues(profiles: ProfileSpec[]): string | undefined {
  const plan = planCluster(profiles, { catalog: CATALOG });
  const release = plan.resources.find((r) => r.type === 'helm_release');
  assert.ok(release !== undefined && release.type === 'helm_release' && release.role !== 'retained-namespace');
  return release.values;
}

function problemsOf(profiles: ProfileSpec[]): string[] {
  return profileErrorOf(() => planCluster(profiles, { catalog: CATALOG })).message.split('\n');
}

describe('presets: applying', () => {
  it('uses the pack defaults when no preset is enabled', () => {
    assert.equal(releaseValues(profileWith({})), "api:\n  enabled: true\n  replicas: 2\nui:\n  theme: 'light'\n");
  });

  it('removes the preset\'s paths and merges its values', () => {
    // GIVEN preset disable-api (removes charts.hello-universe.api, adds apiDisabled) and dark
    // WHEN planned
    // THEN api is gone, apiDisabled and the dark theme are set
    assert.equal(releaseValues(profileWith({ presets: ['disable-api', 'Theme:dark'] })), "ui:\n  theme: 'dark'\napiDisabled: true\n");
  });

  it("reads the presets from Palette's first-line comment when the layer lists none", () => {
    const values = '# spectrocloud.com/enabled-presets: Backend:api-ha\npack:\n  namespace: hello\n';
    assert.equal(releaseValues(profileWith({ values })), "api:\n  enabled: true\n  replicas: 3\nui:\n  theme: 'light'\n");
  });

  it("lets the layer's own values win over a preset", () => {
    const values = { charts: { 'hello-universe': { api: { replicas: 5 } } } };
    assert.equal(releaseValues(profileWith({ presets: ['api-ha'], values })), "api:\n  enabled: true\n  replicas: 5\nui:\n  theme: 'light'\n");
  });
});

describe('presets: mistakes', () => {
  it('names an unknown preset and lists the available ones', () => {
    assert.deepEqual(problemsOf(profileWith({ presets: ['turbo'] })), [
      'profile "apps" layer "hello-universe": presets "turbo" is not a preset of pack "hello-universe" 1.2.0; available presets: "Backend:disable-api", "Backend:api-ha", "Theme:dark"',
    ]);
  });

  it('refuses two presets of one group', () => {
    assert.deepEqual(problemsOf(profileWith({ presets: ['api-ha', 'disable-api'] })), [
      'profile "apps" layer "hello-universe": presets enables "disable-api" and "api-ha", both in group "Backend" of pack "hello-universe"; enable at most one preset per group',
    ]);
  });

  it('refuses a preset named with the wrong group', () => {
    assert.deepEqual(problemsOf(profileWith({ presets: ['Theme:api-ha'] })), [
      'profile "apps" layer "hello-universe": presets "Theme:api-ha" names group "Theme", but preset "api-ha" of pack "hello-universe" is in group "Backend"; write "Backend:api-ha"',
    ]);
  });
});

describe("presets: Palette's comment", () => {
  it('reads the comment only on the first line', () => {
    assert.deepEqual(readEnabledPresetsComment('# spectrocloud.com/enabled-presets: Backend:disable-api, Theme:dark\na: 1\n'), ['Backend:disable-api', 'Theme:dark']);
    assert.equal(readEnabledPresetsComment('a: 1\n# spectrocloud.com/enabled-presets: Backend:disable-api\n'), undefined);
  });

  it('replaces an existing comment, or removes it for no presets', () => {
    const text = '# spectrocloud.com/enabled-presets: Backend:api-ha\na: 1\n';
    assert.equal(withEnabledPresetsComment(text, ['Theme:dark']), '# spectrocloud.com/enabled-presets: Theme:dark\na: 1\n');
    assert.equal(withEnabledPresetsComment(text, []), 'a: 1\n');
  });

  it('is written on export and read back on import, giving the same release values', () => {
    // GIVEN a layer enabling two presets in code
    const profiles = profileWith({ presets: ['Backend:disable-api', 'Theme:dark'], values: 'pack:\n  namespace: hello\n' });
    // WHEN exported and imported again
    const text = formatPaletteExport(profiles[0]);
    const exported = JSON.parse(text).spec.template.packs[0];
    const again = parsePaletteExport(text, 'apps.json');
    // THEN the export records the presets as Palette does, and the import applies them
    assert.equal(exported.values, '# spectrocloud.com/enabled-presets: Backend:disable-api,Theme:dark\npack:\n  namespace: hello\n');
    assert.equal(releaseValues([again]), releaseValues(profiles));
  });
});
