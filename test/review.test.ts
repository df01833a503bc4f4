import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planCluster } from '../src';
import { ProfileError } from '../src/core/model/errors';
import { reviewPlan } from '../src/core/report/review';
import { formatReviewMarkdown } from '../src/core/report/review-format';
import { readTerraformPlan } from '../src/core/input/terraform-plan';
import { objectsValues } from '../src/core/plan/manifest-chart';
import { addOn, helmLayer, manifestLayer, packValues, profileErrorOf, widgetCrd } from './helpers';
import { REPO } from './synth-helpers';

/** Hand-written in Terraform's JSON plan format (https://developer.hashicorp.com/terraform/internals/json-format). */
const FIXTURE = join(REPO, 'test', 'fixtures', 'terraform-plans', 'kubernetes-and-helm.json');
const EMPTY = planCluster([addOn('web', [helmLayer('web', 'pack:\n  namespace: web\n')])]);
const fixture = (): ReturnType<typeof readTerraformPlan> => readTerraformPlan(readFileSync(FIXTURE, 'utf8'), FIXTURE);

describe('reviewPlan on hand-written plans', () => {
  it('calls a deleted CRD destructive for every custom resource of its kind', () => {
    // GIVEN a kubernetes_manifest of a CRD deleted  WHEN reviewed  THEN the reason says what goes with it
    const c = reviewPlan(fixture(), EMPTY).changes.find((x) => x.kind === 'delete')!;
    assert.deepEqual([c.destructive, c.reason], [true, 'CRD CustomResourceDefinition widgets.example.com is deleted: every custom resource of that kind is deleted, cluster-wide']);
  });

  it('calls a release whose name changed a destructive replace, create-before-destroy included', () => {
    // GIVEN helm_release.web renamed web -> frontend (actions create, delete)  WHEN reviewed  THEN a mapped replace
    const c = reviewPlan(fixture(), EMPTY).changes.find((x) => x.address === 'helm_release.web')!;
    assert.deepEqual([c.kind, c.layer, c.profile, c.tier, c.destructive, c.reason], [
      'replace',
      'web',
      'web',
      'priority 0',
      true,
      'release replaced (name web -> frontend): Helm uninstalls web in web, deleting its objects, then installs frontend in web',
    ]);
  });

  it('leaves no-op entries out and keeps label patches, not destructive', () => {
    // GIVEN a no-op namespace and a label update  WHEN reviewed  THEN only the label update of the two is listed
    const r = reviewPlan(fixture(), EMPTY);
    assert.deepEqual(r.changes.map((c) => [c.address, c.destructive, c.reason]).slice(2), [['kubernetes_labels.web--labels--default', false, 'labels on namespace default change']]);
  });

  it('refuses a file that is not a Terraform JSON plan, naming the file and what was expected', () => {
    // GIVEN the binary plan's text instead of its JSON  WHEN read  THEN a ProfileError
    const err = profileErrorOf(() => readTerraformPlan('{"resource_changes": []}', 'plan.json'));
    assert.ok(ProfileError.isProfileError(err));
    assert.equal(err.message, 'plan.json: has no format_version; expected the output of `terraform show -json PLANFILE` (an object with format_version and resource_changes)');
  });

  it('refuses a change without actions, naming its place in resource_changes', () => {
    // GIVEN an entry without change.actions  WHEN read  THEN the message names the entry
    const text = JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'helm_release.a', type: 'helm_release', name: 'a', change: {} }] });
    assert.equal(
      profileErrorOf(() => readTerraformPlan(text, 'plan.json')).message,
      'plan.json: resource_changes[0] "helm_release.a" has no change.actions list; expected an object with address, type, name and change.actions (Terraform\'s JSON plan format)',
    );
  });
});

describe('reviewPlan on the releases of a chart layer', () => {
  // Layer ops: CRD widgets (its CRD release, helm_release.ops--crds) and ConfigMap settings (helm_release.ops).
  const OPS = planCluster([addOn('ops', [manifestLayer('ops', `${widgetCrd()}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n`, packValues('ops-b'))])]);
  const release = (address: string) => {
    const r = OPS.resources.find((x) => x.address === address);
    assert.ok(r !== undefined && r.role === 'manifest-chart');
    return r;
  };

  it('calls a CRD release replaced not destructive: Helm keeps its CRDs, and the new release takes them over', () => {
    // GIVEN the CRD release moving from namespace ops-a to ops-b (a replace)  WHEN reviewed  THEN no custom resource is deleted
    const change = { address: 'helm_release.ops--crds', resource: 'helm_release.ops--crds', type: 'helm_release', actions: ['delete', 'create'], before: { name: 'ops-crds', namespace: 'ops-a' }, after: { name: 'ops-crds', namespace: 'ops-b' } };
    const c = reviewPlan([change], OPS).changes[0];
    assert.deepEqual(
      [c.kind, c.layer, c.destructive, c.reason],
      ['replace', 'ops', false, 'release replaced (namespace ops-a -> ops-b): Helm uninstalls ops-crds in ops-a, which leaves its CRDs in the cluster (helm.sh/resource-policy: keep), then installs ops-crds in ops-b, which takes them over: no custom resource is deleted'],
    );
  });

  it('says which objects a release held is not known when its values listed none (made by an earlier version)', () => {
    // GIVEN the objects' release upgraded from values without clusterProfilesObjects  WHEN reviewed without --base  THEN no object list, and the reason says why
    const r = release('helm_release.ops');
    const change = { address: r.address, resource: r.address, type: 'helm_release', actions: ['update'], before: { name: 'ops', namespace: 'ops-b', version: '0.0.0-sha256-000000000000', values: [] }, after: { name: 'ops', namespace: 'ops-b', version: r.version, values: [objectsValues(r.manifestChart.digests)] } };
    const c = reviewPlan([change], OPS).changes[0];
    assert.deepEqual(
      [c.destructive, c.objects, c.reason],
      [false, null, `release ops is upgraded: version 0.0.0-sha256-000000000000 -> ${r.version}, values change; the objects it held are not known (its values listed none: made by an earlier version of the library); --base compares with the profiles before`],
    );
  });
});

describe('formatReviewMarkdown', () => {
  it('cuts what does not fit the comment limit with a count, never silently', () => {
    // GIVEN 400 layers created  WHEN formatted within 8,000 characters  THEN the comment fits and says how many sections were left out
    const layers = Array.from({ length: 400 }, (_, i) => helmLayer(`app-${String(i).padStart(3, '0')}`, `pack:\n  namespace: ns-${i}\n`));
    const plan = planCluster([addOn('many', layers)]);
    const changes = plan.resources.map((r) => ({ address: r.address, resource: r.address, type: r.type, actions: ['create'], before: null, after: null }));
    const text = formatReviewMarkdown(reviewPlan(changes, plan), 8000);
    assert.ok(text.length <= 8000, `${text.length} characters`);
    assert.match(text, /_\d+ more layer sections \(\d+ changes\) not shown \(the comment limit is 8000 characters\); run `cluster-profiles review --format json` for every change\._/);
    const shown = (text.match(/<details/g) ?? []).length;
    const left = Number(/_(\d+) more layer sections/.exec(text)![1]);
    assert.equal(shown + left, 401);
  });
});
