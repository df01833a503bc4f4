import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parsePaletteExport } from '../src';
import { REPO, profileErrorOf } from './synth-helpers';

const fixture = (name: string): string => readFileSync(join(REPO, 'test', 'fixtures', name), 'utf8');

/** An export holding only these packs. */
function exportWith(packs: unknown[], type = 'add-on'): string {
  return JSON.stringify({ metadata: { name: 'p' }, spec: { version: '1.0.0', template: { type, packs } } });
}

/** The problem lines parsePaletteExport reports. */
function problemsOf(text: string, file = 'p.json'): string[] {
  return profileErrorOf(() => parsePaletteExport(text, file)).message.split('\n');
}

describe('parsePaletteExport', () => {
  it('reads a full profile: name, version, type, layers with slot, kind, version, values, registry and manifests', () => {
    // GIVEN the web-platform export
    // WHEN parsed
    const spec = parsePaletteExport(fixture('web-platform.json'), 'web-platform.json');
    // THEN the profile as the model has it
    assert.deepEqual(
      { name: spec.name, version: spec.version, type: spec.type, description: spec.description, source: spec.source },
      { name: 'web-platform', version: '2.0.1', type: 'cluster', description: 'A small full profile for tests', source: 'web-platform.json' },
    );
    assert.deepEqual(spec.layers, [
      { name: 'ubuntu', slot: 'os', values: 'pack:\n  content:\n    images: []\n', kind: 'pack', version: '22.04.4', registry: 'Public Repo', registryUid: 'public-uid' },
      { name: 'k3s', slot: 'k8s', values: undefined, kind: 'pack', version: '1.29.5', tag: '1.29.x', registry: 'Public Repo', registryUid: 'public-uid' },
      { name: 'cilium', slot: 'cni', values: 'pack:\n  namespace: kube-system\nkubeProxyReplacement: true\n', kind: 'helm', version: '1.15.6', registry: 'Charts', registryUid: 'charts-uid' },
      {
        name: 'web',
        slot: 'addon',
        values: 'pack:\n  namespace: web\n  spectrocloud.com/install-priority: "10"\n  namespaceLabels:\n    web: "team=web"\n# shown to Helm\ngreeting: "${USER} says %{hi}"\n',
        kind: 'helm',
        version: '3.2.1',
        registry: 'Charts',
        registryUid: 'charts-uid',
      },
      {
        name: 'site',
        slot: 'addon',
        values: 'pack:\n  namespace: web\n  spectrocloud.com/install-priority: 20\n',
        kind: 'manifest',
        version: '1.0.0',
        manifests: [
          {
            name: 'site',
            content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: site\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: site\n  template:\n    metadata:\n      labels:\n        app: site\n    spec:\n      containers:\n        - name: site\n          image: nginx:1.27\n---\n# empty\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: site\n',
          },
        ],
      },
    ]);
  });

  it('reads an os or k8s layer of any type as a registry pack', () => {
    // GIVEN a k8s layer of an unknown type
    // WHEN parsed
    const spec = parsePaletteExport(exportWith([{ name: 'k', type: 'whatever', layer: 'k8s', version: '1.0.0' }], 'infra'), 'p.json');
    // THEN it is a pack layer, which keeps the type as read for export
    assert.deepEqual(spec.layers, [{ name: 'k', slot: 'k8s', values: undefined, kind: 'pack', version: '1.0.0', paletteFields: { type: 'whatever' } }]);
  });

  it('falls back to the tag when there is no version, and to the registry uid when there is no name', () => {
    // GIVEN a Helm pack with only a tag and a registry uid
    // WHEN parsed
    const spec = parsePaletteExport(exportWith([{ name: 'h', type: 'helm', layer: 'addon', tag: '1.2.3', registry: { metadata: { uid: 'r-uid' } } }]), 'p.json');
    // THEN both are used (the tag, equal to the version, kept as read for export)
    assert.deepEqual(spec.layers, [{ name: 'h', slot: 'addon', values: undefined, kind: 'helm', version: '1.2.3', registry: 'r-uid', registryUid: 'r-uid', paletteFields: { tag: '1.2.3' } }]);
  });

  it('reports invalid JSON with the parser\'s reason', () => {
    // GIVEN a truncated export
    const text = '{"metadata": {"name": "p"},';
    const reason = (() => {
      try {
        JSON.parse(text);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    // WHEN parsed
    // THEN the file and the reason
    assert.deepEqual(problemsOf(text, 'broken.json'), [`broken.json: is not valid JSON: ${reason}`]);
  });

  it('reports JSON that is not an object', () => {
    // GIVEN a JSON list
    // WHEN parsed
    // THEN the expected form
    assert.deepEqual(problemsOf('[1, 2]'), ['p.json: must hold a JSON object (a Palette cluster-profile export), found [1,2]']);
  });

  it('reports a missing metadata.name', () => {
    // GIVEN no metadata
    // WHEN parsed
    // THEN the field
    assert.deepEqual(problemsOf('{"spec": {}}'), ["p.json: metadata.name must be the profile's name, found nothing"]);
  });

  it('reports missing packs', () => {
    // GIVEN a template without packs
    // WHEN parsed
    // THEN the profile and field
    assert.deepEqual(problemsOf('{"metadata": {"name": "p"}, "spec": {"template": {"type": "add-on"}}}'), [
      'p.json: profile "p": spec.template.packs must be a list of layers, found nothing',
    ]);
  });

  it('reports an unknown layer type', () => {
    // GIVEN a pack of type "kustomize"
    // WHEN parsed
    // THEN the accepted types
    assert.deepEqual(problemsOf(exportWith([{ name: 'bundle', type: 'kustomize', layer: 'addon', version: '1.0.0' }])), [
      'p.json: profile "p" layer "bundle": type "kustomize" must be "spectro", "oci", "helm", "manifest" or "zarf" (or any type in the os and k8s slots)',
    ]);
  });

  it('reports an unknown layer slot', () => {
    // GIVEN layer "network"
    // WHEN parsed
    // THEN the slots
    assert.deepEqual(problemsOf(exportWith([{ name: 'n', type: 'helm', layer: 'network', version: '1.0.0' }])), [
      'p.json: profile "p" layer "n": layer "network" must be one of "os", "k8s", "cni", "csi", "addon"',
    ]);
  });

  it('reports a manifest layer without manifests and values that are not a string, all at once', () => {
    // GIVEN two broken packs and a nameless one
    const text = exportWith([
      { name: 'm', type: 'manifest', layer: 'addon', version: '1.0.0' },
      { name: 'h', type: 'helm', layer: 'addon', version: '1.0.0', values: { a: 1 } },
      { type: 'helm' },
    ]);
    // WHEN parsed
    // THEN three problems, each with its location
    assert.deepEqual(problemsOf(text), [
      'p.json: profile "p" layer "m": manifests must be a list of {name, content}, found nothing',
      'p.json: profile "p" layer "h": values must be a YAML string, found {"a":1}',
      `p.json: profile "p": spec.template.packs[2].name must be the layer's name, found nothing`,
    ]);
  });
});
