import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileSpec, planCluster } from '../src';
import { parseCatalog } from '../src/core/input/catalog';
import { parsePaletteExport } from '../src/core/input/palette-export';
import { formatPaletteExport } from '../src/core/input/palette-writer';
import { addOn, helmLayer, manifestLayer } from './helpers';
import { profileErrorOf } from './synth-helpers';

/** `pack:` values of one copy: its display name, namespace and release name. */
function copyValues(displayName: string, namespace: string, release?: string): string {
  const override = release !== undefined ? `  releaseNameOverride:\n    hello-universe: ${release}\n` : '';
  return `pack:\n  namespace: ${namespace}\n  spectrocloud.com/display-name: ${displayName}\n${override}`;
}

/** Each Helm release of a plan as `address -> namespace/release`. */
function releases(profiles: ProfileSpec[], options: Parameters<typeof planCluster>[1] = {}): string[] {
  return planCluster(profiles, options)
    .resources.filter((r) => r.type === 'helm_release')
    .map((r) => (r.type === 'helm_release' && r.role !== 'retained-namespace' ? `${r.address} -> ${r.namespace}/${r.releaseName} (${r.chart})` : r.address));
}

describe('duplicate packs: copies of one chart', () => {
  it('installs the same chart twice in one namespace when each copy overrides its release name', () => {
    // GIVEN two copies of chart hello-universe, display names hello-1 and hello-2, each with its own release name
    const profiles = [
      addOn('apps', [
        helmLayer('hello-1--hello-universe', copyValues('hello-1', 'hello', 'hello-one'), { chart: 'hello-universe' }),
        helmLayer('hello-2--hello-universe', copyValues('hello-2', 'hello', 'hello-two'), { chart: 'hello-universe' }),
      ]),
    ];
    // WHEN planned
    // THEN two releases of the chart, each under its layer's address and its own release name
    assert.deepEqual(releases(profiles), [
      'helm_release.hello-1--hello-universe -> hello/hello-one (hello-universe)',
      'helm_release.hello-2--hello-universe -> hello/hello-two (hello-universe)',
    ]);
  });

  it('installs copies without overrides when they live in different namespaces', () => {
    const profiles = [
      addOn('apps', [
        helmLayer('hello-1--hello-universe', copyValues('hello-1', 'hello-one'), { chart: 'hello-universe' }),
        helmLayer('hello-2--hello-universe', copyValues('hello-2', 'hello-two'), { chart: 'hello-universe' }),
      ]),
    ];
    assert.deepEqual(releases(profiles), [
      'helm_release.hello-1--hello-universe -> hello-one/hello-universe (hello-universe)',
      'helm_release.hello-2--hello-universe -> hello-two/hello-universe (hello-universe)',
    ]);
  });

  it('refuses two copies that would be the same Helm release in the same namespace, naming both layers', () => {
    // GIVEN two copies in namespace hello without release name overrides
    const profiles = [
      addOn('apps', [
        helmLayer('hello-1--hello-universe', copyValues('hello-1', 'hello'), { chart: 'hello-universe' }),
        helmLayer('hello-2--hello-universe', copyValues('hello-2', 'hello'), { chart: 'hello-universe' }),
      ]),
    ];
    // WHEN planned
    // THEN the second is refused, naming the first
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "apps" layer "hello-2--hello-universe": release "hello-universe" in namespace "hello" is also the release of layer "hello-1--hello-universe"; give one a pack.releaseNameOverride or another namespace',
    );
  });

  it('refuses two layers of different profiles that define the same Kubernetes object', () => {
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shared\n';
    const profiles = [addOn('one', [manifestLayer('a', config)]), addOn('two', [manifestLayer('b', config)])];
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "two" layer "b" manifest "b" document 1: ConfigMap "shared/settings" is also defined by layer "a"; each Kubernetes object may be defined once',
    );
  });

  it('installs two copies of one registry pack, each with its own release name', () => {
    // GIVEN a catalog pack and two layers using it with display names and release name overrides
    const catalog = parseCatalog(
      'apiVersion: cluster-profiles/v1\nkind: PackCatalog\npacks:\n  - name: hello-universe\n    version: 1.2.0\n    charts:\n      - name: hello-universe\n        repository: https://charts.example.com\n        version: 1.2.0\n',
      'catalog.yaml',
    );
    const copy = (n: number): ProfileSpec['layers'][number] => ({
      kind: 'pack',
      name: `hello-${n}--hello-universe`,
      packName: 'hello-universe',
      version: '1.2.0',
      values: copyValues(`hello-${n}`, 'hello', `hello-${n}`),
    });
    // WHEN planned
    // THEN each copy is its own release
    assert.deepEqual(releases([addOn('apps', [copy(1), copy(2)])], { catalog }), [
      'helm_release.hello-1--hello-universe--hello-universe -> hello/hello-1 (hello-universe)',
      'helm_release.hello-2--hello-universe--hello-universe -> hello/hello-2 (hello-universe)',
    ]);
  });
});

describe("duplicate packs: Palette's copy names", () => {
  const exportText = JSON.stringify({
    metadata: { name: 'apps' },
    spec: {
      version: '1.0.0',
      template: {
        type: 'add-on',
        packs: [1, 2].map((n) => ({
          name: `hello-${n}--hello-universe`,
          type: 'helm',
          layer: 'addon',
          version: '1.2.0',
          repository: 'https://charts.example.com',
          values: copyValues(`hello-${n}`, 'hello', `hello-${n}`),
        })),
      },
    },
  });

  it('reads <display-name>--<chart> as a copy of the chart', () => {
    // GIVEN an export with two copies of hello-universe
    // WHEN read
    const profile = parsePaletteExport(exportText, 'apps.json');
    // THEN each layer keeps its copy name and installs chart hello-universe
    assert.deepEqual(
      profile.layers.map((l) => [l.name, l.kind === 'helm' ? l.chart : undefined]),
      [
        ['hello-1--hello-universe', 'hello-universe'],
        ['hello-2--hello-universe', 'hello-universe'],
      ],
    );
  });

  it('writes a copy under <display-name>--<chart>, keeping the layer name for the way back', () => {
    // GIVEN a layer named hello-1 installing chart hello-universe with display name hello-1
    const profile = addOn('apps', [helmLayer('hello-1', copyValues('hello-1', 'hello', 'hello-1'), { chart: 'hello-universe' })]);
    // WHEN exported and read again
    const text = formatPaletteExport(profile);
    const pack = JSON.parse(text).spec.template.packs[0];
    const again = parsePaletteExport(text, 'apps.json');
    // THEN Palette's name is used, and the layer comes back under its own name and chart
    assert.deepEqual([pack.name, pack.layerName], ['hello-1--hello-universe', 'hello-1']);
    assert.deepEqual(releases([again]), releases([profile]));
    assert.deepEqual(releases([again]), ['helm_release.hello-1 -> hello/hello-1 (hello-universe)']);
  });

  it('round-trips copies already named the Palette way', () => {
    const profile = parsePaletteExport(exportText, 'apps.json');
    const again = parsePaletteExport(formatPaletteExport(profile), 'apps.json');
    assert.deepEqual(releases([again]), releases([profile]));
  });
});
