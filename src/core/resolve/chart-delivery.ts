import { PathSegment, formatPath } from './schema-findings';
import { isMap } from '../input/yaml';
import { ManifestDocument } from '../model/resolved';

/**
 * What a chart generated from a layer's manifests can deliver to the cluster as written, and how
 * its files are escaped so that Helm and Kubernetes read them back unchanged. Checked when the
 * layers are resolved (a layer whose documents a chart cannot deliver is refused, naming the
 * field); the generated chart itself is built when planning (`plan/manifest-chart.ts`).
 */

/**
 * Characters a JSON text must not hold as such to reach the cluster unchanged through Helm and
 * Kubernetes' YAML 1.1 reader: `<` (Helm's engine deletes every `<no value>` from template output,
 * `.Files.Get` text included), U+0085, U+2028 and U+2029 (line breaks in YAML 1.1, which change a
 * string and break a key), DEL, the C1 controls, U+FEFF, U+FFFE and U+FFFF (not printable in YAML:
 * go-yaml refuses the document).
 */
const HELM_UNSAFE = /[<\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/**
 * A JSON text with every {@link HELM_UNSAFE} character written as a `\uXXXX` escape, which JSON and
 * YAML both read back as that character. Only strings and keys hold such characters, so the value is
 * the same.
 */
export function helmSafeJson(json: string): string {
  return json.replace(HELM_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The longest key, in characters as written in a JSON file, that go-yaml still reads as a key (its simple-key limit). */
export const MAX_CHART_KEY_LENGTH = 1022;

/** A document the chart strategy cannot deliver as written, and why. */
export interface UndeliverableField {
  readonly document: ManifestDocument;
  /** The field, as `formatPath` writes it. */
  readonly field: string;
  readonly message: string;
}

/**
 * What a generated chart cannot deliver as written: an object annotated `helm.sh/hook` (Helm takes it
 * out of the release as a hook, never upgraded nor deleted with it, or drops it when the value is no
 * hook it knows), and a key longer than {@link MAX_CHART_KEY_LENGTH} characters as written in its
 * JSON file (Kubernetes' YAML reader refuses it, and Helm fails the whole release).
 * `kubernetes_manifest` sends objects as JSON, outside Helm, so it installs both.
 */
export function undeliverableInChart(documents: readonly ManifestDocument[]): UndeliverableField[] {
  const out: UndeliverableField[] = [];
  for (const document of documents) {
    const metadata = document.object.metadata;
    const annotations = isMap(metadata) && isMap(metadata.annotations) ? metadata.annotations : {};
    if (HOOK_ANNOTATION in annotations) {
      out.push({
        document,
        field: formatPath(['metadata', 'annotations', HOOK_ANNOTATION]),
        message: `is ${JSON.stringify(annotations[HOOK_ANNOTATION])}: Helm would take the object out of the layer's release as a hook (run at that event, never upgraded nor deleted with the release; an unknown hook value drops it), so the generated chart cannot install it as written; set pack.manifestStrategy: manifest on this layer, or remove the annotation`,
      });
    }
    const visit = (value: unknown, path: PathSegment[]): void => {
      if (Array.isArray(value)) value.forEach((inner, i) => visit(inner, [...path, i]));
      if (!isMap(value)) return;
      for (const [key, inner] of Object.entries(value)) {
        const written = [...helmSafeJson(JSON.stringify(key))].length - 2;
        if (written > MAX_CHART_KEY_LENGTH) {
          out.push({
            document,
            field: formatPath(path) === '' ? '(document)' : formatPath(path),
            message: `has a key of ${written.toLocaleString('en-US')} characters as written in JSON (${JSON.stringify(`${key.slice(0, 20)}...`)}): Kubernetes' YAML reader refuses keys over ${MAX_CHART_KEY_LENGTH.toLocaleString('en-US')} characters, which would fail the layer's whole Helm release; set pack.manifestStrategy: manifest on this layer (kubernetes_manifest sends objects as JSON), or shorten the key`,
          });
        }
        visit(inner, [...path, key]);
      }
    };
    visit(document.object, []);
  }
  return out;
}

/** The annotation that makes a document a Helm hook. */
const HOOK_ANNOTATION = 'helm.sh/hook';
