import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAuthoringProfile } from '../src/core/input/authoring';
import { loadProfileFile } from '../src/core/input/load';
import { scratchWithExamples } from './cli-helpers';
import { problemsOf } from './helpers';
import { synth } from './synth-helpers';

const HEADER = 'apiVersion: cluster-profiles/v1\nkind: ClusterProfile\n';
const files = scratchWithExamples('authoring');

describe('the authoring format', () => {
  it('reads every layer kind into the profile model', () => {
    // GIVEN a profile with a Helm layer (nested values), a manifest layer and a registry pack
    const text = `${HEADER}name: apps
version: 1.2.0
type: add-on
description: Apps
layers:
  - name: cert-manager
    type: helm
    version: 1.14.5
    registry: Jetstack
    timeoutSeconds: 900
    values:
      pack:
        namespace: cert-manager
        spectrocloud.com/install-priority: "-10"
      installCRDs: true
  - name: config
    type: manifest
    values: |
      pack:
        namespace: config
    manifests:
      - name: cm
        content: |
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: cm
  - name: mesh
    type: oci
    layer: addon
    packName: istio
    version: 1.22.1
    tag: 1.22.x
    registry: Public Repo
`;
    // WHEN parsed
    const profile = parseAuthoringProfile(text, 'apps.yaml');
    // THEN it is the same model a Palette export gives: values as a map or kept as text
    assert.deepEqual(profile, {
      name: 'apps',
      version: '1.2.0',
      type: 'add-on',
      description: 'Apps',
      layers: [
        {
          name: 'cert-manager',
          slot: 'addon',
          values: { pack: { namespace: 'cert-manager', 'spectrocloud.com/install-priority': '-10' }, installCRDs: true },
          timeoutSeconds: 900,
          kind: 'helm',
          version: '1.14.5',
          registry: 'Jetstack',
        },
        {
          name: 'config',
          slot: 'addon',
          values: 'pack:\n  namespace: config\n',
          kind: 'manifest',
          manifests: [{ name: 'cm', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' }],
        },
        { name: 'mesh', slot: 'addon', kind: 'pack', version: '1.22.1', packName: 'istio', tag: '1.22.x', registry: 'Public Repo', packType: 'oci' },
      ],
      source: 'apps.yaml',
    });
  });

  it('reads values as Helm reads them, and every other field as YAML 1.2', () => {
    // GIVEN a registry named "no" and values written yes and 0644
    const text = `${HEADER}name: p\ntype: add-on\nlayers:\n  - name: a\n    type: helm\n    version: 1.0.0\n    registry: no\n    values:\n      enabled: yes\n      mode: 0644\n`;
    // WHEN parsed
    const layer = parseAuthoringProfile(text, 'p.yaml').layers[0];
    // THEN the name stays a string, the values get the types Helm would give them
    assert.deepEqual([layer.kind === 'helm' ? layer.registry : undefined, layer.values], ['no', { enabled: true, mode: 420 }]);
  });

  it('reports unknown fields, wrong types and bad slots at once', () => {
    // GIVEN a profile with a misspelt field, a numeric version, a manifest-only field on a Helm
    // layer, an unknown slot and an unknown type
    const text = `${HEADER}name: p
type: add-on
version: 1.0
layer:
  - x
layers:
  - name: a
    type: helm
    version: 1.0.0
    presets: []
  - name: b
    type: manifest
    layer: storage
    manifests: []
  - name: c
    type: zip
`;
    // WHEN parsed
    // THEN every problem is named with its profile, layer and field
    assert.deepEqual(problemsOf(() => parseAuthoringProfile(text, 'p.yaml')), [
      'p.yaml: profile "p": layer is not a known field here; expected one of apiVersion, kind, name, version, type, description, cloudType, variables, layers',
      'p.yaml: profile "p": version must be a string, found 1 (quote it in YAML: "1.0")',
      'p.yaml: profile "p" layer "a": presets is not a known field here; expected one of name, type, layer, version, values, timeoutSeconds, chart, repository, registry, tag, manifests',
      'p.yaml: profile "p" layer "b": layer "storage" must be one of "os", "k8s", "cni", "csi", "addon"',
      'p.yaml: profile "p" layer "c": type "zip" must be one of "helm", "manifest", "spectro", "oci"',
    ]);
  });
});

describe('loading files by content', () => {
  it('recognises the authoring format in YAML and in JSON, and a Palette export', () => {
    // GIVEN the same add-on written as authoring YAML, as authoring JSON, and as a Palette export
    const yaml = files.write('a.yaml', `${HEADER}name: a\ntype: add-on\nlayers: []\n`);
    const json = files.write('a.json', JSON.stringify({ apiVersion: 'cluster-profiles/v1', kind: 'ClusterProfile', name: 'a', type: 'add-on', layers: [] }));
    const palette = files.write('p.json', JSON.stringify({ metadata: { name: 'a' }, spec: { template: { type: 'add-on', packs: [] } } }));
    // WHEN loaded
    const loaded = [yaml, json, palette].map((f) => loadProfileFile(f));
    // THEN each gives the profile, named after its file
    assert.deepEqual(
      loaded.map((p) => [p.name, p.type, p.layers.length, p.source]),
      [
        ['a', 'add-on', 0, yaml],
        ['a', 'add-on', 0, json],
        ['a', 'add-on', 0, palette],
      ],
    );
  });

  it('tells a catalog or an unknown YAML file from a profile', () => {
    // GIVEN a catalog and a YAML file of another kind
    const catalog = files.file('catalog.yaml');
    const other = files.write('other.yaml', 'apiVersion: v1\nkind: ConfigMap\n');
    // WHEN loaded as profiles
    // THEN each error says what the file is or what was expected
    assert.deepEqual(problemsOf(() => loadProfileFile(catalog)), [`${catalog}: is a pack catalog, not a profile: pass it with --catalog FILE`]);
    assert.deepEqual(problemsOf(() => loadProfileFile(other)), [
      `${other}: is not a recognised profile file: expected a Palette cluster-profile export (a JSON object) or a YAML profile with apiVersion "cluster-profiles/v1" and kind "ClusterProfile"`,
    ]);
  });

  it('synthesizes an authored profile exactly as the equivalent Palette export', () => {
    // GIVEN one Helm layer authored with nested values, and the same layer in a Palette export
    const authored = files.write(
      'web.yaml',
      `${HEADER}name: web\ntype: add-on\nlayers:\n  - name: nginx\n    type: helm\n    version: 15.0.1\n    repository: https://charts.example.com\n    values:\n      pack:\n        namespace: web\n      replicaCount: 2\n      service: {type: LoadBalancer}\n`,
    );
    const exported = files.write(
      'web.json',
      JSON.stringify({
        metadata: { name: 'web' },
        spec: {
          template: {
            type: 'add-on',
            packs: [{ name: 'nginx', type: 'helm', layer: 'addon', version: '15.0.1', repository: 'https://charts.example.com', values: "pack:\n  namespace: web\nreplicaCount: 2\nservice:\n  type: 'LoadBalancer'\n" }],
          },
        },
      }),
    );
    // WHEN both are synthesized
    const a = synth([loadProfileFile(authored)]).text;
    const b = synth([loadProfileFile(exported)]).text;
    // THEN the configurations are identical
    assert.equal(a, b);
  });
});
