import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { catalogRegistryUrls, findPack, listPackVersions, loadCatalogFile, parseCatalog, readCatalog } from '../src/core/input/catalog';
import { PackCatalog } from '../src/core/model/catalog';
import { ROOT } from './cli-helpers';
import { problemsOf } from './helpers';

const HEADER = 'apiVersion: cluster-profiles/v1\nkind: PackCatalog\n';

describe('parseCatalog', () => {
  it('reads registries, charts, manifests, default values and presets', () => {
    // GIVEN a catalog with one registry and one pack holding a chart, a manifest and a preset
    const text = `${HEADER}registries:
  - name: Charts
    uid: abc123
    url: https://charts.example.com
packs:
  - name: web
    version: 1.0.0
    registry: Public Repo
    charts:
      - name: nginx
        registry: Charts
        version: 15.0.1
    manifests:
      - name: extra
        content: "kind: ConfigMap"
    values:
      pack:
        namespace: web
      charts:
        nginx:
          replicaCount: 2
    presets:
      - name: ha
        group: Availability
        remove: [charts.nginx.replicaCount]
        add: |
          charts:
            nginx:
              replicaCount: 3
`;
    // WHEN parsed
    const catalog = parseCatalog(text, 'catalog.yaml');
    // THEN everything is kept in its normal form
    assert.deepEqual(catalog, {
      registries: [{ name: 'Charts', uid: 'abc123', url: 'https://charts.example.com' }],
      packs: [
        {
          name: 'web',
          version: '1.0.0',
          registry: 'Public Repo',
          charts: [{ name: 'nginx', version: '15.0.1', registry: 'Charts' }],
          manifests: [{ name: 'extra', content: 'kind: ConfigMap' }],
          values: { pack: { namespace: 'web' }, charts: { nginx: { replicaCount: 2 } } },
          presets: [{ name: 'ha', group: 'Availability', remove: ['charts.nginx.replicaCount'], add: { charts: { nginx: { replicaCount: 3 } } } }],
        },
      ],
      source: 'catalog.yaml',
    });
  });

  it('reads values as Helm reads YAML but names as YAML 1.2', () => {
    // GIVEN a pack whose registry is named "no" and whose values say yes and 0644
    const text = `${HEADER}packs:
  - name: p
    version: 1.0.0
    registry: no
    charts: [{name: c, repository: "https://x", version: 1.0.0}]
    values:
      charts:
        c: {enabled: yes, mode: 0644}
`;
    // WHEN parsed
    const pack = parseCatalog(text, 'c.yaml').packs[0];
    // THEN the registry name stays a string, the values get Helm's types
    assert.equal(pack.registry, 'no');
    assert.deepEqual(pack.values, { charts: { c: { enabled: true, mode: 420 } } });
  });

  it('reports every problem at once, naming the field', () => {
    // GIVEN a catalog with an unknown field, a train as chart version, a chart without a source,
    // a chart with two sources, a repeated chart and values for a chart the pack does not have
    const text = `${HEADER}registries:
  - name: Cilium
    url: https://helm.cilium.io
    kind: helm
packs:
  - name: cni
    version: 1.15.6
    charts:
      - name: cilium
        version: 1.15.x
      - name: cilium
        version: 1.0.0
        repository: https://x
        registry: Cilium
    values:
      charts:
        cilum: {}
  - name: cni
    version: 1.15.6
`;
    // WHEN parsed
    // THEN each problem is one line, in file order
    assert.deepEqual(problemsOf(() => parseCatalog(text, 'catalog.yaml')), [
      'catalog.yaml: registries[0].kind is not a known field; expected one of name, uid, url',
      'catalog.yaml: packs[0].charts[0].version "1.15.x" must be an exact chart version such as "1.15.6"',
      'catalog.yaml: packs[0].charts[0] needs repository (a URL) or registry (a registry name or uid)',
      'catalog.yaml: packs[0].charts[1] has both repository and registry; give one',
      'catalog.yaml: packs[0].charts lists chart "cilium" twice; chart names must be unique within a pack',
      'catalog.yaml: packs[0].values.charts.cilum names no chart of this pack (charts: "cilium")',
      'catalog.yaml: packs[1] repeats pack "cni" version "1.15.6" of packs[0]; each pack version may be listed once per registry',
    ]);
  });

  it('refuses a file that is not a catalog, naming what it found', () => {
    // GIVEN a profile file passed where a catalog belongs
    const text = 'apiVersion: cluster-profiles/v1\nkind: ClusterProfile\nname: x\n';
    // WHEN parsed as a catalog
    // THEN the error names the expected and the found apiVersion and kind
    assert.deepEqual(problemsOf(() => parseCatalog(text, 'p.yaml')), [
      'p.yaml: is not a pack catalog: expected apiVersion "cluster-profiles/v1" and kind "PackCatalog", found apiVersion "cluster-profiles/v1" and kind "ClusterProfile"',
    ]);
  });

  it('says when a version is a YAML number that should be quoted', () => {
    // GIVEN a pack version written 1.0, which YAML reads as a number
    const text = `${HEADER}packs:\n  - name: p\n    version: 1.0\n`;
    // WHEN parsed
    // THEN the message tells how to fix it
    assert.deepEqual(problemsOf(() => parseCatalog(text, 'c.yaml')), ['c.yaml: packs[0].version must be the pack version, found 1 (quote it in YAML: "1.0")']);
  });

  it('names an unreadable file', () => {
    // GIVEN a path that does not exist
    // WHEN loaded
    // THEN the error says so
    assert.deepEqual(problemsOf(() => loadCatalogFile('/nonexistent/catalog.yaml')), ['/nonexistent/catalog.yaml: cannot be read as a pack catalog: no such file']);
  });

  it('loads the example catalog', () => {
    // GIVEN examples/catalog.yaml
    // WHEN loaded
    const catalog = loadCatalogFile(join(ROOT, 'examples', 'catalog.yaml'));
    // THEN it lists its packs in order
    assert.deepEqual(
      catalog.packs.map((p) => `${p.name} ${p.version}: ${p.charts.map((c) => c.name).join(',')}|${p.manifests.map((m) => m.name).join(',')}`),
      [
        'edge-k3s 1.29.5: |',
        'cni-cilium-oss 1.15.6: cilium|',
        'csi-longhorn 1.6.2: longhorn|',
        'cert-manager 1.14.5: cert-manager|',
        'istio 1.22.1: base,istiod,gateway|',
        'podinfo 6.7.0: podinfo|',
        'hello-universe 1.2.0: |hello-universe',
      ],
    );
  });
});

