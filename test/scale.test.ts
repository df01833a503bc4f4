import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayerSpec } from '../src';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';
import { TfJson, createOrder, dependencyGraph, synth } from './synth-helpers';

const TIERS = 5;

/** `count` layers spread over five priorities, alternating Helm and two-document manifest layers, each in its own namespace. */
function generatedLayers(count: number): LayerSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `layer-${i}`;
    const values = packValues(name, (i % TIERS) * 10, 'replicas: 1\n');
    return i % 2 === 0
      ? helmLayer(name, values)
      : manifestLayer(name, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n`, values);
  });
}

/** How many `depends_on` references the configuration holds. */
function referenceCount(json: TfJson): number {
  let refs = 0;
  for (const byName of Object.values(json.resource as Record<string, Record<string, { depends_on?: string[] }>>)) {
    for (const body of Object.values(byName)) refs += body.depends_on?.length ?? 0;
  }
  return refs;
}

describe('ordering cost grows linearly with the cluster', () => {
  for (const layers of [10, 100, 1000]) {
    it(`holds at most 3 depends_on references per resource for ${layers} layers in ${TIERS} tiers`, () => {
      // GIVEN a generated cluster
      const profiles = [addOn('generated', generatedLayers(layers))];
      // WHEN synthesized
      const { json, construct } = synth(profiles, { outputs: false });
      // THEN one gate per tier, an acyclic graph, and references linear in the number of resources
      const resources = construct.plan.resources.length;
      const refs = referenceCount(json);
      assert.equal(construct.plan.tiers.length, TIERS);
      assert.equal(Object.keys(json.resource.terraform_data).length, TIERS);
      assert.equal(createOrder(dependencyGraph(json)).length, resources);
      assert.ok(refs <= 3 * resources, `${refs} references for ${resources} resources`);
      // AND edges from every resource to every resource of the tier before would break that bound from 100 layers on
      const perTier = construct.plan.tiers.map((_, t) => construct.plan.resources.filter((r) => r.tier === t && r.type !== 'terraform_data').length);
      const allToAll = perTier.slice(1).reduce((sum, size, t) => sum + size * perTier[t], 0);
      if (layers >= 100) assert.ok(allToAll > 3 * resources, `all-to-all would need ${allToAll} references`);
    });
  }
});
