import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineResolveOptions } from '../src/core/model/resolve-options';
import { PackCatalog } from '../src/core/model/catalog';

const SHARED_CATALOG: PackCatalog = { registries: [{ name: 'Shared' }], packs: [] };
const OWN_CATALOG: PackCatalog = { registries: [{ name: 'Own' }], packs: [] };

describe('combineResolveOptions: one set of resolve options over another', () => {
  it('merges registries, macros and variable values name by name, the second set winning', () => {
    // GIVEN a fleet's maps and a cluster's maps sharing one name each
    const shared = { registries: { a: 'https://a.example.com', b: 'https://b.example.com' }, macros: { region: 'eu', tier: 'gold' }, variableValues: { replicas: 2, host: 'db' } };
    const own = { registries: { b: 'https://mirror.example.com' }, macros: { region: 'us' }, variableValues: { replicas: 3 } };
    // WHEN the cluster's are combined over the fleet's
    const combined = combineResolveOptions(shared, own);
    // THEN every name is kept, the cluster's value where both give one
    assert.deepEqual(combined, {
      registries: { a: 'https://a.example.com', b: 'https://mirror.example.com' },
      catalog: undefined,
      clusterName: undefined,
      macros: { region: 'us', tier: 'gold' },
      variableValues: { replicas: 3, host: 'db' },
    });
  });

  it('replaces the catalog and the cluster name when the second set gives them, else keeps the first', () => {
    // GIVEN a first set with a catalog and a cluster name
    const first = { catalog: SHARED_CATALOG, clusterName: 'stack-name' };
    // WHEN combined with a set giving both, and with a set giving neither
    const replaced = combineResolveOptions(first, { catalog: OWN_CATALOG, clusterName: 'edge-1' });
    const kept = combineResolveOptions(first, {});
    // THEN the second set's win where given
    assert.equal(replaced.catalog, OWN_CATALOG);
    assert.equal(replaced.clusterName, 'edge-1');
    assert.equal(kept.catalog, SHARED_CATALOG);
    assert.equal(kept.clusterName, 'stack-name');
  });

  it('leaves a map undefined when neither set gives it, and gives an empty one when only an empty one is given', () => {
    // GIVEN no variable values anywhere, then an empty map of them on one side
    // WHEN combined
    // THEN "no values" stays undefined (required variables are then asked at plan time), while "values, none of them" stays a map
    assert.equal(combineResolveOptions({}, {}).variableValues, undefined);
    assert.deepEqual(combineResolveOptions({ variableValues: {} }, {}).variableValues, {});
  });

  it('reads only resolve options from objects that carry more (construct props)', () => {
    // GIVEN construct props holding resolve options among other properties
    const props = { name: 'edge-1', outputs: false, registries: { a: 'https://a.example.com' } };
    // WHEN combined over nothing
    // THEN only the resolve options come out
    assert.deepEqual(Object.keys(combineResolveOptions({}, props)).sort(), ['catalog', 'clusterName', 'macros', 'registries', 'variableValues']);
  });
});