describe('catalog lookups', () => {
  const catalog: PackCatalog = readCatalog({
    apiVersion: 'cluster-profiles/v1',
    kind: 'PackCatalog',
    registries: [
      { name: 'Public Repo', uid: 'pub-uid' },
      { name: 'Private', uid: 'priv-uid', url: 'oci://registry.example.com/charts' },
    ],
    packs: [
      { name: 'web', version: '1.0.0', registry: 'Public Repo' },
      { name: 'web', version: '1.0.0', registry: 'Private' },
      { name: 'web', version: '1.1.0', registry: 'Public Repo' },
      { name: 'db', version: '2.0.0' },
    ],
  });

  it('maps registry names and uids to URLs', () => {
    // GIVEN a catalog with one registry that has a URL
    // WHEN its URLs are listed
    // THEN both its name and its uid lead to it
    assert.deepEqual(catalogRegistryUrls(catalog), { 'priv-uid': 'oci://registry.example.com/charts', Private: 'oci://registry.example.com/charts' });
  });

  it('finds a pack by name, version and registry name or uid', () => {
    // GIVEN the same pack version in two registries
    // WHEN looked up by the uid of one of them
    const found = findPack(catalog, 'web', '1.0.0', 'priv-uid');
    // THEN that registry's entry is found
    assert.equal(found.found?.registry, 'Private');
  });

  it('explains why a pack is not found', () => {
    // GIVEN lookups that cannot succeed
    // WHEN made
    // THEN each reason is specific
    assert.deepEqual(
      [findPack(catalog, 'web', '1.0.0'), findPack(catalog, 'web', '1.1.0', 'Private'), findPack(catalog, 'web', '9.9.9'), findPack(catalog, 'cache', '1.0.0')].map((l) => ('reason' in l ? l.reason : 'found')),
      [
        'is listed in several registries of the catalog ("Public Repo", "Private"); name one in the layer\'s registry',
        'is in the catalog only for registry "Public Repo", not "Private"',
        'is not in the catalog, which has versions 1.0.0, 1.1.0',
        'is not in the catalog',
      ],
    );
  });

  it('lists the versions of a pack for version trains', () => {
    // GIVEN a pack in two versions
    // WHEN its versions are listed, with and without a registry
    // THEN each version appears once, in catalog order
    assert.deepEqual(listPackVersions(catalog, 'web'), ['1.0.0', '1.1.0']);
    assert.deepEqual(listPackVersions(catalog, 'web', 'Private'), ['1.0.0']);
    assert.equal(listPackVersions(catalog, 'cache'), undefined);
  });
});
