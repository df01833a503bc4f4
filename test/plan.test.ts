import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCluster } from '../src';
import { addOn, helmLayer, packValues } from './helpers';

describe('planInstall', () => {
  it('groups layers of equal priority into one tier and orders tiers by priority, lowest first', () => {
    // GIVEN three layers at priorities 10, -5 and 10
    const profiles = [addOn('p', [helmLayer('b', packValues('b', 10)), helmLayer('a', packValues('a', -5)), helmLayer('c', packValues('c', 10))])];
    // WHEN planned
    const plan = planCluster(profiles);
    // THEN two tiers, -5 then 10, with the equal-priority layers together
    assert.deepEqual(
      plan.tiers.map((t) => [t.priority, t.layers.map((l) => l.name)]),
      [
        [-5, ['a']],
        [10, ['b', 'c']],
      ],
    );
  });
});
