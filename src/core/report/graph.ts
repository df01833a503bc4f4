import { describeLayerContents } from './plan-summary';
import { InstallPlan, PlannedOwnedNamespace } from '../model/planned';

/**
 * Pictures of an install plan, as text that renders on a code-review page (Mermaid) or with
 * Graphviz (DOT). Tiers are columns, left to right in install order; each holds its layers and the
 * namespaces created in it; a gate follows each tier, and the next tier starts from it. Dashed edges
 * go from a layer to each namespace it owns (`pack.namespace`, `pack.additionalNamespaces`).
 * `os` and `k8s` layers describe the cluster and deploy nothing, so they are not drawn. Destroy runs
 * the picture right to left.
 */

/** The picture formats. */
export type GraphFormat = 'mermaid' | 'dot';

/** Every picture format. */
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

/** Draws the plan in the given format. */
export function renderGraph(plan: InstallPlan, format: GraphFormat): string {
  return format === 'dot' ? renderDot(plan) : renderMermaid(plan);
}

/** The namespaces each tier creates, in address order. */
function namespacesByTier(plan: InstallPlan): PlannedOwnedNamespace[][] {
  const out: PlannedOwnedNamespace[][] = plan.tiers.map(() => []);
  for (const r of plan.resources) {
    if (r.role === 'namespace' || r.role === 'retained-namespace') out[r.tier].push(r);
  }
  return out;
}

/** `namespace monitoring`, or `namespace monitoring (retained)` for one kept on destroy. */
function namespaceLabel(ns: PlannedOwnedNamespace): string {
  return `namespace ${ns.namespace}${ns.role === 'retained-namespace' ? ' (retained)' : ''}`;
}

/**
 * A Mermaid flowchart. Node ids are positions in the picture (`T1`, `L1`, `N1`, `G1`), which are
 * stable for a given plan; names only appear in labels.
 */
export function renderMermaid(plan: InstallPlan): string {
  const out = ['flowchart LR'];
  const layerId = new Map<string, string>();
  const nsId = new Map<string, string>();
  const nsByTier = namespacesByTier(plan);
  plan.tiers.forEach((tier, i) => {
    for (const layer of tier.layers) layerId.set(layer.name, `L${layerId.size + 1}`);
    for (const ns of nsByTier[i]) nsId.set(ns.namespace, `N${nsId.size + 1}`);
  });
  plan.tiers.forEach((tier, i) => {
    const t = i + 1;
    out.push(`  subgraph T${t}["${mermaidText(`${t}. ${tier.label}`)}"]`);
    out.push('    direction TB');
    for (const layer of tier.layers) {
      const label = [layer.name, describeLayerContents(layer), `ns ${layer.namespace}`].map(mermaidText).join('<br/>');
      out.push(`    ${layerId.get(layer.name)}["${label}"]`);
    }
    for (const ns of nsByTier[i]) out.push(`    ${nsId.get(ns.namespace)}(["${mermaidText(namespaceLabel(ns))}"])`);
    out.push('  end');
  });
  // Gates and edges after every subgraph, so each subgraph id is defined before an edge names it.
  plan.tiers.forEach((tier, i) => out.push(`  G${i + 1}{{"${mermaidText(`gate ${tier.label}`)}"}}`));
  if (plan.tiers.length > 0) out.push(`  ${plan.tiers.map((_, i) => `T${i + 1} --> G${i + 1}`).join(' --> ')}`);
  for (const tier of plan.tiers) {
    for (const layer of tier.layers) {
      for (const ns of layer.ownedNamespaces) out.push(`  ${layerId.get(layer.name)} -.-> ${nsId.get(ns)}`);
    }
  }
  return out.join('\n');
}

/** Graphviz DOT: tiers are clusters; every layer feeds its tier's gate, which feeds the next tier's layers. */
export function renderDot(plan: InstallPlan): string {
  const out = ['digraph cluster_profiles {', '  rankdir=LR;', '  node [shape=box];'];
  const nsByTier = namespacesByTier(plan);
  const layerNode = (name: string): string => dotId(`layer ${name}`);
  const nsNode = (name: string): string => dotId(`namespace ${name}`);
  const gateNode = (label: string): string => dotId(`gate ${label}`);
  plan.tiers.forEach((tier, i) => {
    out.push(`  subgraph cluster_${i + 1} {`);
    out.push(`    label=${dotId(`${i + 1}. ${tier.label}`)};`);
    for (const layer of tier.layers) {
      out.push(`    ${layerNode(layer.name)} [label=${dotId([layer.name, describeLayerContents(layer), `ns ${layer.namespace}`].join('\n'))}];`);
    }
    for (const ns of nsByTier[i]) out.push(`    ${nsNode(ns.namespace)} [shape=folder, label=${dotId(namespaceLabel(ns))}];`);
    out.push('  }');
    out.push(`  ${gateNode(tier.label)} [shape=hexagon];`);
  });
  plan.tiers.forEach((tier, i) => {
    for (const layer of tier.layers) out.push(`  ${layerNode(layer.name)} -> ${gateNode(tier.label)};`);
    const next = plan.tiers[i + 1];
    if (next !== undefined) for (const layer of next.layers) out.push(`  ${gateNode(tier.label)} -> ${layerNode(layer.name)};`);
  });
  for (const tier of plan.tiers) {
    for (const layer of tier.layers) {
      for (const ns of layer.ownedNamespaces) out.push(`  ${layerNode(layer.name)} -> ${nsNode(ns)} [style=dashed];`);
    }
  }
  out.push('}');
  return out.join('\n');
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as Mermaid entities. */
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** A quoted DOT id; DOT reads `\n` in it as a line break. */
function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
