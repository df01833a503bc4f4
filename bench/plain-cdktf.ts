/**
 * The baseline: a plain cdktf program, written by hand, that creates the same resources and edges as
 * the library for a generated cluster, directly with the provider classes (deep imports, as the
 * library uses them). It knows the ordering in advance (one `terraform_data` gate per tier, every
 * resource waits for the previous gate and its namespace), so it does no validation, no planning and
 * no hazard checks: what is left is the cost of cdktf itself, plus parsing the YAML documents, which
 * any program that deploys manifests written as YAML must do.
 */
import { Release } from '@cdktf/provider-helm/lib/release';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, DataResource, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { GeneratedCluster } from './generate';

/** Kinds whose objects live outside namespaces, among those the generator writes. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass']);
/** Kinds Terraform waits for a rollout of. */
const ROLLOUT = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const TIMEOUT = 600;

/** Builds the baseline stack for `cluster` into `app`. */
export function plainStack(app: App, id: string, cluster: GeneratedCluster): TerraformStack {
  const stack = new TerraformStack(app, id);
  const path = new TerraformVariable(stack, 'kubeconfig_path', { type: 'string', default: '~/.kube/config', description: 'Path of the kubeconfig file used to reach the cluster' });
  const kubernetes = new KubernetesProvider(stack, 'kubernetes', { configPath: path.stringValue });
  const helm = new HelmProvider(stack, 'helm', { kubernetes: { configPath: path.stringValue } });

  const byTier: TerraformResource[][] = cluster.tierLabels.map(() => []);
  const layersOfTier: string[][] = cluster.tierLabels.map(() => []);
  let previousGate: TerraformResource | undefined;
  const gates: TerraformResource[] = [];
  for (let t = 0; t < cluster.tierLabels.length; t++) {
    for (const layer of cluster.plain) {
      if (layer.tier !== t) continue;
      layersOfTier[t].push(layer.name);
      const before = previousGate !== undefined ? [previousGate] : [];
      const ns = new NamespaceV1(stack, layer.namespace, { provider: kubernetes, metadata: { name: layer.namespace }, dependsOn: before.length > 0 ? before : undefined });
      ns.overrideLogicalId(layer.namespace);
      byTier[t].push(ns);
      if (layer.helm !== undefined) {
        const release = new Release(stack, layer.name, {
          provider: helm,
          name: layer.helm.chart,
          namespace: layer.namespace,
          repository: layer.helm.repository,
          chart: layer.helm.chart,
          version: layer.helm.version,
          values: [layer.helm.values],
          createNamespace: false,
          wait: true,
          waitForJobs: true,
          timeout: TIMEOUT,
          dependsOn: [...before, ns],
        });
        release.overrideLogicalId(layer.name);
        byTier[t].push(release);
      }
      for (const manifest of layer.manifests ?? []) {
        for (const doc of loadAll(manifest.content, undefined, { schema: CORE_SCHEMA })) {
          if (doc === null || doc === undefined) continue;
          const object = doc as { kind: string; metadata: Record<string, unknown> };
          const scoped = CLUSTER_SCOPED.has(object.kind);
          const resourceName = scoped
            ? `${layer.name}--${object.kind.toLowerCase()}--${String(object.metadata.name)}`
            : `${layer.name}--${object.kind.toLowerCase()}--${layer.namespace}--${String(object.metadata.name)}`;
          const m = new Manifest(stack, resourceName, {
            provider: kubernetes,
            manifest: scoped ? object : { ...object, metadata: { ...object.metadata, namespace: layer.namespace } },
            wait: ROLLOUT.has(object.kind) ? { rollout: true } : undefined,
            timeouts: { create: `${TIMEOUT}s`, update: `${TIMEOUT}s`, delete: `${TIMEOUT}s` },
            dependsOn: [...before, ns],
          });
          m.overrideLogicalId(resourceName);
          byTier[t].push(m);
        }
      }
    }
    const gateId = `tier_${t * 10}`;
    const gate = new DataResource(stack, gateId, {
      input: { tier: cluster.tierLabels[t], layers: [...layersOfTier[t]].sort() },
      dependsOn: [...(previousGate !== undefined ? [previousGate] : []), ...byTier[t]],
    });
    gate.overrideLogicalId(gateId);
    gates.push(gate);
    previousGate = gate;
  }
  return stack;
}
