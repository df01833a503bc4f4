import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ProfileSpec } from '../src';
import { toPaletteExport } from '../src/core/input/palette-writer';
import { cli, scratchWithExamples } from './cli-helpers';

const files = scratchWithExamples('export');
const lock = (name: string): string[] => ['--lock', files.file(`${name}.lock.yaml`)];

describe('toPaletteExport', () => {
  it('writes every layer kind as a Palette export pack, with values as YAML text', () => {
    // GIVEN a profile built in code: a Helm layer by URL, a manifest layer, a pack under its own name
    const profile: ProfileSpec = {
      name: 'apps',
      type: 'full',
      layers: [
        { kind: 'pack', name: 'k3s', slot: 'k8s', version: '1.29.5', tag: '1.29.x', registry: 'Public Repo' },
        { kind: 'helm', name: 'web', chart: 'nginx', version: '15.0.1', repository: 'https://charts.example.com', values: { pack: { namespace: 'web' }, enabled: true }, timeoutSeconds: 120 },
        { kind: 'manifest', name: 'cfg', manifests: [{ name: 'cm', content: 'kind: ConfigMap\n' }], values: 'pack:\n  namespace: cfg\n' },
        { kind: 'pack', name: 'mesh', packName: 'istio', version: '1.22.1', packType: 'oci' },
      ],
    };
    // WHEN exported
    // THEN Palette's fields come first; the fields Palette lacks are added only where set
    assert.deepEqual(toPaletteExport(profile), {
      metadata: { name: 'apps', labels: {} },
      spec: {
        version: '1.0.0',
        template: {
          type: 'cluster',
          cloudType: 'all',
          packs: [
            { name: 'k3s', type: 'spectro', layer: 'k8s', tag: '1.29.x', version: '1.29.5', registry: { metadata: { name: 'Public Repo', kind: 'pack' } } },
            { name: 'web', type: 'helm', layer: 'addon', version: '15.0.1', values: "pack:\n  namespace: 'web'\nenabled: true\n", timeoutSeconds: 120, chart: 'nginx', repository: 'https://charts.example.com' },
            { name: 'cfg', type: 'manifest', layer: 'addon', version: '1.0.0', values: 'pack:\n  namespace: cfg\n', manifests: [{ name: 'cm', content: 'kind: ConfigMap\n' }] },
            { name: 'mesh', type: 'oci', layer: 'addon', version: '1.22.1', packName: 'istio' },
          ],
        },
        variables: [],
      },
    });
  });
});

describe('cluster-profiles export', () => {
  it('gives back the same synthesized configuration for the registry-pack export and an authored profile', async () => {
    // GIVEN the Palette export with registry packs and the authored add-on profile, exported
    const originals = [files.file('palette-export-spectro.json'), files.file('store-apps.yaml')];
    const exported = files.file('exported-spectro/');
    const exportRun = await cli('export', '--out', exported, ...originals);
    const shown = (file: string): string => relative(process.cwd(), file);
    assert.deepEqual(exportRun.out, [`Wrote ${shown(join(exported, 'edge-spectro.json'))} (profile edge-spectro 2.3.0)`, `Wrote ${shown(join(exported, 'store-apps.json'))} (profile store-apps 1.4.0)`]);
    // WHEN the originals and the exports are synthesized with the same catalog
    const catalog = ['--catalog', files.file('catalog.yaml')];
    const before = await cli('synth', '--out', files.file('out-a'), ...catalog, ...lock('a'), ...originals);
    const after = await cli('synth', '--out', files.file('out-b'), ...catalog, ...lock('b'), join(exported, 'edge-spectro.json'), join(exported, 'store-apps.json'));
    // THEN both succeed and write byte-identical cdk.tf.json
    assert.deepEqual([before.code, after.code], [0, 0]);
    const a = readFileSync(join(files.file('out-a'), 'stacks', 'cluster', 'cdk.tf.json'), 'utf8');
    const b = readFileSync(join(files.file('out-b'), 'stacks', 'cluster', 'cdk.tf.json'), 'utf8');
    assert.ok(a.includes('"istio--gateway"'), 'the configuration holds the pack releases');
    assert.equal(b, a);
  });

  it('gives back the same synthesized configuration for the Helm and manifest example', async () => {
    // GIVEN the main example's two Palette exports, exported again
    const originals = [files.file('edge-platform.json'), files.file('team-observability.json')];
    const exported = files.file('exported-platform');
    assert.equal((await cli('export', '--out', exported, ...originals)).code, 0);
    const registries = JSON.parse(readFileSync(files.file('registries.json'), 'utf8')) as Record<string, string>;
    const flags = Object.entries(registries).flatMap(([name, url]) => ['--registry', `${name}=${url}`]);
    // WHEN both sets are synthesized
    const before = await cli('synth', '--out', files.file('out-c'), ...flags, ...lock('c'), ...originals);
    const after = await cli('synth', '--out', files.file('out-d'), ...flags, ...lock('d'), join(exported, 'edge-platform.json'), join(exported, 'team-observability.json'));
    // THEN the configurations are byte-identical
    assert.deepEqual([before.code, after.code], [0, 0]);
    assert.equal(readFileSync(join(files.file('out-d'), 'stacks', 'cluster', 'cdk.tf.json'), 'utf8'), readFileSync(join(files.file('out-c'), 'stacks', 'cluster', 'cdk.tf.json'), 'utf8'));
  });

  it('prints a single profile, or writes it to --out FILE', async () => {
    // GIVEN a one-layer authored profile
    const source = files.write('one.yaml', 'apiVersion: cluster-profiles/v1\nkind: ClusterProfile\nname: one\ntype: add-on\nlayers:\n  - name: cfg\n    type: manifest\n    manifests:\n      - name: cm\n        content: "kind: ConfigMap"\n');
    const expected = [
      '{',
      '  "metadata": {',
      '    "name": "one",',
      '    "labels": {}',
      '  },',
      '  "spec": {',
      '    "version": "1.0.0",',
      '    "template": {',
      '      "type": "add-on",',
      '      "cloudType": "all",',
      '      "packs": [',
      '        {',
      '          "name": "cfg",',
      '          "type": "manifest",',
      '          "layer": "addon",',
      '          "version": "1.0.0",',
      '          "manifests": [',
      '            {',
      '              "name": "cm",',
      '              "content": "kind: ConfigMap"',
      '            }',
      '          ]',
      '        }',
      '      ]',
      '    },',
      '    "variables": []',
      '  }',
      '}',
    ];
    // WHEN exported to the terminal and to a file
    const printed = await cli('export', source);
    const target = files.file('one.json');
    const written = await cli('export', '--out', target, source);
    // THEN the terminal shows the export, and the file holds it with a final newline
    assert.deepEqual([printed.code, printed.out], [0, expected]);
    assert.equal(written.code, 0);
    assert.equal(readFileSync(target, 'utf8'), `${expected.join('\n')}\n`);
  });

  it('needs --out for several profiles', async () => {
    // GIVEN two profile files and no --out
    // WHEN exported
    const run = await cli('export', files.file('edge-platform.json'), files.file('team-observability.json'));
    // THEN it is a usage error
    assert.deepEqual([run.code, run.err], [2, ['cluster-profiles export: export of 2 profiles needs --out DIR (one file per profile)', 'Usage: cluster-profiles export [--out FILE|DIR] FILE...']]);
  });
});
