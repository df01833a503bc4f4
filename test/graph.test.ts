import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HelmLayerSpec, ProfileSpec, planCluster } from '../src';
import { renderDot, renderMermaid } from '../src/core/report/graph';
import { GRAPH_USAGE } from '../src/cli/commands/graph';
import { cli, scratchWithExamples } from './cli-helpers';

function helm(name: string, namespace: string, priority: number, extra: Partial<HelmLayerSpec> = {}): HelmLayerSpec {
  const values = `pack:\n  namespace: ${namespace}\n  spectrocloud.com/install-priority: "${priority}"\n`;
  return { kind: 'helm', name, version: '1.0.0', repository: 'https://charts.example.com', values, ...extra };
}

// A k8s layer (not drawn), a CNI tier, a layer owning two namespaces, and a later layer sharing one.
const PROFILE: ProfileSpec = {
  name: 'p',
  type: 'full',
  layers: [
    { kind: 'pack', name: 'k3s', slot: 'k8s', version: '1.29.5' },
    helm('cilium', 'kube-system', 0, { slot: 'cni' }),
    helm('db', 'data', -5, { values: 'pack:\n  namespace: data\n  additionalNamespaces: backups\n  spectrocloud.com/install-priority: "-5"\n' }),
    {
      kind: 'manifest',
      name: 'app',
      manifests: [{ name: 'app "x"', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' }],
      values: 'pack:\n  namespace: data\n  spectrocloud.com/install-priority: "10"\n',
    },
  ],
};

describe('renderMermaid', () => {
  it('draws tiers as columns with their layers and new namespaces, and a gate after each tier', () => {
    // GIVEN a plan of three tiers
    const plan = planCluster([PROFILE]);
    // WHEN drawn as Mermaid
    // THEN subgraphs come in install order, gates chain them, dashed edges show namespace owners,
    // and quotes in names are Mermaid entities
    assert.equal(
      renderMermaid(plan),
      [
        'flowchart LR',
        '  subgraph T1["1. infra:cni"]',
        '    direction TB',
        '    L1["cilium<br/>helm cilium 1.0.0<br/>ns kube-system"]',
        '  end',
        '  subgraph T2["2. priority -5"]',
        '    direction TB',
        '    L2["db<br/>helm db 1.0.0<br/>ns data"]',
        '    N1(["namespace backups"])',
        '    N2(["namespace data"])',
        '  end',
        '  subgraph T3["3. priority 10"]',
        '    direction TB',
        '    L3["app<br/>manifest 1.0.0: app #quot;x#quot; (1 object)<br/>ns data"]',
        '  end',
        '  G1{{"gate infra:cni"}}',
        '  G2{{"gate priority -5"}}',
        '  G3{{"gate priority 10"}}',
        '  T1 --> G1 --> T2 --> G2 --> T3 --> G3',
        '  L2 -.-> N2',
        '  L2 -.-> N1',
        '  L3 -.-> N2',
      ].join('\n'),
    );
  });
});

describe('renderDot', () => {
  it('draws tiers as clusters, each layer feeding its gate and each gate the next tier', () => {
    // GIVEN the same plan
    const plan = planCluster([PROFILE]);
    // WHEN drawn as DOT
    // THEN the edges are the plan's ordering, with quotes escaped
    assert.equal(
      renderDot(plan),
      [
        'digraph cluster_profiles {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  subgraph cluster_1 {',
        '    label="1. infra:cni";',
        '    "layer cilium" [label="cilium\\nhelm cilium 1.0.0\\nns kube-system"];',
        '  }',
        '  "gate infra:cni" [shape=hexagon];',
        '  subgraph cluster_2 {',
        '    label="2. priority -5";',
        '    "layer db" [label="db\\nhelm db 1.0.0\\nns data"];',
        '    "namespace backups" [shape=folder, label="namespace backups"];',
        '    "namespace data" [shape=folder, label="namespace data"];',
        '  }',
        '  "gate priority -5" [shape=hexagon];',
        '  subgraph cluster_3 {',
        '    label="3. priority 10";',
        '    "layer app" [label="app\\nmanifest 1.0.0: app \\"x\\" (1 object)\\nns data"];',
        '  }',
        '  "gate priority 10" [shape=hexagon];',
        '  "layer cilium" -> "gate infra:cni";',
        '  "gate infra:cni" -> "layer db";',
        '  "layer db" -> "gate priority -5";',
        '  "gate priority -5" -> "layer app";',
        '  "layer app" -> "gate priority 10";',
        '  "layer db" -> "namespace data" [style=dashed];',
        '  "layer db" -> "namespace backups" [style=dashed];',
        '  "layer app" -> "namespace data" [style=dashed];',
        '}',
      ].join('\n'),
    );
  });
});

describe('cluster-profiles graph', () => {
  const files = scratchWithExamples('graph');
  const lock = ['--lock', files.file('graph.lock.yaml')];

  it('prints the Mermaid picture of the example with its catalog', async () => {
    // GIVEN the Palette export with registry packs and its catalog
    // WHEN drawn
    const run = await cli('graph', '--catalog', files.file('catalog.yaml'), ...lock, files.file('palette-export-spectro.json'));
    // THEN it is a Mermaid flowchart of six tiers with the multi-chart pack in one node
    assert.equal(run.code, 0);
    assert.equal(run.out[0], 'flowchart LR');
    assert.deepEqual(run.out.filter((l) => l.startsWith('  subgraph')), [
      '  subgraph T1["1. infra:cni"]',
      '  subgraph T2["2. infra:csi"]',
      '  subgraph T3["3. priority -10"]',
      '  subgraph T4["4. priority 10"]',
      '  subgraph T5["5. priority 20"]',
      '  subgraph T6["6. priority 30"]',
    ]);
    assert.ok(run.out.includes('    L4["istio<br/>pack istio 1.22.1: helm base 1.22.1, helm istiod 1.22.1, helm gateway 1.22.1<br/>ns istio-system"]'), run.out.join('\n'));
  });

  it('refuses an unknown format', async () => {
    // GIVEN --format svg
    // WHEN run
    const run = await cli('graph', '--format', 'svg', files.file('edge-platform.json'));
    // THEN it is a usage error naming the formats
    assert.deepEqual(run, { code: 2, out: [], err: ['cluster-profiles graph: --format "svg" must be one of mermaid, dot', `Usage: ${GRAPH_USAGE}`] });
  });
});
