import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestSpec, PlannedManifestChart, ProfileError, planCluster } from '../src';
import { ProblemList } from '../src/core/model/errors';
import { learnCustomScopes } from '../src/core/resolve/classify';
import { RawDocument, isClusterScoped, placeDocuments, readManifests } from '../src/core/resolve/manifests';
import { addOn, manifestLayer, packValues, widgetCrd } from './helpers';
import { PlannedManifest } from '../src/core/model/planned';

/** Reads manifests as layer `l` of profile `p` would, returning the documents and every problem message. */
function read(manifests: readonly ManifestSpec[]): { docs: RawDocument[]; messages: string[] } {
  const problems = new ProblemList();
  const docs = readManifests(manifests, { profile: 'p', layer: 'l' }, problems);
  try {
    problems.throwIfAny();
  } catch (err) {
    return { docs, messages: (err as ProfileError).message.split('\n') };
  }
  return { docs, messages: [] };
}

const configMap = (name: string, extra = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

describe('readManifests', () => {
  it('reads several documents, skipping comments and empty documents but counting their positions', () => {
    // GIVEN a manifest with a leading comment, an empty document and a comment-only document between two objects
    const content = `# leading comment\n---\n${configMap('a')}---\n---\n# only a comment\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n---\n`;
    // WHEN read
    const { docs, messages } = read([{ name: 'm', content }]);
    // THEN two objects, at positions 1 and 4
    assert.deepEqual(messages, []);
    assert.deepEqual(
      docs.map((d) => [d.manifest, d.position, d.object.kind, (d.object.metadata as { name: string }).name]),
      [
        ['m', 1, 'ConfigMap', 'a'],
        ['m', 4, 'Secret', 'b'],
      ],
    );
  });

  it('reads every manifest of a layer, in order', () => {
    // GIVEN two manifests
    // WHEN read
    const { docs } = read([
      { name: 'first', content: configMap('a') },
      { name: 'second', content: configMap('b') },
    ]);
    // THEN both, each naming its manifest
    assert.deepEqual(
      docs.map((d) => [d.manifest, d.position]),
      [
        ['first', 1],
        ['second', 1],
      ],
    );
  });

  it('names manifest and document position when apiVersion is missing', () => {
    // GIVEN a second document without apiVersion
    // WHEN read
    const { docs, messages } = read([{ name: 'app', content: `${configMap('a')}---\nkind: Service\nmetadata:\n  name: b\n` }]);
    // THEN the problem points at document 2, and the first document is still read
    assert.deepEqual(messages, ['profile "p" layer "l" manifest "app" document 2: apiVersion must be a non-empty string, found nothing']);
    assert.equal(docs.length, 1);
  });

  it('names manifest and document position when kind is missing', () => {
    // GIVEN a document without kind
    // WHEN read
    const { messages } = read([{ name: 'app', content: 'apiVersion: v1\nmetadata:\n  name: b\n' }]);
    // THEN one problem for kind
    assert.deepEqual(messages, ['profile "p" layer "l" manifest "app" document 1: kind must be a non-empty string, found nothing']);
  });

  it('rejects a document without metadata.name, explaining that generateName cannot be used', () => {
    // GIVEN a Job using generateName
    // WHEN read
    const { messages } = read([{ name: 'jobs', content: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n' }]);
    // THEN the problem names the field and why
    assert.deepEqual(messages, [
      'profile "p" layer "l" manifest "jobs" document 1: metadata.name must be a non-empty string (generateName is not supported: Terraform needs a fixed name), found nothing',
    ]);
  });

  it('reports every missing field of one document at once', () => {
    // GIVEN a document with none of the required fields
    // WHEN read
    const { messages } = read([{ name: 'm', content: 'data:\n  a: b\n' }]);
    // THEN three problems
    assert.deepEqual(messages, [
      'profile "p" layer "l" manifest "m" document 1: apiVersion must be a non-empty string, found nothing',
      'profile "p" layer "l" manifest "m" document 1: kind must be a non-empty string, found nothing',
      'profile "p" layer "l" manifest "m" document 1: metadata.name must be a non-empty string (generateName is not supported: Terraform needs a fixed name), found nothing',
    ]);
  });

  it('rejects a document that is not a map', () => {
    // GIVEN a document that is a plain string
    // WHEN read
    const { messages } = read([{ name: 'm', content: `${configMap('a')}---\njust text\n` }]);
    // THEN the problem names document 2
    assert.deepEqual(messages, ['profile "p" layer "l" manifest "m" document 2: must be a Kubernetes object (a map with apiVersion, kind and metadata.name), found "just text"']);
  });

  it('reports unparsable YAML with its line and column', () => {
    // GIVEN a duplicated key
    // WHEN read
    const { messages } = read([{ name: 'm', content: 'apiVersion: v1\napiVersion: v2\n' }]);
    // THEN the YAML reason
    assert.deepEqual(messages, ['profile "p" layer "l" manifest "m": content is not valid YAML: duplicated mapping key at line 2, column 1']);
  });

  it('rejects an invalid metadata.namespace', () => {
    // GIVEN a document in namespace "Apps"
    // WHEN read
    const bad = read([{ name: 'm', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: Apps\n' }]);
    // THEN the namespace form is given
    assert.deepEqual(bad.messages, [
      `profile "p" layer "l" manifest "m" document 1: metadata.namespace "Apps" must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters`,
    ]);
  });

  it('rejects two manifests with one name', () => {
    // GIVEN two manifests named "m"
    // WHEN read
    const { messages } = read([
      { name: 'm', content: configMap('a') },
      { name: 'm', content: configMap('b') },
    ]);
    // THEN the duplicate is named
    assert.deepEqual(messages, ['profile "p" layer "l" manifest "m": name is used by two manifests of this layer; manifest names must be unique within a layer']);
  });

  it('rejects a layer without manifests', () => {
    // GIVEN no manifests
    // WHEN read
    const { messages } = read([]);
    // THEN the problem says at least one is needed
    assert.deepEqual(messages, ['profile "p" layer "l": manifests must list at least one manifest, found none']);
  });
});

describe('placeDocuments', () => {
  const raw = (content: string): RawDocument[] => read([{ name: 'm', content }]).docs;

  it('puts a namespaced object without a namespace into the layer namespace', () => {
    // GIVEN a ConfigMap without metadata.namespace
    // WHEN placed for a layer in "apps"
    const [doc] = placeDocuments(raw(configMap('a')), 'apps', new Map());
    // THEN its namespace is "apps", in the object too
    assert.equal(doc.namespace, 'apps');
    assert.deepEqual(doc.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'apps' } });
  });

  it('keeps the namespace an object names', () => {
    // GIVEN a ConfigMap in "other"
    // WHEN placed for a layer in "apps"
    const [doc] = placeDocuments(raw('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: other\n'), 'apps', new Map());
    // THEN it stays in "other"
    assert.equal(doc.namespace, 'other');
  });

  it('gives cluster-scoped kinds no namespace, dropping one they name', () => {
    // GIVEN a ClusterRole naming a namespace, a Namespace, a StorageClass and a CRD
    const content = [
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: apps\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n',
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n',
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n',
    ].join('---\n');
    // WHEN placed for a layer in "apps"
    const docs = placeDocuments(raw(content), 'apps', new Map());
    // THEN none has a namespace
    assert.deepEqual(
      docs.map((d) => [d.kind, d.namespace, 'namespace' in (d.object.metadata as object)]),
      [
        ['ClusterRole', undefined, false],
        ['Namespace', undefined, false],
        ['StorageClass', undefined, false],
        ['CustomResourceDefinition', undefined, false],
      ],
    );
  });

  it('learns the scope of custom kinds from their CRDs', () => {
    // GIVEN a cluster-scoped CRD for Widget and a namespaced CRD for ClusterWidget (against the Cluster* convention)
    const crd = (kind: string, scope: string): string =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${kind.toLowerCase()}s.example.com\nspec:\n  group: example.com\n  scope: ${scope}\n  names:\n    kind: ${kind}\n`;
    const docs = raw([crd('Widget', 'Cluster'), crd('ClusterWidget', 'Namespaced'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n', 'apiVersion: example.com/v1\nkind: ClusterWidget\nmetadata:\n  name: cw\n'].join('---\n'));
    // WHEN scopes are learned and the documents placed
    const scopes = learnCustomScopes(docs);
    const placed = placeDocuments(docs, 'apps', scopes);
    // THEN Widget is cluster-scoped and ClusterWidget lands in the layer namespace
    assert.deepEqual([...scopes.entries()], [
      ['example.com/Widget', 'Cluster'],
      ['example.com/ClusterWidget', 'Namespaced'],
    ]);
    assert.deepEqual(
      placed.slice(2).map((d) => [d.kind, d.namespace]),
      [
        ['Widget', undefined],
        ['ClusterWidget', 'apps'],
      ],
    );
  });

  it('treats an unknown Cluster* custom kind as cluster-scoped and other unknown kinds as namespaced', () => {
    // GIVEN no CRDs
    // WHEN scopes are asked
    // THEN cert-manager's ClusterIssuer is cluster-scoped, its Issuer and a core-group "ClusterThing" are not
    assert.equal(isClusterScoped('cert-manager.io/v1', 'ClusterIssuer', new Map()), true);
    assert.equal(isClusterScoped('cert-manager.io/v1', 'Issuer', new Map()), false);
    assert.equal(isClusterScoped('v1', 'ClusterThing', new Map()), false);
  });
});

describe('manifest layers in a cluster', () => {
  const documentsOf = (profiles: Parameters<typeof planCluster>[0]): [string, string | undefined][] =>
    planCluster(profiles)
      .resources.filter((r): r is PlannedManifest => r.type === 'kubernetes_manifest')
      .map((r) => [r.name, r.document.namespace]);
  /** Per generated chart: its release's address and namespace, and the namespace of each object it installs. */
  const chartsOf = (profiles: Parameters<typeof planCluster>[0]): [string, string, (string | undefined)[]][] =>
    planCluster(profiles)
      .resources.filter((r): r is PlannedManifestChart => r.role === 'manifest-chart')
      .map((r) => [
        r.address,
        r.namespace,
        r.manifestChart.files.filter((f) => f.path.endsWith('.json')).map((f) => (JSON.parse(f.content) as { metadata: { namespace?: string } }).metadata.namespace),
      ]);

  it('puts objects of a layer without a namespace into "default"', () => {
    // GIVEN a manifest layer whose pack block names no namespace, one kubernetes_manifest per document
    // WHEN planned
    // THEN the ConfigMap lands in "default"
    assert.deepEqual(documentsOf([addOn('p', [manifestLayer('l', configMap('a'), 'pack:\n  manifestStrategy: manifest\n')])]), [['l--configmap--default--a', 'default']]);
    // AND so it does in the layer's generated chart (the default strategy), whose release is in "default" too
    assert.deepEqual(chartsOf([addOn('p', [manifestLayer('l', configMap('a'))])]), [['helm_release.l', 'default', ['default']]]);
  });

  it('learns a custom kind scope from a CRD in another layer', () => {
    // GIVEN a cluster-scoped CRD in layer "crds" and a Widget in layer "widgets" at a later priority
    const crd = widgetCrd('Cluster');
    const profiles = [
      addOn('p', [
        // kubernetes_manifest per document
        manifestLayer('crds', crd, packValues(undefined, 0, '  manifestStrategy: manifest\n')),
        manifestLayer('widgets', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n', packValues('apps', 10, '  manifestStrategy: manifest\n')),
      ]),
    ];
    // WHEN planned
    // THEN the Widget gets no namespace, as its CRD says
    assert.deepEqual(documentsOf(profiles), [
      ['crds--customresourcedefinition--widgets_example_com_e39863e9', undefined],
      ['widgets--widget--w', undefined],
    ]);
    // AND so it does in the generated charts of the same layers without manifestStrategy
    const charts = profiles.map((p) => ({ ...p, layers: p.layers.map((l) => ({ ...l, values: (l.values as string).replace('  manifestStrategy: manifest\n', '') })) }));
    assert.deepEqual(chartsOf(charts), [
      ['helm_release.crds', 'default', []],
      ['helm_release.crds--crds', 'default', [undefined]],
      ['helm_release.widgets', 'apps', [undefined]],
    ]);
  });
});
