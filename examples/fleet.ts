/**
 * The fleet example: the `team-observability` add-on profile on three clusters, each in its own
 * stack with its own state, providers and overrides.
 *
 * - `store-berlin` and `store-lisbon` are edge clusters running the `edge-platform` full profile,
 *   reached through a kubeconfig file and a kubeconfig context respectively;
 * - `cloud-eu` is a managed EKS cluster built by another Terraform configuration: its address and
 *   certificate come from that configuration's state, its token from `aws eks get-token`.
 *
 * `npm run fleet` (or `cdktf synth --app "npx tsc -p . && node dist/examples/fleet.js"`) writes
 * `cdktf.out/fleet/stacks/{store-berlin,store-lisbon,cloud-eu}/cdk.tf.json` (under
 * `$CDKTF_OUTDIR` when cdktf sets it).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, DataTerraformRemoteStateS3, Fn } from 'cdktf';
import { ClusterFleet, loadProfileFiles } from '../src';

const dir = join(__dirname, '..', '..', 'examples', 'profiles');

/** Builds the fleet in `app`. */
export function buildFleet(app: App): ClusterFleet {
  const registries = JSON.parse(readFileSync(join(dir, 'registries.json'), 'utf8')) as Record<string, string>;
  const [edgePlatform, teamObservability] = loadProfileFiles([join(dir, 'edge-platform.json'), join(dir, 'team-observability.json')]);
  return new ClusterFleet(app, 'fleet', {
    profiles: [teamObservability],
    registries,
    clusters: [
      {
        name: 'store-berlin',
        profiles: [edgePlatform],
        kubeconfigPath: '~/.kube/store-berlin.yaml',
        // The flagship store: more ingress replicas.
        layerValues: { 'ingress-nginx': { controller: { replicaCount: 3 } } },
      },
      {
        name: 'store-lisbon',
        profiles: [edgePlatform],
        kubeContext: 'store-lisbon',
        // A slow uplink: pull charts from the local mirror, give probes more time.
        registries: { 'Prometheus Community': 'https://charts.lisbon.example.com/prometheus-community' },
        layerValues: {
          'ingress-nginx': { controller: { replicaCount: 1 } },
          'blackbox-exporter': { config: { modules: { http_2xx: { timeout: '15s' } } } },
        },
      },
      {
        name: 'cloud-eu',
        connection: (stack) => {
          const eks = new DataTerraformRemoteStateS3(stack, 'eks', { bucket: 'platform-terraform-state', key: 'eks/cloud-eu.tfstate', region: 'eu-central-1' });
          return {
            host: eks.getString('cluster_endpoint'),
            clusterCaCertificate: Fn.base64decode(eks.getString('cluster_certificate_authority_data')),
            exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'cloud-eu', '--region', 'eu-central-1'] },
          };
        },
        layerValues: { 'blackbox-exporter': { replicas: 2 } },
      },
    ],
  });
}

if (require.main === module) {
  const outdir = process.env.CDKTF_OUTDIR ?? join('cdktf.out', 'fleet');
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  const fleet = buildFleet(app);
  app.synth();
  for (const [name, stack] of fleet.stacks) {
    const plan = stack.profiles.plan;
    console.log(`${name}: ${plan.resources.length} resources in ${plan.tiers.length} tier${plan.tiers.length === 1 ? '' : 's'} -> ${join(outdir, 'stacks', name, 'cdk.tf.json')}`);
  }
}
