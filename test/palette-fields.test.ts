// Nothing in an export is dropped silently (issue 15, item 5): a field the library does not use is
// written back by `export` as it was read; a field it uses, of another type than its own, is an error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPaletteExport, parsePaletteExport } from '../src';
import { problemsOf } from './helpers';

type Json = Record<string, unknown>;

/** An export as Palette writes one, with the bookkeeping fields Palette adds (uids, labels, registry details). */
function paletteExport(): Json {
  return {
    metadata: { name: 'edge', description: 'edge apps', labels: { team: 'edge' }, uid: '6570aa01' },
    spec: {
      version: '1.2.0',
      published: true,
      template: {
        type: 'add-on',
        cloudType: 'edge-native',
        packs: [
          {
            name: 'metallb',
            type: 'helm',
            layer: 'addon',
            version: '0.14.8',
            tag: '0.14.8',
            uid: '6570aa02',
            values: 'pack:\n  namespace: metallb-system\n',
            registry: { metadata: { uid: '5f3e01', name: 'Bitnami', kind: 'chart', isPrivate: false, providerType: 'helm' } },
            manifests: [{ name: 'pools', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pools\n', uid: '6570aa03' }],
          },
          {
            name: 'site',
            type: 'manifest',
            layer: 'addon',
            version: '1.0.0',
            uid: '6570aa04',
            values: 'pack:\n  namespace: web\n',
            manifests: [{ name: 'site', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: site\n', uid: '6570aa05' }],
          },
          {
            name: 'istio',
            type: 'spectro',
            layer: 'addon',
            tag: '1.22.x',
            version: '1.22.1',
            uid: '6570aa06',
            registry: { metadata: { uid: '5eecc8', name: 'Public Repo', kind: 'pack', isPrivate: false } },
          },
        ],
      },
      variables: [
        {
          name: 'tier',
          displayName: 'Tier',
          format: 'string',
          defaultValue: 'gold',
          required: false,
          isSensitive: false,
          hidden: false,
          immutable: false,
          inputType: 'dropdown',
          options: [{ value: 'gold', label: 'Gold', uid: 'o1' }, { value: 'silver' }],
          uid: 'v1',
        },
      ],
    },
  };
}

/** The export written back after reading `doc`, as parsed JSON. */
function roundTrip(doc: Json): Json {
  return JSON.parse(formatPaletteExport(parsePaletteExport(JSON.stringify(doc), 'edge.json'))) as Json;
}

/** The first pack of an export as written back. */
function firstPack(written: Json): Json {
  return ((written.spec as Json).template as { packs: Json[] }).packs[0];
}

/** An add-on export holding one pack. */
function withPack(pack: Json): Json {
  return { metadata: { name: 'edge' }, spec: { version: '1.0.0', template: { type: 'add-on', packs: [pack] } } };
}

describe('fields of a Palette export the library does not use', () => {
  it('are written back by export as they were read, the whole export equal to the one read', () => {
    // GIVEN an export carrying Palette's uids, labels, registry details and a field of spec
    const doc = paletteExport();
    // WHEN read and written back as an export
    const written = roundTrip(doc);
    // THEN the export written is the one read, field for field
    assert.deepEqual(written, doc);
  });

  it('keep metadata.labels and the profile uid on the model', () => {
    // GIVEN the export
    // WHEN read
    const profile = parsePaletteExport(JSON.stringify(paletteExport()), 'edge.json');
    // THEN the fields the library does not use are the profile's paletteFields, shaped like the export
    assert.deepEqual(profile.paletteFields, { metadata: { labels: { team: 'edge' }, uid: '6570aa01' }, spec: { published: true } });
  });

  it('keep a pack\'s uid and its registry\'s uid, isPrivate, providerType and a kind other than export writes on the layer', () => {
    // GIVEN the export
    // WHEN read
    const profile = parsePaletteExport(JSON.stringify(paletteExport()), 'edge.json');
    // THEN the Helm layer keeps them (and the tag, equal to the version; the registry's uid is its registryUid), its attached manifest its uid
    const metallb = profile.layers[0];
    assert.deepEqual(metallb.paletteFields, { tag: '0.14.8', uid: '6570aa02', registry: { metadata: { kind: 'chart', isPrivate: false, providerType: 'helm' } } });
    assert.equal(metallb.kind === 'helm' ? metallb.registryUid : undefined, '5f3e01');
    assert.deepEqual(metallb.kind === 'helm' ? metallb.manifests : undefined, [{ name: 'pools', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pools\n', paletteFields: { uid: '6570aa03' } }]);
  });

  it('keep a pack type other than spectro or oci in the os and k8s slots', () => {
    // GIVEN a k8s pack of type helm (read as a registry pack there)
    const doc = withPack({ name: 'k3s', type: 'helm', layer: 'k8s', version: '1.29.5' });
    // WHEN read and written back
    // THEN its type is still helm
    assert.equal(firstPack(roundTrip(doc)).type, 'helm');
  });

  it('keep a variable\'s input type other than a dropdown\'s', () => {
    // GIVEN a variable with inputType "multiline" and no options
    const doc = { ...withPack({ name: 'site', type: 'manifest', layer: 'addon', version: '1.0.0', manifests: [] }) };
    (doc.spec as Json).variables = [{ name: 'motd', format: 'string', inputType: 'multiline' }];
    // WHEN read and written back
    const written = roundTrip(doc);
    // THEN the input type is written back
    assert.equal(((written.spec as Json).variables as Json[])[0].inputType, 'multiline');
  });
});

describe('fields of a Palette export the library uses, of another type', () => {
  it('are errors naming file, profile, layer, field and value, never skipped', () => {
    // GIVEN a Helm pack whose chart, repository and tag are numbers, and a registry without metadata
    const doc = withPack({ name: 'web', type: 'helm', layer: 'addon', version: '1.0.0', chart: 5, repository: 6, tag: 7, registry: 'Bitnami' });
    // WHEN read
    // THEN each is reported
    assert.deepEqual(problemsOf(() => parsePaletteExport(JSON.stringify(doc), 'edge.json')), [
      'edge.json: profile "edge" layer "web": tag must be a string, found 7',
      'edge.json: profile "edge" layer "web": registry must be {metadata: {name, uid}} naming the pack\'s registry, found "Bitnami"',
      'edge.json: profile "edge" layer "web": chart must be a string, found 5',
      'edge.json: profile "edge" layer "web": repository must be a string, found 6',
    ]);
  });

  it('report a registry that names no registry', () => {
    // GIVEN a registry pack whose registry metadata has neither name nor uid
    const doc = withPack({ name: 'istio', type: 'spectro', layer: 'addon', version: '1.22.1', registry: { metadata: { kind: 'pack' } } });
    // WHEN read
    // THEN the registry is reported with what was found
    assert.deepEqual(problemsOf(() => parsePaletteExport(JSON.stringify(doc), 'edge.json')), [
      'edge.json: profile "edge" layer "istio": registry.metadata must name the pack\'s registry with name or uid, found {"kind":"pack"}',
    ]);
  });

  it('report a registry pack name that is not a string', () => {
    // GIVEN a registry pack whose packName is a list
    const doc = withPack({ name: 'istio', type: 'spectro', layer: 'addon', version: '1.22.1', packName: ['istio'] });
    // WHEN read
    // THEN packName is reported
    assert.deepEqual(problemsOf(() => parsePaletteExport(JSON.stringify(doc), 'edge.json')), ['edge.json: profile "edge" layer "istio": packName must be a string, found ["istio"]']);
  });

  it('report a description or cloud type that is not a string', () => {
    // GIVEN an export whose description is a number and cloud type a map
    const doc = withPack({ name: 'site', type: 'manifest', layer: 'addon', version: '1.0.0', manifests: [] });
    (doc.metadata as Json).description = 42;
    ((doc.spec as Json).template as Json).cloudType = { name: 'edge' };
    // WHEN read
    // THEN both are reported
    assert.deepEqual(problemsOf(() => parsePaletteExport(JSON.stringify(doc), 'edge.json')), [
      'edge.json: profile "edge": metadata.description must be a string, found 42',
      'edge.json: profile "edge": spec.template.cloudType must be a string, found {"name":"edge"}',
    ]);
  });

  it('report variable flags, texts, defaults and choices of another type', () => {
    // GIVEN a variable whose required is the text "true", displayName a number, default a map and one choice a bare text
    const doc = withPack({ name: 'site', type: 'manifest', layer: 'addon', version: '1.0.0', manifests: [] });
    (doc.spec as Json).variables = [{ name: 'tier', displayName: 7, required: 'true', defaultValue: { a: 1 }, inputType: 'dropdown', options: ['gold', { value: 'silver', label: 2 }] }];
    // WHEN read
    // THEN each is reported with its path under spec.variables
    assert.deepEqual(problemsOf(() => parsePaletteExport(JSON.stringify(doc), 'edge.json')), [
      'edge.json: profile "edge": spec.variables[0].displayName must be a string, found 7',
      'edge.json: profile "edge": spec.variables[0].required must be true or false, found "true"',
      'edge.json: profile "edge": spec.variables[0].defaultValue must be a string, number or boolean, found {"a":1}',
      'edge.json: profile "edge": spec.variables[0].options[0] must be {value, label, description} with a text, number or boolean value, found "gold"',
      'edge.json: profile "edge": spec.variables[0].options[1].label must be a string, found 2',
    ]);
  });
});
