/**
 * Helm's release lifecycle (install, upgrade, uninstall) against a model cluster, for the tests to
 * say what applying generated charts creates, updates, keeps and deletes. It is MODELLED from Helm
 * v3.18.4's source, not run (no Helm binary, no cluster here); the releases it takes are the
 * harness's renderings (`helm.ts`), so what is installed is what Helm renders.
 *
 * - install (pkg/action/install.go): `crds/` first, each created unless a CRD of that name exists
 *   ("already present, skipping"); then every object of the manifest must have a served kind
 *   (a built-in group, or a CRD in the cluster), else the install fails with nothing created
 *   ("ensure CRDs are installed first"); an object that already exists fails the install unless
 *   `take_ownership`, which adopts it (updates it).
 * - upgrade (pkg/action/upgrade.go, pkg/kube/client.go `Update`): `crds/` is not read at all; the old
 *   and the new manifests must both map (served kinds); each new object is created or updated; each
 *   object of the old manifest that the new one lacks is deleted, unless the LIVE object is
 *   annotated `helm.sh/resource-policy: keep`.
 * - uninstall (pkg/action/uninstall.go, resource_policy.go): every object of the release manifest is
 *   deleted, except those annotated `helm.sh/resource-policy: keep` IN THE MANIFEST (an object with
 *   another value of that annotation is neither kept nor deleted: Helm's filter drops it); `crds/` is
 *   never deleted.
 * - the API server: deleting a CRD deletes every object of its kind.
 */

/** What the model reads of a rendered release: the harness's `HelmRendering` fits. */
export interface RenderedRelease {
  readonly objects: readonly { readonly json?: string }[];
  readonly crds: readonly { readonly json?: string }[];
}

/** An object of the model cluster. */
interface LiveObject {
  readonly object: Record<string, unknown>;
  /** The release that owns it (Helm's `meta.helm.sh/release-name`), if any. */
  release?: string;
}

/** One thing a Helm action did: `create CustomResourceDefinition widgets.example.com`, `keep ...`, `delete ...`. */
export type Event = string;

/** API groups whose kinds every API server serves (enough for the tests' objects). */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'policy', 'apiextensions.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io']);

const KEEP = 'helm.sh/resource-policy';

/** A cluster that Helm releases are installed into, upgraded in and uninstalled from. */
export class ModelCluster {
  private readonly live = new Map<string, LiveObject>();

  /** Every object, as `Kind name` (`Kind namespace/name` when namespaced), sorted. */
  public objects(): string[] {
    return [...this.live.values()].map((o) => describe(o.object)).sort();
  }

  /** An object as the cluster holds it; undefined when absent. */
  public get(kind: string, name: string, namespace?: string): Record<string, unknown> | undefined {
    return [...this.live.values()].find((o) => o.object.kind === kind && meta(o.object).name === name && meta(o.object).namespace === namespace)?.object;
  }

  /** Creates an object outside Helm (a user's custom resource, say). */
  public create(object: Record<string, unknown>): void {
    this.serves(object);
    this.live.set(key(object), { object });
  }

  /** `helm install`: throws the error Helm would give, with nothing changed. */
  public install(release: string, rendered: RenderedRelease, options: { readonly takeOwnership: boolean }): Event[] {
    const events: Event[] = [];
    for (const crd of parsed(rendered.crds)) {
      if (this.live.has(key(crd))) {
        events.push(`skip existing ${describe(crd)}`);
        continue;
      }
      this.live.set(key(crd), { object: crd });
      events.push(`create ${describe(crd)}`);
    }
    const objects = parsed(rendered.objects);
    objects.forEach((o) => this.serves(o));
    for (const o of objects) {
      const existing = this.live.get(key(o));
      if (existing !== undefined && existing.release !== release && !options.takeOwnership) {
        throw new Error(`${describe(o)} exists and cannot be imported into the current release`);
      }
    }
    for (const o of objects) events.push(this.put(release, o));
    return events;
  }

