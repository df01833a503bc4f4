import { compare } from '../model/compare';
import { Location, ProblemList, shown } from '../model/errors';
import { apiGroup } from './manifests';
import { isMap } from '../input/yaml';
import { ReadinessRule, ManifestDocument, Readiness } from '../model/resolved';
import { KubectlWait } from '../model/planned';

/**
 * Readiness: what Terraform waits for before a layer counts as installed and the next tier starts.
 *
 * - A `kubernetes_manifest` (the `manifest` strategy) waits per object: rollout for Deployments,
 *   StatefulSets and DaemonSets, condition `Established` for CRDs, `Complete` for Jobs, `Available`
 *   for APIServices, `Ready` for Pods, and whatever `pack.readiness` declares for other kinds.
 * - A Helm release (Helm layers, and manifest layers installed as a generated chart) waits with
 *   Helm's own checks (`wait`, `wait_for_jobs`): Deployments, StatefulSets, DaemonSets, ReplicaSets,
 *   Pods, Jobs, PersistentVolumeClaims bound, Services with their load balancer address, CRDs
 *   established. Helm reads no condition of a custom resource, so the objects a layer's
 *   `pack.readiness` names are waited for after the release by `kubectl wait`
 *   ({@link kubectlWaitCommand}).
 *
 * Every wait is bounded by the layer's budget (`timeoutSeconds`, default 600): Palette re-checks a
 * failing layer every two minutes without end; here the apply fails once the budget is spent, naming
 * the resource, and the next apply tries again.
 */

const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const GROUP = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/;
const CONDITION = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const STATUSES = ['True', 'False', 'Unknown'] as const;
const RULE_KEYS: readonly string[] = ['kind', 'group', 'condition', 'status'];

/**
 * Reads `pack.readiness`: a list of `{kind, group?, condition, status?}`, for example
 * `[{kind: Certificate, condition: Ready}]`. Problems go to `problems`; valid entries are returned.
 */
export function readReadinessRules(value: unknown, where: Location, problems: ProblemList): ReadinessRule[] {
  const field = 'pack.readiness';
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add({ ...where, field }, `must be a list of {kind, group, condition, status} such as [{kind: Certificate, condition: Ready}], found ${shown(value)}`);
    return [];
  }
  const out: ReadinessRule[] = [];
  value.forEach((entry: unknown, i) => {
    const at = (key?: string): Location => ({ ...where, field: `${field}[${i}]${key !== undefined ? `.${key}` : ''}` });
    if (!isMap(entry)) {
      problems.add(at(), `must be a map {kind, group, condition, status} such as {kind: Certificate, condition: Ready}, found ${shown(entry)}`);
      return;
    }
    let ok = true;
    for (const key of Object.keys(entry)) {
      if (!RULE_KEYS.includes(key)) {
        problems.add(at(key), `is not a known field; expected one of ${RULE_KEYS.join(', ')}`);
        ok = false;
      }
    }
    const { kind, group, condition, status } = entry;
    if (typeof kind !== 'string' || !KIND.test(kind)) {
      problems.add(at('kind'), `${shown(kind)} must be a Kubernetes kind such as "Certificate" (letters and digits)`);
      ok = false;
    }
    if (group !== undefined && group !== null && (typeof group !== 'string' || !GROUP.test(group))) {
      problems.add(at('group'), `${shown(group)} must be an API group such as "cert-manager.io" ("" for the core group), or be left out for any group`);
      ok = false;
    }
    if (typeof condition !== 'string' || !CONDITION.test(condition)) {
      problems.add(at('condition'), `${shown(condition)} must be a condition type such as "Ready" (letters, digits, '-', '_', '.', '/')`);
      ok = false;
    }
    const wanted = status === undefined || status === null ? 'True' : status;
    if (!STATUSES.includes(wanted as ReadinessRule['status'])) {
      problems.add(at('status'), `${shown(status)} must be "True", "False" or "Unknown" (quote it in YAML), or be left out for "True"`);
      ok = false;
    }
    if (ok) {
      out.push({
        kind: kind as string,
        ...(typeof group === 'string' ? { group } : {}),
        condition: condition as string,
        status: wanted as ReadinessRule['status'],
      });
    }
  });
  return out;
}

/** Whether a rule applies to a document. */
export function ruleMatches(rule: ReadinessRule, document: Pick<ManifestDocument, 'apiVersion' | 'kind'>): boolean {
  return rule.kind === document.kind && (rule.group === undefined || rule.group === apiGroup(document.apiVersion));
}

