import { Location, ProblemList, shown } from '../model/errors';
import { ManifestSpec } from '../model/spec';
import { NAMESPACE_FORM, isNamespaceName } from '../model/names';
import { isMap, yamlReason } from '../input/yaml';
import { parseKubernetesDocuments } from '../input/values-yaml';
import { ManifestDocument } from '../model/resolved';
import type { ResolvedLayer } from '../model/resolved';

/**
 * Built-in kinds that are cluster-scoped. Everything else is namespaced, except custom kinds whose
 * CRD in the same profiles says `scope: Cluster`, and custom kinds named `Cluster*` (the convention
 * of cert-manager's ClusterIssuer and its kin) when their CRD is not in the profiles.
 */
const CLUSTER_SCOPED_BUILTINS: ReadonlySet<string> = new Set([
  'v1/Namespace',
  'v1/Node',
  'v1/PersistentVolume',
  'v1/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'apiregistration.k8s.io/APIService',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass',
]);

/** The API group of an apiVersion: `apps/v1` is `apps`, `v1` is the core group `""`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The documents a resolved layer deploys: a manifest layer's, a registry pack's manifests, a Helm layer's attached manifests; none for Zarf. */
export function documentsOf(layer: ResolvedLayer): readonly ManifestDocument[] {
  return layer.kind === 'zarf' ? [] : layer.documents;
}

function builtinKey(apiVersion: string, kind: string): string {
  const group = apiGroup(apiVersion);
  return `${group === '' ? 'v1' : group}/${kind}`;
}

/** Scopes of custom kinds learned from CRDs, keyed `group/Kind`. */
export type CustomScopes = ReadonlyMap<string, 'Cluster' | 'Namespaced'>;

/** Whether objects of this kind live outside namespaces. */
export function isClusterScoped(apiVersion: string, kind: string, customScopes: CustomScopes): boolean {
  const key = builtinKey(apiVersion, kind);
  if (CLUSTER_SCOPED_BUILTINS.has(key)) return true;
  const learned = customScopes.get(`${apiGroup(apiVersion)}/${kind}`);
  if (learned !== undefined) return learned === 'Cluster';
  return apiGroup(apiVersion).includes('.') && !apiGroup(apiVersion).endsWith('.k8s.io') && kind.startsWith('Cluster');
}

/** The raw objects of one manifest, before namespaces are decided. */
export interface RawDocument {
  readonly manifest: string;
  readonly position: number;
  readonly object: Record<string, unknown>;
}

/**
 * Splits a layer's manifests into objects and checks each has `apiVersion`, `kind` and
 * `metadata.name`. Empty documents and comment-only documents are skipped.
 */
export function readManifests(manifests: readonly ManifestSpec[], where: Location, problems: ProblemList): RawDocument[] {
  const out: RawDocument[] = [];
  const seen = new Set<string>();
  if (manifests.length === 0) problems.add({ ...where, field: 'manifests' }, 'must list at least one manifest, found none');
  manifests.forEach((m, i) => {
    const name = typeof m?.name === 'string' ? m.name : undefined;
    if (name === undefined || name.trim() === '') {
      problems.add({ ...where, field: `manifests[${i}].name` }, `must be a non-empty string, found ${shown(m?.name)}`);
      return;
    }
    const at: Location = { ...where, manifest: name };
    if (seen.has(name)) {
      problems.add({ ...at, field: 'name' }, 'is used by two manifests of this layer; manifest names must be unique within a layer');
      return;
    }
    seen.add(name);
    if (typeof m.content !== 'string') {
      problems.add({ ...at, field: 'content' }, `must be YAML text, found ${shown(m.content)}`);
      return;
    }
    let docs: unknown[];
    try {
      docs = parseKubernetesDocuments(m.content);
    } catch (err) {
      problems.add({ ...at, field: 'content' }, `is not valid YAML: ${yamlReason(err)}`);
      return;
    }
    docs.forEach((doc, d) => {
      if (doc === null || doc === undefined) return;
      const loc: Location = { ...at, document: d + 1 };
      if (!isMap(doc)) {
        problems.add(loc, `must be a Kubernetes object (a map with apiVersion, kind and metadata.name), found ${shown(doc)}`);
        return;
      }
      let ok = true;
      for (const field of ['apiVersion', 'kind'] as const) {
        if (typeof doc[field] !== 'string' || (doc[field] as string).trim() === '') {
          problems.add({ ...loc, field }, `must be a non-empty string, found ${shown(doc[field])}`);
          ok = false;
        }
      }
      const meta = doc.metadata;
      if (ok && /List$/.test(doc.kind as string) && Array.isArray(doc.items)) {
        // kubectl unpacks a List client-side; Helm and Terraform apply one object per document.
        problems.add({ ...loc, field: 'kind' }, `is "${doc.kind}", a list of ${doc.items.length} object${doc.items.length === 1 ? '' : 's'} that kubectl unpacks but Helm and Terraform do not; write each item as its own document (separated by ---)`);
        return;
      }
      if (!isMap(meta) || typeof meta.name !== 'string' || meta.name === '') {
        const found = isMap(meta) ? meta.name : meta;
        problems.add({ ...loc, field: 'metadata.name' }, `must be a non-empty string (generateName is not supported: Terraform needs a fixed name), found ${shown(found)}`);
        ok = false;
      } else if (meta.namespace !== undefined && meta.namespace !== null && (typeof meta.namespace !== 'string' || !isNamespaceName(meta.namespace))) {
        problems.add({ ...loc, field: 'metadata.namespace' }, `${shown(meta.namespace)} ${NAMESPACE_FORM}`);
        ok = false;
      }
      if (ok) out.push({ manifest: name, position: d + 1, object: doc });
    });
  });
  return out;
}

/**
 * Gives each object its namespace: the one it names, else the layer's namespace for namespaced
 * kinds; cluster-scoped kinds get none (a namespace they name is dropped, as the API server would).
 */
export function placeDocuments(docs: readonly RawDocument[], layerNamespace: string, customScopes: CustomScopes): ManifestDocument[] {
  return docs.map(({ manifest, position, object }) => {
    const apiVersion = String(object.apiVersion);
    const kind = String(object.kind);
    const meta = object.metadata as Record<string, unknown>;
    const name = String(meta.name);
    if (isClusterScoped(apiVersion, kind, customScopes)) {
      const { namespace: _dropped, ...metadata } = meta;
      return { manifest, position, apiVersion, kind, name, object: { ...object, metadata } };
    }
    const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : layerNamespace;
    return { manifest, position, apiVersion, kind, name, namespace, object: { ...object, metadata: { ...meta, namespace } } };
  });
}

