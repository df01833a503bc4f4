import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { App, DataResource, DataTerraformRemoteStateLocal, TerraformStack, TerraformVariable } from 'cdktf';
import { ClusterFleet, ClusterFleetProps, ClusterStack } from '../src';
import { buildFleet } from '../examples/fleet';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TfJson = Record<string, any>;

const scratch: string[] = [];
after(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh app writing into a scratch folder. */
function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'fleet-test-'));
  scratch.push(outdir);
  return new App({ outdir });
}

/** Synthesizes the app and reads every stack's `cdk.tf.json`, by stack name. */
function synthApp(app: App): Map<string, TfJson> {
  app.synth();
  const manifest = JSON.parse(readFileSync(join(app.outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const out = new Map<string, TfJson>();
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    out.set(name, JSON.parse(readFileSync(join(app.outdir, stack.synthesizedStackPath), 'utf8')) as TfJson);
  }
  return out;
}

/** The message of the Error `fn` throws; fails the test when it throws nothing. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error, but nothing was thrown');
}

const shared = addOn('observability', [
  helmLayer('exporter', `${packValues('probes', 10)}replicas: 1\nconfig:\n  timeout: 5s\n`, { registry: 'Charts', repository: undefined }),
  manifestLayer('dashboards', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: overview\ndata:\n  a: "1"\n', packValues('probes', 10)),
]);

function threeClusters(extra: Partial<ClusterFleetProps> = {}): ClusterFleetProps {
  return {
    profiles: [shared],
    registries: { Charts: 'https://charts.example.com' },
    clusters: [
      { name: 'alpha', kubeconfigPath: '/etc/kube/alpha.yaml' },
      { name: 'beta', kubeContext: 'beta-admin', layerValues: { exporter: { replicas: 3, config: { retries: 2 } } } },
      { name: 'gamma', connection: { host: 'https://10.0.0.7:6443', token: 'gamma-token', clusterCaCertificate: 'PEM' }, registries: { Charts: 'https://mirror.example.com/charts' } },
    ],
    ...extra,
  };
}

describe('ClusterFleet', () => {
  it('synthesizes one stack per cluster, named after the cluster, each with its own local state', () => {
    // GIVEN a fleet of three clusters sharing one add-on profile
    const app = newApp();
    new ClusterFleet(app, 'fleet', threeClusters());
    // WHEN the app is synthesized
    const stacks = synthApp(app);
    // THEN there are exactly three stacks, each keeping its state in its own file
    assert.deepEqual([...stacks.keys()], ['alpha', 'beta', 'gamma']);
    for (const [name, json] of stacks) {
      assert.equal(json.terraform.backend.local.path, join(process.cwd(), `terraform.${name}.tfstate`));
    }
  });

  it('gives every cluster the same layers of the shared profile', () => {
    // GIVEN the fleet
    const app = newApp();
    new ClusterFleet(app, 'fleet', threeClusters());
    // WHEN synthesized
    const stacks = synthApp(app);
    // THEN each stack holds the exporter's release, the release of the dashboards' generated chart, the namespace and the gate
    for (const json of stacks.values()) {
      assert.deepEqual(Object.keys(json.resource).sort(), ['helm_release', 'kubernetes_namespace_v1', 'terraform_data']);
      assert.deepEqual(Object.keys(json.resource.helm_release).sort(), ['dashboards', 'exporter']);
      // AND forgets, rather than destroys, the address the dashboards' document has with one kubernetes_manifest per document
      assert.deepEqual(json.removed, [{ from: 'kubernetes_manifest.dashboards--configmap--probes--overview', lifecycle: { destroy: false } }]);
    }
  });

  it('configures each cluster\'s providers from its own kubeconfig path, context or host and credentials', () => {
    // GIVEN clusters reached by a kubeconfig path, a context, and a host with a token
    const app = newApp();
    new ClusterFleet(app, 'fleet', threeClusters());
    // WHEN synthesized
    const stacks = synthApp(app);
    // THEN alpha reads its own kubeconfig file through the kubeconfig_path variable
    assert.deepEqual(stacks.get('alpha')!.provider, {
      helm: [{ kubernetes: { config_path: '${var.kubeconfig_path}' } }],
      kubernetes: [{ config_path: '${var.kubeconfig_path}' }],
    });
    assert.equal(stacks.get('alpha')!.variable.kubeconfig_path.default, '/etc/kube/alpha.yaml');
    // AND beta uses its context of the default kubeconfig
    assert.deepEqual(stacks.get('beta')!.provider, {
      helm: [{ kubernetes: { config_context: 'beta-admin', config_path: '${var.kubeconfig_path}' } }],
      kubernetes: [{ config_context: 'beta-admin', config_path: '${var.kubeconfig_path}' }],
    });
    assert.equal(stacks.get('beta')!.variable.kubeconfig_path.default, '~/.kube/config');
    // AND gamma has host and credentials and no kubeconfig variable
    const gamma = { cluster_ca_certificate: 'PEM', host: 'https://10.0.0.7:6443', token: 'gamma-token' };
    assert.deepEqual(stacks.get('gamma')!.provider, { helm: [{ kubernetes: gamma }], kubernetes: [gamma] });
    assert.equal(stacks.get('gamma')!.variable, undefined);
  });

  it('merges a cluster\'s layer values over the shared values for that cluster only', () => {
    // GIVEN beta overrides the exporter's replicas and adds a config key
    const app = newApp();
    new ClusterFleet(app, 'fleet', threeClusters());
    // WHEN synthesized
    const stacks = synthApp(app);
    // THEN beta's release gets the merged values, maps merged key by key
    const beta = stacks.get('beta')!.resource.helm_release.exporter.values as string[];
    assert.equal(beta.length, 1);
    assert.deepEqual(load(beta[0]), { config: { retries: 2, timeout: '5s' }, replicas: 3 });
    // AND the other clusters keep the shared values text exactly
    assert.deepEqual(stacks.get('alpha')!.resource.helm_release.exporter.values, ['replicas: 1\nconfig:\n  timeout: 5s\n']);
    assert.deepEqual(stacks.get('gamma')!.resource.helm_release.exporter.values, ['replicas: 1\nconfig:\n  timeout: 5s\n']);
  });

  it('takes a cluster\'s registry URLs over the fleet\'s', () => {
    // GIVEN gamma pulls the Charts registry from a mirror
    const app = newApp();
    new ClusterFleet(app, 'fleet', threeClusters());
    // WHEN synthesized
    const stacks = synthApp(app);
    // THEN gamma's release uses the mirror and the others the fleet's URL
    assert.equal(stacks.get('gamma')!.resource.helm_release.exporter.repository, 'https://mirror.example.com/charts');
    assert.equal(stacks.get('alpha')!.resource.helm_release.exporter.repository, 'https://charts.example.com');
  });

  it('reads host and credentials from a construct made in the cluster\'s own stack', () => {
    // GIVEN a connection read from the remote state of the configuration that built the cluster
    const app = newApp();
    new ClusterFleet(app, 'fleet', {
      profiles: [shared],
      registries: { Charts: 'https://charts.example.com' },
      clusters: [{
        name: 'managed',
        connection: (stack) => {
          const built = new DataTerraformRemoteStateLocal(stack, 'built', { path: '../cluster/terraform.tfstate' });
          const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'get-token', args: ['--cluster', built.getString('name')], env: { AWS_PROFILE: 'platform' } };
          return { host: built.getString('endpoint'), token: built.getString('token'), exec };
        },
      }],
    });
    // WHEN synthesized
    const json = synthApp(app).get('managed')!;
    // THEN the remote state is in the cluster's stack and both providers read from it, the exec
    // plugin's environment variable names unchanged
    assert.deepEqual(json.data.terraform_remote_state.built, { backend: 'local', config: { path: '../cluster/terraform.tfstate' } });
    const exec = { api_version: 'client.authentication.k8s.io/v1beta1', args: ['--cluster', '${data.terraform_remote_state.built.outputs.name}'], command: 'get-token', env: { AWS_PROFILE: 'platform' } };
    const reach = { host: '${data.terraform_remote_state.built.outputs.endpoint}', token: '${data.terraform_remote_state.built.outputs.token}' };
    assert.deepEqual(json.provider, { helm: [{ kubernetes: { ...reach, exec } }], kubernetes: [{ ...reach, exec: [exec] }] });
  });

  it('reads host and credentials from a managed cluster resource in another stack through cdktf\'s cross-stack references', () => {
    // GIVEN a stack that manages the cluster (a terraform_data stand-in for, say, an EKS cluster)
    const app = newApp();
    const infra = new TerraformStack(app, 'infra');
    const cluster = new DataResource(infra, 'cluster', { input: { endpoint: 'https://managed:6443' } });
    new ClusterFleet(app, 'fleet', {
      profiles: [shared],
      registries: { Charts: 'https://charts.example.com' },
      clusters: [{ name: 'managed', connection: { host: cluster.getStringAttribute('output.endpoint') } }],
    });
    // WHEN synthesized
    const stacks = synthApp(app);
    // THEN infra exports the endpoint and the cluster's providers read it from infra's state
    const exported = Object.values(stacks.get('infra')!.output as Record<string, { value: string }>).map((o) => o.value);
    assert.deepEqual(exported, ['${terraform_data.cluster.output.endpoint}']);
    const managed = stacks.get('managed')!;
    assert.deepEqual(Object.keys(managed.data.terraform_remote_state), ['cross-stack-reference-input-infra']);
    assert.equal(managed.provider.kubernetes[0].host, '${data.terraform_remote_state.cross-stack-reference-input-infra.outputs.cross-stack-output-terraform_dataclusteroutputendpoint}');
    assert.equal(managed.provider.helm[0].kubernetes.host, managed.provider.kubernetes[0].host);
  });

  it('gives each cluster its own variable values and macro values', () => {
    // GIVEN a shared profile using a variable, a user macro and the cluster-name macro
    const site = addOn('site', [
      helmLayer('web', 'pack:\n  namespace: web\ngreeting: "{{.spectro.var.greeting}}"\nsite: "{{.spectro.macro.site}} / {{.spectro.system.cluster.name}}"\n'),
    ]);
    const profile = { ...site, variables: [{ name: 'greeting', defaultValue: 'hello' }] };
    const app = newApp();
    new ClusterFleet(app, 'fleet', {
      profiles: [profile],
      macros: { site: 'shared-site' },
      clusters: [
        { name: 'one' },
        { name: 'two', variableValues: { greeting: 'hola' }, macros: { site: 'madrid' } },
      ],
    });
    // WHEN synthesized
    const stacks = synthApp(app);
    // THEN each stack's variable default is its own value, and the macros expand per cluster
    assert.equal(stacks.get('one')!.variable.greeting.default, 'hello');
    assert.equal(stacks.get('two')!.variable.greeting.default, 'hola');
    assert.deepEqual(stacks.get('one')!.resource.helm_release.web.values, ['greeting: "${var.greeting}"\nsite: "shared-site / one"\n']);
    assert.deepEqual(stacks.get('two')!.resource.helm_release.web.values, ['greeting: "${var.greeting}"\nsite: "madrid / two"\n']);
  });

  it('reports the problems of every cluster at once, each line naming its cluster', () => {
    // GIVEN two clusters with problems: an unknown registry and an override of a missing layer
    const app = newApp();
    const props = threeClusters({
      registries: {},
      clusters: [
        { name: 'alpha' },
        { name: 'beta', layerValues: { grafana: { replicas: 2 } } },
      ],
    });
    // WHEN the fleet is built
    const message = messageOf(() => new ClusterFleet(app, 'fleet', props));
    // THEN one error names both clusters and each problem
    assert.equal(message, [
      'ClusterFleet "fleet": 2 problems in the clusters\' profiles:',
      '  cluster "alpha": profile "observability" layer "exporter": registry "Charts" has no URL; pass --registry "Charts=URL" (known registries: none)',
      '  cluster "beta": layer "grafana": has value overrides, but no profile of this cluster has a layer of that name (its layers: "exporter", "dashboards")',
    ].join('\n'));
  });

  it('reports a problem of a profile shared by several clusters once, naming each cluster', () => {
    // GIVEN three clusters sharing a layer that uses a user macro none of them defines
    const profiles = [addOn('apps', [helmLayer('web', 'region: "{{ .spectro.macro.region }}"\n')])];
    const props = threeClusters({ profiles, clusters: threeClusters().clusters.map((c) => ({ ...c, layerValues: undefined })) });
    // WHEN the fleet is built
    const message = messageOf(() => new ClusterFleet(newApp(), 'fleet', props));
    // THEN the problem is one line naming the three clusters
    assert.equal(message, [
      'ClusterFleet "fleet": 1 problem in the clusters\' profiles:',
      '  clusters "alpha", "beta", "gamma": profile "apps" layer "web": values macro {{ .spectro.macro.region }} cannot be resolved: user macro "region" is not defined; pass --macro region=VALUE or list it in --macro-file (defined: none)',
    ].join('\n'));
  });

  it('refuses two clusters of the same name', () => {
    // GIVEN two clusters named alpha
    const props = threeClusters({ clusters: [{ name: 'alpha' }, { name: 'alpha', kubeContext: 'other' }] });
    // WHEN the fleet is built THEN the duplicate is named
    assert.equal(messageOf(() => new ClusterFleet(newApp(), 'fleet', props)), 'ClusterFleet "fleet": cluster "alpha" is listed twice; each cluster needs its own name, stack and state');
  });

  it('refuses a cluster name that cannot name a stack', () => {
    // GIVEN a cluster name with a space
    const props = threeClusters({ clusters: [{ name: 'store 1' }] });
    // WHEN the fleet is built THEN the name and the expected form are given
    assert.equal(
      messageOf(() => new ClusterFleet(newApp(), 'fleet', props)),
      'ClusterFleet "fleet": cluster name "store 1" must be letters, digits, \'-\' and \'_\', starting with a letter or digit (it names the cluster\'s stack)',
    );
  });

  it('refuses a fleet without clusters', () => {
    // GIVEN no clusters
    const props = threeClusters({ clusters: [] });
    // WHEN the fleet is built THEN it says what is missing
    assert.equal(messageOf(() => new ClusterFleet(newApp(), 'fleet', props)), 'ClusterFleet "fleet": clusters must list at least one cluster, found []');
  });

  it('refuses a connection together with a kubeconfig setting', () => {
    // GIVEN a cluster with both a connection and a kubeconfig context
    const props = threeClusters({ clusters: [{ name: 'alpha', kubeContext: 'alpha', connection: { host: 'https://alpha:6443' } }] });
    // WHEN the fleet is built THEN the conflict is named
    assert.equal(messageOf(() => new ClusterFleet(newApp(), 'fleet', props)), 'ClusterStack "alpha": give either connection or kubeconfigPath/kubeContext, not both');
  });

  it('refuses a connection without a host', () => {
    // GIVEN a connection with an empty host
    const props = threeClusters({ clusters: [{ name: 'alpha', connection: { host: '', token: 't' } }] });
    // WHEN the fleet is built THEN the field and the value found are named
    assert.equal(messageOf(() => new ClusterFleet(newApp(), 'fleet', props)), 'ClusterStack "alpha": connection.host must be the API server\'s URL, found ""');
  });

  it('refuses to be created inside a stack', () => {
    // GIVEN a stack
    const stack = new TerraformStack(newApp(), 'outer');
    // WHEN a fleet is created in it THEN it asks for the App
    assert.equal(messageOf(() => new ClusterFleet(stack, 'fleet', threeClusters())), 'ClusterFleet "fleet" is inside stack "outer"; create it in the App, since each cluster gets its own stack');
  });

  it('passes a connection given as a Terraform variable through as a reference', () => {
    // GIVEN a ClusterStack whose token is a sensitive variable of the stack
    const app = newApp();
    const stack = new ClusterStack(app, 'solo', {
      profiles: [shared],
      registries: { Charts: 'https://charts.example.com' },
      connection: (s) => ({
        host: 'https://solo:6443',
        token: new TerraformVariable(s, 'cluster_token', { type: 'string', sensitive: true }).stringValue,
      }),
    });
    // WHEN synthesized
    const json = synthApp(app).get('solo')!;
    // THEN the token is a reference, never a value in the file
    assert.equal(stack.node.id, 'solo');
    assert.deepEqual(json.provider.kubernetes, [{ host: 'https://solo:6443', token: '${var.cluster_token}' }]);
    assert.deepEqual(json.variable, { cluster_token: { sensitive: true, type: 'string' } });
  });
});

describe('examples/fleet.ts', () => {
  it('synthesizes three stacks with their own providers and overrides', () => {
    // GIVEN the fleet example
    const app = newApp();
    const fleet = buildFleet(app);
    // WHEN synthesized
    const stacks = synthApp(app);
    // THEN three stacks, one per cluster
    assert.deepEqual([...stacks.keys()].sort(), ['cloud-eu', 'store-berlin', 'store-lisbon']);
    assert.deepEqual([...fleet.stacks.keys()], ['store-berlin', 'store-lisbon', 'cloud-eu']);
    // AND each reaches its cluster its own way
    assert.equal(stacks.get('store-berlin')!.variable.kubeconfig_path.default, '~/.kube/store-berlin.yaml');
    assert.equal(stacks.get('store-lisbon')!.provider.kubernetes[0].config_context, 'store-lisbon');
    assert.equal(stacks.get('cloud-eu')!.provider.kubernetes[0].host, '${data.terraform_remote_state.eks.outputs.cluster_endpoint}');
    // AND the overrides reach only their cluster
    const replicas = (name: string): string => stacks.get(name)!.resource.helm_release['ingress-nginx'].values[0].match(/replicaCount: (\d+)/)[1];
    assert.equal(replicas('store-berlin'), '3');
    assert.equal(replicas('store-lisbon'), '1');
    assert.equal(stacks.get('cloud-eu')!.resource.helm_release['ingress-nginx'], undefined);
    assert.equal(stacks.get('store-lisbon')!.resource.helm_release['blackbox-exporter'].repository, 'https://charts.lisbon.example.com/prometheus-community');
    assert.equal(stacks.get('store-berlin')!.resource.helm_release['blackbox-exporter'].repository, 'https://prometheus-community.github.io/helm-charts');
  });
});
