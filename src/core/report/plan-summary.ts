import { LayerWithDocuments } from '../plan/manifest-strategy';
import { manifestStrategyOf } from '../resolve/manifest-settings';
import { ResolvedLayer } from '../model/resolved';
import { InstallPlan, TierPriority } from '../model/planned';

/** One layer as reported in outputs and plans. */
export interface LayerSummary {
  readonly name: string;
  readonly profile: string;
  readonly kind: string;
  readonly slot: string;
  /** The exact version installed (a train's resolution). */
  readonly version: string;
  /** The version train `version` was resolved from (`1.14.x`); absent when the version was given exactly. */
  readonly train?: string;
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
      ? `${layer.repository.replace(/\/+$/, '')}/${layer.chart}${layer.documents.length > 0 ? `, manifests ${manifestNames(layer.documents).join(', ')}` : ''}`
      : layer.kind === 'manifest'
        ? manifestNames(layer.documents).join(', ')
        : layer.kind === 'zarf'
          ? `zarf ${layer.source}`
          : layer.releases.length + layer.documents.length === 0
          ? `pack ${layer.name}${layer.registry !== undefined ? ` from ${layer.registry}` : ''}`
          : `pack ${layer.packName}: ${[
            ...layer.releases.map((r) => `${r.repository.replace(/\/+$/, '')}/${r.chart} ${r.version}`),
            ...(layer.documents.length > 0 ? [`manifests ${manifestNames(layer.documents).join(', ')}`] : []),
          ].join(', ')}`;
  return {
    name: layer.name,
    profile: layer.profile,
    kind: layer.kind,
    slot: layer.slot,
    version: layer.version,
    ...(layer.tag !== undefined && layer.tag !== layer.version ? { train: layer.tag } : {}),
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
    out.push(`  cluster     ${layer.slot.padEnd(5)} ${layer.name} ${versionText(layer)} (describes the cluster; deploys nothing)`);
  }
  out.push('Install order (each tier starts when every earlier tier is ready):');
  plan.tiers.forEach((tier, i) => {
    out.push(`  ${String(i + 1).padStart(2)}. ${tier.label}`);
    for (const layer of tier.layers) {
      const what = describeLayerContents(layer);
      const creates = layer.ownedNamespaces.length > 0 ? `, creates ${layer.ownedNamespaces.join(', ')}` : '';
      out.push(`      ${layer.name}  [${what}]  ns ${layer.namespace}${creates}  (profile ${layer.profile})`);
    }
  });
  out.push('Destroy order: ' + [...plan.tiers].reverse().map((t) => t.label).join(' -> '));
  if ((plan.variables ?? []).length > 0) {
    out.push('Variables (set per cluster at plan time: -var, tfvars or TF_VAR_<name>):');
    for (const v of plan.variables) {
      const traits = [v.type, v.required ? 'required' : undefined, v.sensitive ? 'sensitive' : undefined].filter((t) => t !== undefined).join(', ');
      const used = v.usedBy.length > 0 ? `used by ${v.usedBy.join(', ')}` : 'unused';
      out.push(`  var.${v.name} (${traits}) ${used}`);
    }
  }
  return out.join('\n');
}

/** A layer's version as people read it: `1.14.5`, or `1.14.x -> 1.14.5` for a resolved train. */
export function versionText(layer: ResolvedLayer): string {
  return layer.tag !== undefined && layer.tag !== layer.version ? `${layer.tag} -> ${layer.version}` : layer.version;
}

/**
 * What a layer deploys, in one line: `helm cert-manager 1.14.5`,
 * `manifest 1.0.0: hello-universe, hello-ingress (3 objects)` (installed as a generated chart),
 * `manifest 1.0.0: issuers (3 objects), one kubernetes_manifest each` (`pack.manifestStrategy: manifest`),
 * `helm metallb 0.14.8, manifest address-pools (2 objects)` (manifests attached to a Helm layer),
 * `pack istio 1.22.1: helm base 1.22.1, helm istiod 1.22.1`,
 * `pack gateway 1.0.0: template gateway` (a pack manifest that is a Go template, rendered by Helm),
 * `zarf 6.4.0: oci://ghcr.io/org/podinfo:6.4.0, components podinfo, variables REPLICAS`.
 */
export function describeLayerContents(layer: ResolvedLayer): string {
  if (layer.kind === 'helm') return `helm ${layer.chart} ${versionText(layer)}${layer.documents.length > 0 ? `, manifest ${attachedManifests(layer)}` : ''}`;
  if (layer.kind === 'manifest') return `manifest ${layer.version}: ${manifestNames(layer.documents).join(', ')} (${objects(layer.documents.length)})${strategyNote(layer)}`;
  if (layer.kind === 'zarf') {
    const components = layer.components.length > 0 ? `, components ${layer.components.join(',')}` : '';
    const variables = Object.keys(layer.variables).length > 0 ? `, variables ${Object.keys(layer.variables).join(', ')}` : '';
    return `zarf ${layer.version}: ${layer.source}${components}${variables}`;
  }
  const parts = [
    ...layer.releases.map((r) => `helm ${r.chart} ${r.version}`),
    ...(layer.documents.length > 0 ? [`manifest ${attachedManifests(layer)}`] : []),
    // Manifests that are Go templates over the pack's values: their objects are known once Helm renders them.
    ...layer.templates.map((t) => `template ${t.name}`),
  ];
  return parts.length > 0 ? `pack ${layer.packName} ${versionText(layer)}: ${parts.join(', ')}` : `pack ${versionText(layer)}`;
}

/** The manifests of a Helm or registry pack layer: `issuers (3 objects)`, with the strategy note. */
function attachedManifests(layer: LayerWithDocuments): string {
  return `${manifestNames(layer.documents).join(', ')} (${objects(layer.documents.length)})${strategyNote(layer)}`;
}

/** `, one kubernetes_manifest each` for documents of the `manifest` strategy; the default `chart` goes unsaid (see manifest-strategy.ts). */
function strategyNote(layer: LayerWithDocuments): string {
  return layer.documents.length > 0 && manifestStrategyOf(layer) === 'manifest' ? ', one kubernetes_manifest each' : '';
}

function manifestNames(documents: readonly { readonly manifest: string }[]): string[] {
  return [...new Set(documents.map((d) => d.manifest))];
}

function objects(count: number): string {
  return `${count} object${count === 1 ? '' : 's'}`;
}
