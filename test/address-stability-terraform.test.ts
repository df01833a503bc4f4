// Runs the real terraform binary (offline: terraform_data only), so it lives apart from the fast tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec } from '../src';
import { addOn, helmLayer, manifestLayer } from './helpers';
import { synth } from './synth-helpers';
import { standIns, terraform } from './terraform-stand-ins';

const scratch = mkdtempSync(join(tmpdir(), 'moves-terraform-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Applies `before`, then plans `after`: each resource change as `address <- previous: actions`. */
function planChange(name: string, before: ProfileSpec[], afterProfiles: ProfileSpec[]): string[] {
  const dir = join(scratch, name);
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(standIns(synth(before).json)));
  terraform(dir, 'init', '-input=false', '-no-color');
  terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(standIns(synth(afterProfiles).json)));
  terraform(dir, 'plan', '-input=false', '-no-color', '-out=change.plan');
  const plan = JSON.parse(terraform(dir, 'show', '-json', 'change.plan')) as { resource_changes: { address: string; previous_address?: string; change: { actions: string[] } }[] };
  return plan.resource_changes
    .filter((c) => c.previous_address !== undefined || c.change.actions.join() !== 'no-op')
    .map((c) => `${c.address}${c.previous_address !== undefined ? ` <- ${c.previous_address}` : ''}: ${c.change.actions.join('+')}`)
    .sort();
}

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: nginx}]\n';

/** Layer "db" and the manifest layer `appName`, whose manifest keeps its name ("web") whatever the layer's. */
function cluster(appName: string, appValues: string): ProfileSpec[] {
  return [addOn('p', [helmLayer('db', 'pack:\n  namespace: db\n'), manifestLayer(appName, DEPLOYMENT, appValues, { manifests: [{ name: 'web', content: DEPLOYMENT }] })])];
}

/** The pack block line that pins the one-kubernetes_manifest-per-document strategy; none for the default generated chart. */
const STRATEGIES = { chart: '', manifest: '  manifestStrategy: manifest\n' };

describe('renamed layers with real terraform (terraform_data stand-ins)', () => {
  for (const [strategy, pin] of Object.entries(STRATEGIES)) {
    it(`plans a rename with previousNames as moves, destroying nothing (${strategy} strategy)`, () => {
      // GIVEN a cluster applied with layer "app", then the same layer renamed "webapp" with previousNames [app]
      const changes = planChange(`with-moves-${strategy}`, cluster('app', `pack:\n  namespace: web\n${pin}`), cluster('webapp', `pack:\n  namespace: web\n${pin}  previousNames: [app]\n`));
      // THEN terraform moves the layer's resource and only updates the tier gate (its input lists layer
      // names): a document's object is unchanged, and so is the generated chart's release, which keeps
      // its Helm name and its chart (a folder named after the chart, with the same content)
      assert.deepEqual(changes, {
        chart: ['terraform_data.helm_release__webapp <- terraform_data.helm_release__app: no-op', 'terraform_data.terraform_data__tier_0: update'],
        manifest: [
          'terraform_data.kubernetes_manifest__webapp--deployment--web--web <- terraform_data.kubernetes_manifest__app--deployment--web--web: no-op',
          'terraform_data.terraform_data__tier_0: update',
        ],
      }[strategy]);
    });

    it(`plans the same rename without previousNames as destroy and create (what the moves prevent; ${strategy} strategy)`, () => {
      // GIVEN the same rename, without previousNames
      const changes = planChange(`without-moves-${strategy}`, cluster('app', `pack:\n  namespace: web\n${pin}`), cluster('webapp', `pack:\n  namespace: web\n${pin}`));
      // THEN terraform would delete the old resource and create a new one
      assert.deepEqual(changes, {
        chart: ['terraform_data.helm_release__app: delete', 'terraform_data.helm_release__webapp: create', 'terraform_data.terraform_data__tier_0: update'],
        manifest: [
          'terraform_data.kubernetes_manifest__app--deployment--web--web: delete',
          'terraform_data.kubernetes_manifest__webapp--deployment--web--web: create',
          'terraform_data.terraform_data__tier_0: update',
        ],
      }[strategy]);
    });
  }

  it('plans a layer leaving the manifest strategy for the generated chart as forgetting its objects, not destroying them', () => {
    // GIVEN a cluster applied with layer "app" pinned to one kubernetes_manifest per document, then with the default strategy
    const changes = planChange('strategy', cluster('app', `pack:\n  namespace: web\n${STRATEGIES.manifest}`), cluster('app', 'pack:\n  namespace: web\n'));
    // THEN terraform forgets the document's resource (the object stays in the cluster) and creates the
    // release that takes it over; nothing is deleted
    assert.deepEqual(changes, ['terraform_data.helm_release__app: create', 'terraform_data.kubernetes_manifest__app--deployment--web--web: forget']);
  });

  it('plans setting retainNamespace on an existing namespace as forgetting it, not destroying it', () => {
    // GIVEN a cluster applied with namespace "db" as a kubernetes_namespace_v1, then with pack.retainNamespace on its layer
    const changes = planChange('retain', cluster('app', 'pack:\n  namespace: web\n'), [
      addOn('p', [helmLayer('db', 'pack:\n  namespace: db\n  retainNamespace: true\n'), manifestLayer('app', DEPLOYMENT, 'pack:\n  namespace: web\n', { manifests: [{ name: 'web', content: DEPLOYMENT }] })]),
    ]);
    // THEN terraform forgets the namespace resource (the namespace stays in the cluster) and creates
    // the release that takes it over; the release of "db" only gains an edge, which is no change
    assert.deepEqual(changes, ['terraform_data.helm_release__namespace--db: create', 'terraform_data.kubernetes_namespace_v1__db: forget']);
  });
});