  /** `helm upgrade` from the release as `before` rendered it to `after`: throws the error Helm would give. */
  public upgrade(release: string, before: RenderedRelease, after: RenderedRelease, options: { readonly takeOwnership: boolean }): Event[] {
    const current = parsed(before.objects);
    const target = parsed(after.objects);
    current.forEach((o) => this.serves(o, 'current release manifest'));
    target.forEach((o) => this.serves(o));
    const wasIn = new Set(current.map(key));
    for (const o of target) {
      const existing = this.live.get(key(o));
      if (!wasIn.has(key(o)) && existing !== undefined && existing.release !== release && !options.takeOwnership) {
        throw new Error(`${describe(o)} exists and cannot be imported into the current release`);
      }
    }
    const events = target.map((o) => this.put(release, o));
    const staying = new Set(target.map(key));
    for (const o of current) {
      if (staying.has(key(o))) continue;
      const live = this.live.get(key(o));
      if (live === undefined) continue;
      if (annotations(live.object)[KEEP] === 'keep') events.push(`keep ${describe(o)}`);
      else events.push(...this.delete(o));
    }
    return events;
  }

  /** `helm uninstall` of the release as `rendered` gave it. */
  public uninstall(release: string, rendered: RenderedRelease): Event[] {
    const events: Event[] = [];
    for (const o of parsed(rendered.objects)) {
      const policy = annotations(o)[KEEP];
      if (policy === undefined) events.push(...this.delete(o));
      else if (policy.trim().toLowerCase() === 'keep') events.push(`keep ${describe(o)}`);
    }
    for (const crd of parsed(rendered.crds)) events.push(`keep ${describe(crd)} (crds/ of ${release})`);
    return events;
  }

  private put(release: string, o: Record<string, unknown>): Event {
    const existed = this.live.has(key(o));
    this.live.set(key(o), { object: o, release });
    return `${existed ? 'update' : 'create'} ${describe(o)}`;
  }

  private delete(o: Record<string, unknown>): Event[] {
    if (!this.live.delete(key(o))) return [];
    const events = [`delete ${describe(o)}`];
    const served = crdServes(o);
    if (served === undefined) return events;
    for (const [k, other] of [...this.live]) {
      if (group(other.object) !== served.group || other.object.kind !== served.kind) continue;
      this.live.delete(k);
      events.push(`delete ${describe(other.object)} (its CRD was deleted)`);
    }
    return events;
  }

  /** Throws Helm's mapping error when the object's kind is not served. */
  private serves(o: Record<string, unknown>, manifest?: string): void {
    const g = group(o);
    if (BUILT_IN_GROUPS.has(g)) return;
    const served = [...this.live.values()].some((other) => {
      const crd = crdServes(other.object);
      return crd !== undefined && crd.group === g && crd.kind === o.kind;
    });
    if (served) return;
    const cause = `resource mapping not found for name: "${meta(o).name}": no matches for kind "${String(o.kind)}" in version "${String(o.apiVersion)}"; ensure CRDs are installed first`;
    throw new Error(manifest !== undefined ? `unable to build kubernetes objects from ${manifest}: ${cause}` : cause);
  }
}

function parsed(documents: readonly { readonly json?: string }[]): Record<string, unknown>[] {
  return documents.map((d) => {
    if (d.json === undefined) throw new Error('the rendering holds a document Kubernetes cannot read');
    return JSON.parse(d.json) as Record<string, unknown>;
  });
}

function meta(o: Record<string, unknown>): { name?: string; namespace?: string; annotations?: Record<string, string> } {
  return (o.metadata ?? {}) as { name?: string; namespace?: string; annotations?: Record<string, string> };
}

function annotations(o: Record<string, unknown>): Record<string, string> {
  return meta(o).annotations ?? {};
}

function group(o: Record<string, unknown>): string {
  const apiVersion = String(o.apiVersion);
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

function key(o: Record<string, unknown>): string {
  return JSON.stringify([group(o), o.kind, meta(o).namespace ?? '', meta(o).name]);
}

function describe(o: Record<string, unknown>): string {
  const m = meta(o);
  return `${String(o.kind)} ${m.namespace !== undefined ? `${m.namespace}/` : ''}${m.name}`;
}

/** The group and kind a CRD object serves; undefined for other objects. */
function crdServes(o: Record<string, unknown>): { group: string; kind: string } | undefined {
  if (o.kind !== 'CustomResourceDefinition' || group(o) !== 'apiextensions.k8s.io') return undefined;
  const spec = o.spec as { group?: string; names?: { kind?: string } } | undefined;
  if (spec?.group === undefined || spec.names?.kind === undefined) return undefined;
  return { group: spec.group, kind: spec.names.kind };
}
