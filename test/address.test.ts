import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCluster } from '../src';
import { addressOf, formatAddress, parseAddress, resourceInPlan } from '../src/core/model/address';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';

describe('formatAddress', () => {
  it('writes type and name joined by a dot', () => {
    // GIVEN a type and a name  WHEN formatted  THEN the address Terraform writes
    assert.equal(formatAddress({ type: 'helm_release', name: 'cert-manager' }), 'helm_release.cert-manager');
    assert.equal(addressOf('terraform_data', 'tier_infra-cni'), 'terraform_data.tier_infra-cni');
  });
});

describe('parseAddress', () => {
  it('reads back what formatAddress wrote', () => {
    // GIVEN a root-module address  WHEN parsed  THEN its type and name
    assert.deepEqual(parseAddress('kubernetes_manifest.app--configmap--app--settings'), { type: 'kubernetes_manifest', name: 'app--configmap--app--settings' });
  });

  for (const text of ['helm_release', 'helm_release.', '.x', 'module.a.helm_release.x', 'helm_release.x["a"]', 'helm_release.1x', '1a.x', 'a b.c']) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      // GIVEN text that is not `type.name` of Terraform identifiers  WHEN parsed  THEN undefined
      assert.equal(parseAddress(text), undefined);
    });
  }
});

describe('resourceInPlan', () => {
  const cases: [string, string][] = [
    ['helm_release.web', 'helm_release.web'],
    ['module.edge.helm_release.web', 'helm_release.web'],
    ['module.a.module.b.kubernetes_namespace_v1.apps', 'kubernetes_namespace_v1.apps'],
    ['helm_release.web["a.b"]', 'helm_release.web'],
    ['module.edge["x"].helm_release.web[0]', 'helm_release.web'],
    ['data.kubernetes_namespace_v1.apps', 'kubernetes_namespace_v1.apps'],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${text} as ${expected}`, () => {
      // GIVEN an address as a Terraform plan writes it  WHEN read  THEN the resource as the profiles address it
      assert.equal(resourceInPlan(text), expected);
    });
  }
});

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: site\nspec:\n  selector:\n    matchLabels: {app: site}\n  template:\n    metadata:\n      labels: {app: site}\n    spec:\n      containers: [{name: site, image: nginx}]\n';

describe('addresses of a plan', () => {
  it('are every planned resource written from its type and name, and read back to them', () => {
    // GIVEN a plan with every kind of resource: releases, a generated chart and its readiness check, manifests, namespaces, patches, gates
    const plan = planCluster([
      addOn('p', [
        helmLayer('web', packValues('web', 10, '  namespaceLabels:\n    default: "team=web"\n')),
        manifestLayer('app', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n', packValues('app', 20, '  manifestStrategy: manifest\n')),
        manifestLayer('site', DEPLOYMENT, packValues('site', 30, '  readiness:\n    - {kind: Deployment, condition: Available}\n')),
      ]),
    ]);
    // THEN each address is formatAddress of its type and name, and parses back to them
    assert.deepEqual(
      plan.resources.map((r) => r.address),
      [
        'helm_release.web',
        'kubernetes_labels.web--default',
        'kubernetes_namespace_v1.web',
        'terraform_data.tier_10',
        'kubernetes_manifest.app--configmap--app--settings',
        'kubernetes_namespace_v1.app',
        'terraform_data.tier_20',
        'helm_release.site',
        'kubernetes_namespace_v1.site',
        'terraform_data.ready--site',
        'terraform_data.tier_30',
      ],
    );
    for (const r of plan.resources) {
      assert.equal(r.address, formatAddress(r));
      assert.deepEqual(parseAddress(r.address), { type: r.type, name: r.name });
    }
    assert.deepEqual(plan.tiers.map((t) => t.gate), ['terraform_data.tier_10', 'terraform_data.tier_20', 'terraform_data.tier_30']);
  });
});
