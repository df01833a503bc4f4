import { CrdChecker, LayerObject, learnCrdSchemas } from './crd-schemas';
import { Location, ProblemList } from '../model/errors';
import { BuiltinModels, checkBuiltin } from './kubernetes-schemas';
import { LayerSettings, ManifestDocument } from '../model/resolved';

/** What the schema check needs of a layer: any resolved layer that carries manifest documents. */
export interface SchemaCheckedLayer {
  readonly name: string;
  readonly settings: LayerSettings;
  readonly where: Location;
  /** The layer's Kubernetes objects; layers without documents (Helm, Zarf) are not checked. */
  readonly documents?: readonly ManifestDocument[];
}

/**
 * Checks every manifest document against its schema before anything is synthesized, so that a typo
 * (`replica:`) or a value of the wrong type (`replicas: "3"`) is an error naming the layer,
 * manifest, document and field, not a failed apply:
 * - built-in kinds against the Kubernetes API schema (`kubernetes-models`), unknown fields included;
 * - custom kinds against the `openAPIV3Schema` of their CRD, when a layer of the profiles defines it;
 * - other custom kinds, and built-in kinds newer than the schema set, are not checked.
 *
 * A layer opts out with `pack.schemaCheck: false` (its CRDs still serve to check other layers).
 * Validators load on first use, so a cluster without manifests loads none of them.
 */
export function checkManifestSchemas(layers: readonly SchemaCheckedLayer[], problems: ProblemList): void {
  const withDocuments = layers.filter((l) => Array.isArray(l.documents) && l.documents.length > 0);
  if (withDocuments.length === 0) return;
  const objects: LayerObject[] = withDocuments.flatMap((l) => l.documents!.map((d) => ({ layer: l.name, object: d.object })));
  const crds = new CrdChecker(learnCrdSchemas(objects));
  const builtins = new BuiltinModels();
  for (const layer of withDocuments) {
    if (layer.settings.schemaCheck === false) continue;
    for (const doc of layer.documents!) {
      const findings = checkBuiltin(doc.object, doc.apiVersion, doc.kind, builtins) ?? crds.check(doc.object, doc.apiVersion, doc.kind) ?? [];
      for (const finding of findings) {
        problems.add({ ...layer.where, manifest: doc.manifest, document: doc.position, field: finding.field }, finding.message);
      }
    }
  }
}