/** The first rule that applies to a document, if any. */
export function ruleFor(rules: readonly ReadinessRule[], document: Pick<ManifestDocument, 'apiVersion' | 'kind'>): ReadinessRule | undefined {
  return rules.find((r) => ruleMatches(r, document));
}

/**
 * Built-in kinds and what a `kubernetes_manifest` waits for, keyed `group/Kind` (`""` the core
 * group). The kubernetes provider's `wait` knows rollouts of these three workload kinds only.
 */
const BUILT_IN_READINESS: ReadonlyMap<string, Readiness> = new Map<string, Readiness>([
  ['apps/Deployment', { rollout: true }],
  ['apps/StatefulSet', { rollout: true }],
  ['apps/DaemonSet', { rollout: true }],
  ['apiextensions.k8s.io/CustomResourceDefinition', { condition: { type: 'Established', status: 'True' } }],
  ['batch/Job', { condition: { type: 'Complete', status: 'True' } }],
  ['apiregistration.k8s.io/APIService', { condition: { type: 'Available', status: 'True' } }],
  ['/Pod', { condition: { type: 'Ready', status: 'True' } }],
]);

/**
 * What a `kubernetes_manifest` of this document waits for: the layer's first `pack.readiness` rule
 * for its kind, else the built-in wait of its kind ({@link BUILT_IN_READINESS}), else nothing (the
 * object is ready once the API server accepts it).
 */
export function readinessFor(document: Pick<ManifestDocument, 'apiVersion' | 'kind'>, rules: readonly ReadinessRule[] = []): Readiness {
  const rule = ruleFor(rules, document);
  if (rule !== undefined) return { condition: { type: rule.condition, status: rule.status } };
  return BUILT_IN_READINESS.get(`${apiGroup(document.apiVersion)}/${document.kind}`);
}

/**
 * The `kubectl wait` calls for the documents `rules` name, grouped by namespace and condition, in a
 * stable order. Empty when no rule names a document.
 */
export function kubectlWaits(documents: readonly ManifestDocument[], rules: readonly ReadinessRule[]): KubectlWait[] {
  const groups = new Map<string, { namespace?: string; condition: string; status: ReadinessRule['status']; objects: string[] }>();
  for (const d of documents) {
    const rule = ruleFor(rules, d);
    if (rule === undefined) continue;
    const key = JSON.stringify([d.namespace ?? '', rule.condition, rule.status]);
    const entry = groups.get(key) ?? { ...(d.namespace !== undefined ? { namespace: d.namespace } : {}), condition: rule.condition, status: rule.status, objects: [] };
    entry.objects.push(kubectlObject(d));
    groups.set(key, entry);
  }
  return [...groups.entries()]
    .sort((a, b) => compare(a[0], b[0]))
    .map(([, g]) => ({ ...g, objects: [...new Set(g.objects)].sort() }));
}

/** How kubectl names one object: `certificate.v1.cert-manager.io/platform-ca`, `pod/web` for the core group. */
export function kubectlObject(document: Pick<ManifestDocument, 'apiVersion' | 'kind' | 'name'>): string {
  const group = apiGroup(document.apiVersion);
  const version = document.apiVersion.slice(document.apiVersion.indexOf('/') + 1);
  const type = group === '' ? document.kind.toLowerCase() : `${document.kind.toLowerCase()}.${version}.${group}`;
  return `${type}/${document.name}`;
}

/**
 * One POSIX shell command running every wait in turn (`&&`), each bounded by `timeoutSeconds`:
 * `kubectl wait --for=condition=Ready=True --timeout=600s --namespace platform-pki certificate.v1.cert-manager.io/ca`.
 * `context` adds `--context`. Every word is quoted for the shell.
 */
export function kubectlWaitCommand(waits: readonly KubectlWait[], timeoutSeconds: number, context?: string): string {
  return waits
    .map((w) => {
      const words = ['kubectl', 'wait', `--for=condition=${w.condition}=${w.status}`, `--timeout=${timeoutSeconds}s`];
      if (context !== undefined) words.push('--context', context);
      if (w.namespace !== undefined) words.push('--namespace', w.namespace);
      words.push(...w.objects);
      return words.map(shellWord).join(' ');
    })
    .join(' && ');
}

/** A word for a POSIX shell: as is when it holds only safe characters, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./=:@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}
