// A platform team's app, as it would be written against the published package: two clusters (each
// in a stack of its own), typed handles on the generated resources, and a resource of the team's own
// hung on the last tier's gate. Compiled with `tsc --strict` and library checks on by
// .ci/test-consumer.sh, then run; the script checks the synthesized stacks.
import { App, TerraformStack, dependable } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ClusterProfiles, ClusterStack, PlannedRelease, ProfileSpec, TerraformData, planCluster } from 'cdktf-cluster-profiles';

const platform: ProfileSpec = {
  name: 'platform',
  version: '1.0.0',
  type: 'add-on',
  layers: [
    {
      kind: 'helm',
      name: 'cert-manager',
      repository: 'https://charts.jetstack.io',
      version: '1.14.5',
      values: { pack: { namespace: 'cert-manager', 'spectrocloud.com/install-priority': -10 }, installCRDs: true },
    },
    {
      kind: 'manifest',
      name: 'hello',
      manifests: [{ name: 'hello', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\ndata:\n  mode: "0644"\n' }],
      values: 'pack:\n  namespace: hello\n  spectrocloud.com/install-priority: "30"\n',
    },
  ],
};

const app = new App({ outdir: process.argv[2] ?? 'cdktf.out' });
for (const cluster of ['prod', 'staging']) {
  const stack = new ClusterStack(app, cluster, { profiles: [platform], kubeContext: cluster });
  const certManager: Release[] = stack.profiles.releasesOf('cert-manager');
  const gate: TerraformData | undefined = stack.profiles.lastGate;
  if (certManager.length !== 1 || gate === undefined) throw new Error('typed handles missing');
  // A resource of the team's own, created after the whole cluster and destroyed before it.
  new TerraformData(stack, 'smoke-test', { input: { release: certManager[0].name } }).dependsOn = [dependable(gate)];
  if (stack.helmProvider.alias !== undefined) throw new Error('unexpected provider alias');
}

// The pure core, typed: planned releases are public types.
const releases = planCluster([platform]).resources.filter((r): r is PlannedRelease => r.type === 'helm_release' && r.layer !== undefined);
console.log(`planned releases: ${releases.map((r) => r.releaseName).join(', ')}`);

// Two clusters in one stack are refused, never merged.
const shared = new TerraformStack(new App({ outdir: `${process.argv[2] ?? 'cdktf.out'}-refused` }), 'shared');
new ClusterProfiles(shared, 'prod', { profiles: [platform] });
try {
  new ClusterProfiles(shared, 'staging', { profiles: [platform] });
  throw new Error('a second ClusterProfiles in one stack was accepted');
} catch (err) {
  console.log(`refused: ${(err as Error).message.split(';')[0]}`);
}
app.synth();
