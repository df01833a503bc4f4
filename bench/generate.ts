/**
 * Generated clusters for the benchmarks: the same cluster described twice, as profiles for the
 * library and as plain data (namespaces, charts, YAML documents, tiers) for the hand-written cdktf
 * baseline, so that both synthesize the same resources and edges.
 */
import { HelmLayerSpec, LayerSpec, ManifestLayerSpec, ProfileSpec } from '../src/core/model/spec';

/** The shape of a generated cluster. */
export interface ClusterShape {
  /** Number of layers. */
  readonly layers: number;
  /** Number of install tiers (distinct priorities), at most `layers`. */
  readonly tiers: number;
  /**
   * Documents per manifest layer: a fixed number, or `'mixed'` for 2 to 6 cycling by layer.
   */
  readonly documents: number | 'mixed';
  /** Which layers are Helm charts: every other one (`'mixed'`), or none (`'manifests'`). */
  readonly kinds: 'mixed' | 'manifests';
  /**
   * `pack.manifestStrategy` of every manifest layer: `chart` (one Helm release of a generated chart
   * per layer) or `manifest` (one `kubernetes_manifest` per document).
   * @default - not set: the library's default
   */
  readonly strategy?: 'chart' | 'manifest';
}

/** One layer as the plain cdktf program sees it: no `pack:` block, the ordering decided by hand. */
export interface PlainLayer {
  readonly name: string;
  readonly namespace: string;
  /** Index of the tier the layer installs in, 0 first. */
  readonly tier: number;
  /** The chart, for a Helm layer. */
  readonly helm?: { readonly chart: string; readonly repository: string; readonly version: string; readonly values: string };
  /** The YAML text of each manifest, for a manifest layer. */
  readonly manifests?: readonly { readonly name: string; readonly content: string }[];
}

/** A generated cluster, in both forms. */
export interface GeneratedCluster {
  readonly shape: ClusterShape;
  /** One add-on profile holding every layer, for the library. */
  readonly profiles: readonly ProfileSpec[];
  /** The same layers for the plain program, in the same order. */
  readonly plain: readonly PlainLayer[];
  /** Tier labels in install order (`priority 0`, `priority 10`, ...), as the library labels them. */
  readonly tierLabels: readonly string[];
  /** The number of manifest documents. */
  readonly documents: number;
}

const REPOSITORY = 'https://charts.example.com';

/** Documents of manifest layer `index`. */
export function documentCount(shape: ClusterShape, index: number): number {
  return shape.documents === 'mixed' ? 2 + (index % 5) : shape.documents;
}

/**
 * A deterministic cluster of the given shape: layer `i` is `layer-<i>` in namespace `ns-<i>`, in tier
 * `i % tiers` (priority `10 * tier`); with `kinds: 'mixed'` even layers are Helm charts with a page
 * of values and odd layers are manifest layers whose documents cycle through ConfigMap, Deployment
 * (waits for its rollout), Service, ServiceAccount, Role and RoleBinding.
 */
export function generateCluster(shape: ClusterShape): GeneratedCluster {
  const layers: LayerSpec[] = [];
  const plain: PlainLayer[] = [];
  let documents = 0;
  for (let i = 0; i < shape.layers; i++) {
    const name = `layer-${i}`;
    const namespace = `ns-${i}`;
    const tier = i % shape.tiers;
    const pack = `pack:\n  namespace: ${namespace}\n  spectrocloud.com/install-priority: "${tier * 10}"\n`;
    const strategy = shape.strategy !== undefined ? `  manifestStrategy: ${shape.strategy}\n` : '';
    if (shape.kinds === 'mixed' && i % 2 === 0) {
      const values = helmValues(i);
      const chart = `chart-${i % 40}`;
      const version = `1.${i % 7}.${i % 3}`;
      const spec: HelmLayerSpec = { kind: 'helm', name, chart, version, repository: REPOSITORY, values: pack + values };
      layers.push(spec);
      plain.push({ name, namespace, tier, helm: { chart, repository: REPOSITORY, version, values } });
    } else {
      const count = documentCount(shape, i);
      const docs = Array.from({ length: count }, (_, d) => document(i, d));
      // Two manifests per layer when there are several documents: multi-document YAML in each.
      const half = Math.ceil(count / 2);
      const manifests = count > 1 ? [{ name: 'base', content: docs.slice(0, half).join('---\n') }, { name: 'extra', content: docs.slice(half).join('---\n') }] : [{ name: 'base', content: docs[0] }];
      const spec: ManifestLayerSpec = { kind: 'manifest', name, version: '1.0.0', values: pack + strategy, manifests };
      layers.push(spec);
      plain.push({ name, namespace, tier, manifests });
      documents += count;
    }
  }
  const profiles: ProfileSpec[] = [{ name: 'generated', version: '1.0.0', type: 'add-on', layers }];
  const tierLabels = Array.from({ length: shape.tiers }, (_, t) => `priority ${t * 10}`);
  return { shape, profiles, plain, tierLabels, documents };
}

function helmValues(i: number): string {
  return [
    `replicaCount: ${1 + (i % 3)}`,
    'image:',
    `  repository: registry.example.com/team/app-${i}`,
    `  tag: "v1.${i % 10}.0"`,
    '  pullPolicy: IfNotPresent',
    'resources:',
    '  requests: {cpu: 100m, memory: 128Mi}',
    '  limits: {cpu: 500m, memory: 512Mi}',
    'service:',
    '  type: ClusterIP',
    '  port: 8080',
    'ingress:',
    '  enabled: true',
    `  hosts: [app-${i}.example.com]`,
    'podAnnotations:',
    '  prometheus.io/scrape: "true"',
    '',
  ].join('\n');
}

/** The YAML of document `d` of manifest layer `i`: built-in kinds that pass the Kubernetes schema check. */
function document(i: number, d: number): string {
  const name = `obj-${d}`;
  switch (d % 6) {
    case 0:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels: {app: layer-${i}}\ndata:\n  config.yaml: |\n    level: info\n    port: ${8000 + d}\n  mode: production\n`;
    case 1:
      return [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${name}`,
        `  labels: {app: layer-${i}}`,
        'spec:',
        '  replicas: 2',
        '  selector:',
        `    matchLabels: {app: layer-${i}, part: ${name}}`,
        '  template:',
        '    metadata:',
        `      labels: {app: layer-${i}, part: ${name}}`,
        '    spec:',
        '      containers:',
        '        - name: app',
        `          image: registry.example.com/team/app-${i}:1.0.${d}`,
        '          ports: [{containerPort: 8080}]',
        '          env:',
        '            - {name: LOG_LEVEL, value: info}',
        '          resources:',
        '            requests: {cpu: 50m, memory: 64Mi}',
        '',
      ].join('\n');
    case 2:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: layer-${i}}\n  ports:\n    - {name: http, port: 80, targetPort: 8080}\n`;
    case 3:
      return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  annotations: {team: platform}\n`;
    case 4:
      return `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}\nrules:\n  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [get, list, watch]\n`;
    default:
      return `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ${name}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: obj-4}\nsubjects:\n  - {kind: ServiceAccount, name: obj-3}\n`;
  }
}
