import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import { ClusterStack, DEFAULT_TIMEOUT_SECONDS, ProfileSpec, planCluster } from '../src';
import { ProblemList, ProfileError } from '../src/core/model/errors';
import { kubectlObject, kubectlWaitCommand, kubectlWaits, readReadinessRules, readinessFor } from '../src/core/resolve/readiness';
import { addOn, manifestLayer } from './helpers';
import { TfJson, profileErrorOf, synth, testApp } from './synth-helpers';
import { ManifestDocument } from '../src/core/model/resolved';

const CERTIFICATE = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: platform-ca\nspec:\n  isCA: true\n  secretName: platform-ca\n  issuerRef: {name: selfsigned, kind: ClusterIssuer}\n';
const ISSUER = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: selfsigned\nspec:\n  selfSigned: {}\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n';

/** cert-manager (a Helm layer declaring its CRDs) at -10, and the issuers layer at 0 with `lines` in its pack block. */
function issuers(content = `${ISSUER}---\n${CERTIFICATE}`, lines: string[] = [], timeoutSeconds?: number): ProfileSpec[] {
  return [
    addOn('pki', [
      { kind: 'helm', name: 'cert-manager', version: '1.14.5', repository: 'https://charts.jetstack.io', values: 'pack:\n  namespace: cert-manager\n  spectrocloud.com/install-priority: -10\n  providesCrds: "*.cert-manager.io"\n' },
      manifestLayer('issuers', content, ['pack:', '  namespace: pki', ...lines.map((l) => `  ${l}`), ''].join('\n'), timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ]),
  ];
}

const READY_RULES = ['readiness:', '  - {kind: Certificate, group: cert-manager.io, condition: Ready}', '  - {kind: ClusterIssuer, condition: Ready}'];

function doc(apiVersion: string, kind: string, name: string, namespace?: string): ManifestDocument {
  return { manifest: 'm', position: 1, apiVersion, kind, name, ...(namespace !== undefined ? { namespace } : {}), object: {} };
}

describe('readinessFor: what a kubernetes_manifest waits for', () => {
  const cases: (readonly [string, string, unknown])[] = [
    ['apps/v1', 'Deployment', { rollout: true }],
    ['apps/v1', 'StatefulSet', { rollout: true }],
    ['apps/v1', 'DaemonSet', { rollout: true }],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', { condition: { type: 'Established', status: 'True' } }],
    ['batch/v1', 'Job', { condition: { type: 'Complete', status: 'True' } }],
    ['apiregistration.k8s.io/v1', 'APIService', { condition: { type: 'Available', status: 'True' } }],
    ['v1', 'Pod', { condition: { type: 'Ready', status: 'True' } }],
    ['batch/v1', 'CronJob', undefined],
    ['v1', 'ConfigMap', undefined],
    ['cert-manager.io/v1', 'Certificate', undefined],
    ['example.com/v1', 'Deployment', undefined],
  ];
  for (const [apiVersion, kind, expected] of cases) {
    it(`waits for ${JSON.stringify(expected) ?? 'nothing'} on ${apiVersion} ${kind} unless declared`, () => {
      // GIVEN a kind and no declared rule WHEN asked THEN the built-in wait
      assert.deepEqual(readinessFor({ apiVersion, kind }), expected);
    });
  }

  it('waits for a declared condition, restricted to its group when one is given', () => {
    // GIVEN a rule for cert-manager's Certificate, one for any Widget, and one overriding Deployments
    const rules = readReadinessRules(
      [{ kind: 'Certificate', group: 'cert-manager.io', condition: 'Ready' }, { kind: 'Widget', condition: 'Synced', status: 'False' }, { kind: 'Deployment', condition: 'Available' }],
      {},
      new ProblemList(),
    );
    // WHEN asked THEN the declared condition, and nothing for a Certificate of another group
    assert.deepEqual(readinessFor({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate' }, rules), { condition: { type: 'Ready', status: 'True' } });
    assert.deepEqual(readinessFor({ apiVersion: 'example.com/v2', kind: 'Widget' }, rules), { condition: { type: 'Synced', status: 'False' } });
    assert.deepEqual(readinessFor({ apiVersion: 'apps/v1', kind: 'Deployment' }, rules), { condition: { type: 'Available', status: 'True' } });
    assert.equal(readinessFor({ apiVersion: 'other.io/v1', kind: 'Certificate' }, rules), undefined);
  });
});

describe('pack.readiness', () => {
  it('names every entry that is not a rule', () => {
    // GIVEN a kind with a dot, a status "yes", an unknown key and a string entry
    const problems = new ProblemList();
    readReadinessRules([{ kind: 'cert.Certificate', condition: 'Ready' }, { kind: 'Issuer', condition: 'Ready', status: 'yes' }, { kind: 'Issuer', condition: 'Ready', timeout: 5 }, 'Ready'], { profile: 'p', layer: 'l' }, problems);
    // WHEN thrown THEN one line each, naming the field
    assert.throws(() => problems.throwIfAny(), (err: ProfileError) => {
      assert.deepEqual(err.message.split('\n'), [
        'profile "p" layer "l": pack.readiness[0].kind "cert.Certificate" must be a Kubernetes kind such as "Certificate" (letters and digits)',
        'profile "p" layer "l": pack.readiness[1].status "yes" must be "True", "False" or "Unknown" (quote it in YAML), or be left out for "True"',
        'profile "p" layer "l": pack.readiness[2].timeout is not a known field; expected one of kind, group, condition, status',
        'profile "p" layer "l": pack.readiness[3] must be a map {kind, group, condition, status} such as {kind: Certificate, condition: Ready}, found "Ready"',
      ]);
      return true;
    });
  });

  it('refuses a rule that names no document of the layer', () => {
    // GIVEN a rule for Issuers in a layer holding a ClusterIssuer and a Certificate
    const profiles = issuers(undefined, ['readiness:', '  - {kind: Issuer, condition: Ready}']);
    // WHEN planned THEN the rule is named
    assert.equal(
      profileErrorOf(() => planCluster(profiles)).message,
      'profile "pki" layer "issuers": pack.readiness[0] names kind Issuer, but no manifest document of the layer is of that kind; pack.readiness applies to the layer\'s own manifest documents',
    );
  });

  it('refuses a list given as a map', () => {
    // GIVEN readiness: {Certificate: Ready} WHEN planned THEN the expected form is shown
    assert.equal(
      profileErrorOf(() => planCluster(issuers(undefined, ['readiness: {Certificate: Ready}']))).message,
      'profile "pki" layer "issuers": pack.readiness must be a list of {kind, group, condition, status} such as [{kind: Certificate, condition: Ready}], found {"Certificate":"Ready"}',
    );
  });
});

describe('readiness of kubernetes_manifest resources', () => {
  it('waits for rollouts and declared conditions within the layer\'s budget', () => {
    // GIVEN the issuers as kubernetes_manifest (asked for), with rules, a Deployment, and a budget of 900 s
    const profiles = issuers(`${ISSUER}---\n${CERTIFICATE}---\n${DEPLOYMENT}`, ['manifestStrategy: manifest', ...READY_RULES], 900);
    // WHEN synthesized
    const manifests = synth(profiles).json.resource.kubernetes_manifest as Record<string, TfJson>;
    // THEN each waits for its condition or rollout, bounded by 900 s on create, update and delete
    const waits = Object.fromEntries(Object.entries(manifests).map(([name, m]) => [name, [m.wait, m.timeouts]]));
    const timeouts = { create: '900s', delete: '900s', update: '900s' };
    assert.deepEqual(waits, {
      'issuers--certificate--pki--platform-ca': [{ condition: [{ status: 'True', type: 'Ready' }] }, timeouts],
      'issuers--clusterissuer--selfsigned': [{ condition: [{ status: 'True', type: 'Ready' }] }, timeouts],
      'issuers--deployment--pki--web': [{ rollout: true }, timeouts],
    });
  });
});

describe('readiness of generated charts', () => {
  it('waits with Helm for workloads and jobs within the layer\'s budget, by default 600 seconds', () => {
    // GIVEN the issuers as a generated chart, without and with a budget of 900 s
    const release = (profiles: ProfileSpec[]): TfJson => synth(profiles).json.resource.helm_release.issuers;
    // WHEN synthesized THEN wait and wait_for_jobs with the timeout
    assert.equal(DEFAULT_TIMEOUT_SECONDS, 600);
    const pick = (r: TfJson): unknown[] => [r.wait, r.wait_for_jobs, r.timeout];
    assert.deepEqual(pick(release(issuers())), [true, true, 600]);
    assert.deepEqual(pick(release(issuers(undefined, [], 900))), [true, true, 900]);
  });

  it('checks declared conditions with kubectl wait after the release, before the tier\'s gate', () => {
    // GIVEN the issuers with rules for the Certificate and the ClusterIssuer, kubectl reading a kubeconfig and context
    const { json } = synth(issuers(undefined, READY_RULES, 900), { kubectl: { kubeconfig: '/etc/kube/edge.yaml', context: 'edge admin' } });
    // WHEN synthesized
    const check = json.resource.terraform_data['ready--issuers'];
    // THEN one terraform_data runs kubectl wait per condition and namespace, after the release, within the budget
    assert.deepEqual(check, {
      depends_on: ['helm_release.issuers'],
      input: { kubeconfig: '/etc/kube/edge.yaml' },
      provisioner: [
        {
          'local-exec': {
            command:
              "kubectl wait --for=condition=Ready=True --timeout=900s --context 'edge admin' clusterissuer.v1.cert-manager.io/selfsigned && kubectl wait --for=condition=Ready=True --timeout=900s --context 'edge admin' --namespace pki certificate.v1.cert-manager.io/platform-ca",
            environment: { KUBECONFIG: '${self.input.kubeconfig}' },
            interpreter: ['/bin/sh', '-c'],
          },
        },
      ],
      triggers_replace: { chartVersion: json.resource.helm_release.issuers.version, release: 'issuers' },
    });
    // AND the tier's gate waits for the check, so the next tier starts only once the conditions hold
    assert.deepEqual(json.resource.terraform_data.tier_0.depends_on, ['helm_release.issuers', 'kubernetes_namespace_v1.pki', 'terraform_data.ready--issuers', 'terraform_data.tier_-10']);
  });

  it('leaves kubectl to its own kubeconfig and context when none is given', () => {
    // GIVEN the rules and no kubectl access WHEN synthesized
    const check = synth(issuers(undefined, READY_RULES)).json.resource.terraform_data['ready--issuers'];
    // THEN no input and no environment
    assert.deepEqual([check.input, check.provisioner[0]['local-exec'].environment], [undefined, undefined]);
  });

  it('adds no check when no rule is declared', () => {
    // GIVEN the issuers without rules WHEN synthesized THEN only gates are terraform_data
    assert.deepEqual(Object.keys(synth(issuers()).json.resource.terraform_data), ['tier_-10', 'tier_0']);
  });
});

describe('kubectl wait commands', () => {
  it('groups objects by namespace and condition, cluster-scoped ones without --namespace', () => {
    // GIVEN two Certificates in two namespaces, a ClusterIssuer and a Pod, with rules for all three kinds
    const rules = readReadinessRules([{ kind: 'Certificate', condition: 'Ready' }, { kind: 'ClusterIssuer', condition: 'Ready' }, { kind: 'Pod', condition: 'Ready' }], {}, new ProblemList());
    const documents = [doc('cert-manager.io/v1', 'Certificate', 'b', 'one'), doc('cert-manager.io/v1', 'Certificate', 'a', 'two'), doc('cert-manager.io/v1', 'Certificate', 'c', 'one'), doc('cert-manager.io/v1', 'ClusterIssuer', 'ca'), doc('v1', 'Pod', 'p', 'one'), doc('v1', 'ConfigMap', 'x', 'one')];
    // WHEN turned into a command
    const command = kubectlWaitCommand(kubectlWaits(documents, rules), 60);
    // THEN one call per namespace and condition, objects sorted
    assert.deepEqual(command.split(' && '), [
      'kubectl wait --for=condition=Ready=True --timeout=60s clusterissuer.v1.cert-manager.io/ca',
      'kubectl wait --for=condition=Ready=True --timeout=60s --namespace one certificate.v1.cert-manager.io/b certificate.v1.cert-manager.io/c pod/p',
      'kubectl wait --for=condition=Ready=True --timeout=60s --namespace two certificate.v1.cert-manager.io/a',
    ]);
  });

  it('names objects as kubectl resolves them: kind, version and group', () => {
    // GIVEN a custom and a core object WHEN named THEN kind.version.group/name, or kind/name
    assert.equal(kubectlObject({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'HTTPRoute', name: 'web' }), 'httproute.v1beta1.gateway.networking.k8s.io/web');
    assert.equal(kubectlObject({ apiVersion: 'v1', kind: 'Pod', name: 'web' }), 'pod/web');
  });
});

describe('ClusterStack and kubectl', () => {
  it('gives kubectl the providers\' kubeconfig and context', () => {
    // GIVEN a stack reaching the cluster through a kubeconfig context, with readiness rules
    const stack = new ClusterStack(testApp(), 'edge', { profiles: issuers(undefined, READY_RULES), kubeContext: 'edge-admin' });
    // WHEN synthesized
    const check = JSON.parse(Testing.synth(stack)).resource.terraform_data['ready--issuers'];
    // THEN kubectl reads the expanded kubeconfig_path and uses the context
    assert.deepEqual(check.input, { kubeconfig: '${pathexpand(var.kubeconfig_path)}' });
    assert.match(check.provisioner[0]['local-exec'].command, /^kubectl wait --for=condition=Ready=True --timeout=600s --context edge-admin clusterissuer/);
  });

  it('refuses readiness rules when the cluster is reached by a connection kubectl cannot use', () => {
    // GIVEN a connection by host and token, and readiness rules
    // WHEN the stack is built THEN the layers and the ways out are named
    assert.throws(() => new ClusterStack(testApp(), 'cloud', { profiles: issuers(undefined, READY_RULES), connection: { host: 'https://10.0.0.1:6443', token: 't' } }), {
      message: 'ClusterStack "cloud": layers "issuers" declare pack.readiness, which kubectl checks after their release, and kubectl cannot use a connection; set kubectl (a kubeconfig and context for this cluster), remove pack.readiness, or give those layers pack.manifestStrategy: manifest (one kubernetes_manifest per document, which waits for the conditions itself)',
    });
    // AND with kubectl set it is built
    assert.ok(new ClusterStack(testApp(), 'cloud2', { profiles: issuers(undefined, READY_RULES), connection: { host: 'https://10.0.0.1:6443', token: 't' }, kubectl: { kubeconfig: '/k' } }) instanceof TerraformStack);
  });
});
