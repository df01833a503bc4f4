import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileSpec, overrideLayerValues } from '../src';
import { addOn, helmLayer } from './helpers';
import { profileErrorOf } from './synth-helpers';

const profile = (): ProfileSpec => addOn('shared', [
  helmLayer('web', 'pack:\n  namespace: web\nreplicas: 1\nlabels:\n  tier: front\nextra: [a, b]\nenabled: yes\n'),
  helmLayer('db', { replicas: 1 }),
]);

describe('overrideLayerValues', () => {
  it('merges maps key by key, replaces lists and scalars, and keeps null (Helm deletes the key)', () => {
    // GIVEN a layer with values text and an override
    const profiles = [profile()];
    // WHEN the override is applied
    const [result] = overrideLayerValues(profiles, { web: { replicas: 3, labels: { team: 'a' }, extra: ['c'], enabled: null } });
    // THEN the values are the merge, read as Helm reads YAML (yes is true)
    assert.deepEqual(result.layers[0].values, { pack: { namespace: 'web' }, replicas: 3, labels: { tier: 'front', team: 'a' }, extra: ['c'], enabled: null });
    // AND the layer without an override is the same object
    assert.equal(result.layers[1], profiles[0].layers[1]);
  });

  it('leaves the given profiles untouched, so other clusters sharing them keep their values', () => {
    // GIVEN a shared profile
    const shared = profile();
    const before = JSON.stringify(shared);
    // WHEN one cluster overrides a layer's namespace through the pack block
    const [result] = overrideLayerValues([shared], { web: { pack: { namespace: 'web-2' } } });
    // THEN the copy changed and the original did not
    assert.deepEqual((result.layers[0].values as Record<string, unknown>).pack, { namespace: 'web-2' });
    assert.equal(JSON.stringify(shared), before);
  });

  it('refuses an override of a layer the profiles do not have, listing the layers', () => {
    // GIVEN an override naming a missing layer
    // WHEN applied THEN the error names it and lists the layers
    const err = profileErrorOf(() => overrideLayerValues([profile()], { cache: { replicas: 2 } }));
    assert.equal(err.message, 'layer "cache": has value overrides, but no profile of this cluster has a layer of that name (its layers: "web", "db")');
  });

  it('refuses an override that is not a map', () => {
    // GIVEN an override given as a string
    const overrides = { web: 'replicas: 2' } as unknown as Record<string, Record<string, unknown>>;
    // WHEN applied THEN the error names the layer and what was found
    const err = profileErrorOf(() => overrideLayerValues([profile()], overrides));
    assert.equal(err.message, 'layer "web": values override must be a map of values, found "replicas: 2"');
  });

  it('leaves a layer whose values do not parse as it is, for the resolution to report', () => {
    // GIVEN a layer with broken values text
    const broken = addOn('p', [helmLayer('web', 'replicas: [1\n')]);
    // WHEN overridden
    const [result] = overrideLayerValues([broken], { web: { replicas: 2 } });
    // THEN its values are the original text
    assert.equal(result.layers[0].values, 'replicas: [1\n');
  });
});
