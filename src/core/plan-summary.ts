import { ResolvedLayer } from './cluster';
import { InstallPlan, TierPriority } from './plan';

/** One layer as reported in outputs and plans. */
export interface LayerSummary {
  readonly name: string;
  readonly profile: string;
  readonly kind: string;
  readonly slot: string;
  readonly version: string;
  /** `repository/chart` for Helm layers, the manifest names for manifest layers. */
  readonly source: string;
  readonly namespace: string;
  /** Namespaces the layer creates. */
  readonly namespaces: readonly string[];
  /** The tier label (`infra:cni`, `priority 30`), or `cluster` for os and k8s layers. */
  readonly tier: string;
}

/** A tier as listed in install and destroy orders. */
export interface TierSummary {
  readonly priority: TierPriority;
  readonly layers: readonly string[];
}

/** A plan reduced to what people read: profiles, layers, install and destroy orders. */
export interface PlanSummary {
  readonly profiles: readonly { readonly name: string; readonly version: string; readonly type: string }[];
  readonly layers: readonly LayerSummary[];
  readonly install: readonly TierSummary[];
  readonly destroy: readonly TierSummary[];
}

/** Summarizes a plan for outputs, `--json` and the printed plan. */
export function describePlan(plan: InstallPlan): PlanSummary {
  const layers: LayerSummary[] = [];
  for (const layer of plan.clusterLayers) layers.push(summarizeLayer(layer, 'cluster'));
  for (const tier of plan.tiers) for (const layer of tier.layers) layers.push(summarizeLayer(layer, tier.label));
  const install = plan.tiers.map((t) => ({ priority: t.priority, layers: t.layers.map((l) => l.name) }));
  return {
    profiles: plan.profiles.map((p) => ({ name: p.name, version: p.version, type: p.type })),
    layers,
    install,
    destroy: [...install].reverse().map((t) => ({ priority: t.priority, layers: [...t.layers].reverse() })),
  };
}

function summarizeLayer(layer: ResolvedLayer, tier: string): LayerSummary {
  const source =
    layer.kind === 'helm'
      ? `${layer.repository.replace(/\/+$/, '')}/${layer.chart}`
      : layer.kind === 'manifest'
        ? [...new Set(layer.documents.map((d) => d.manifest))].join(', ')
        : `pack ${layer.name}${layer.registry !== undefined ? ` from ${layer.registry}` : ''}`;
  return {
    name: layer.name,
    profile: layer.profile,
    kind: layer.kind,
    slot: layer.slot,
    version: layer.version,
    source,
    namespace: layer.namespace,
    namespaces: layer.ownedNamespaces,
    tier,
  };
}

/** The plan as text for a terminal: cluster layers, then each tier with its layers, then the destroy order. */
export function formatPlan(plan: InstallPlan): string {
  const out: string[] = [];
  const profiles = plan.profiles.map((p) => `${p.name} ${p.version} (${p.type})`).join(', ');
  out.push(`Profiles: ${profiles}`);
  for (const layer of plan.clusterLayers) {
    out.push(`  cluster     ${layer.slot.padEnd(5)} ${layer.name} ${layer.version} (describes the cluster; deploys nothing)`);
  }
  out.push('Install order (each tier starts when every earlier tier is ready):');
  plan.tiers.forEach((tier, i) => {
    out.push(`  ${String(i + 1).padStart(2)}. ${tier.label}`);
    for (const layer of tier.layers) {
      const what =
        layer.kind === 'helm'
          ? `helm ${layer.chart} ${layer.version}`
          : layer.kind === 'manifest'
            ? `manifest ${layer.documents.length} object${layer.documents.length === 1 ? '' : 's'}`
            : `pack ${layer.version}`;
      const creates = layer.ownedNamespaces.length > 0 ? `, creates ${layer.ownedNamespaces.join(', ')}` : '';
      out.push(`      ${layer.name}  [${what}]  ns ${layer.namespace}${creates}  (profile ${layer.profile})`);
    }
  });
  out.push('Destroy order: ' + [...plan.tiers].reverse().map((t) => t.label).join(' -> '));
  return out.join('\n');
}
