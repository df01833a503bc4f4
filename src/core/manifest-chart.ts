import { createHash } from 'node:crypto';
import { ManifestDocument } from './manifests';
import type { TemplatedManifest } from './packs';
import { VARIABLE_REFERENCE } from './variables';
import { compare } from './compare';
import { acceptsOnlyStrings } from './kubernetes-schemas';
import { PathSegment, formatPath } from './schema-findings';
import { isMap, parseYaml, sortKeysDeep } from './yaml';

/**
 * The `chart` manifest strategy's package: a layer's documents as a small local Helm chart, which
 * Terraform installs with `helm_release`. Unlike `kubernetes_manifest`, a Helm release needs neither
 * the cluster nor the custom resources' CRDs at plan time, and Helm's `wait` covers its objects.
 *
 * ```
 * Chart.yaml                  name, version 0.0.0-sha256-<12 hex digits of the content hash>
 * templates/objects.yaml      one template, the same for every chart (MANIFEST_CHART_TEMPLATE)
 * files/001-<manifest>-1.json one document per file, as JSON (valid YAML, typed exactly)
 * ```
 *
 * No document is ever parsed as a Go template: the one template emits each file under `files/`
 * verbatim (`.Files.Get`), so `{{ }}` in a document (Grafana legends, Prometheus rules, Palette
 * macros meant for the workload) reaches the cluster as written. Documents are written as JSON so
 * that Kubernetes, which reads YAML 1.1, reads every string, key and number as the profile meant
 * (`on`, `yes`, `0755` stay strings). No chart has a `crds/` folder, which Helm installs only on a
 * first install and never upgrades: a layer's CRDs are the files of a chart of their own, installed
 * before the layer's other objects (see `crd-release.ts`).
 *
 * The helm provider shows no change for an edited local chart unless its version changes, so the
 * version carries a hash of the content: any change of any document is a new version in the plan.
 *
 * Profile variables (`{{.spectro.var.NAME}}`) cannot be written into files: each string holding one
 * is replaced by a token (`"__cluster_profiles_ref_1__"` in the JSON), the construct passes the
 * string's JSON text, computed by Terraform's `jsonencode` with the variables filled in, as the
 * release value `clusterProfilesReferences.<token>`, and the template writes that text in place of
 * the quoted token, in one pass (a string, or the variable's number or bool when the string was one
 * reference alone, except where the object's schema takes only strings: see `textReferences`).
 */

/** One file of a generated chart. */
export interface ManifestChartFile {
  /** Relative to the chart's folder, with `/`. */
  readonly path: string;
  readonly content: string;
}

/** A generated Helm chart: a layer's documents, or a retained namespace (see `retained-namespace.ts`). */
export interface ManifestChart {
  /** The chart's name: for a layer's documents, the release's name. */
  readonly name: string;
  /** `0.0.0-sha256-<12 hex digits>`: changes with any file. */
  readonly version: string;
  /** The SHA-256 of the chart's content (name and files), hex. */
  readonly hash: string;
  /** Every file, `Chart.yaml` included, sorted by path. */
  readonly files: readonly ManifestChartFile[];
  /**
   * Strings that use profile variables, by the token that stands for them in the files. Each value
   * is the document's string as written (with `{{.spectro.var.NAME}}`), for the construct to turn
   * into a Terraform expression.
   */
  readonly references: Readonly<Record<string, string>>;
  /**
   * The tokens among `references` whose string is one variable alone in a field that takes only
   * strings in the object's Kubernetes schema (ConfigMap `data`, labels, annotations): a number or
   * bool variable is written there as its text, not as a JSON number or bool.
   */
  readonly textReferences?: readonly string[];
  /**
   * Each object the chart installs, by `<apiVersion> <kind> [<namespace>/]<name>`, with
   * `sha256:<12 hex digits>` of its file: the release shows it in its values
   * (one line per object), so that a plan names the objects added, changed and removed.
   */
  readonly digests: Readonly<Record<string, string>>;
}

/** The value under which the release gets the strings that use profile variables. */
export const REFERENCES_VALUE = 'clusterProfilesReferences';

/** What a token is in the files: a JSON string `"__cluster_profiles_ref_<n>__"`, the prefix lengthened with `x` when a document holds it. */
const TOKEN_PATTERN = '"__cluster_profiles_ref_x*[0-9]+__"';

/**
 * Go template text writing `$json` (a JSON text from the release values) with each {@link HELM_UNSAFE}
 * character other than `<`, `U+2028` and `U+2029` (which Terraform's `jsonencode` already escapes) as
 * a `\uXXXX` escape.
 */
function escapedJsonText(): string {
  const codes = [...Array.from({ length: 0x9f - 0x7f + 1 }, (_, i) => 0x7f + i), 0xfeff, 0xfffe, 0xffff];
  const hex = (c: number): string => c.toString(16).padStart(4, '0');
  // In a Go template string constant "\u0085" is the character and "\\u0085" the six characters of its escape.
  const dict = codes.map((c) => `"\\u${hex(c)}" "\\\\u${hex(c)}"`).join(' ');
  return `{{- range $c, $e := dict ${dict} }}{{- $json = replace $c $e $json }}{{- end }}`;
}

/**
 * The chart's single template: every `files/*.json` verbatim, each token replaced, in one pass, by
 * the JSON text the release value `clusterProfilesReferences.<token>` holds (Terraform's `jsonencode`
 * of the string or variable). A value that is itself or holds another token's text is written as it
 * is: the tokens are found in the file once, not searched again in what replaced them.
 */

/** The value listing the chart's objects with their digests, for plan review; no template reads it. */
export const OBJECTS_VALUE = 'clusterProfilesObjects';

export const MANIFEST_CHART_TEMPLATE = [
  '{{- /* Generated by cdktf-cluster-profiles. Each file under files/ is one Kubernetes object, emitted as written:',
  '       the documents are never parsed as templates. Each token standing for a string that uses profile variables',
  `       is replaced, quotes included, by the JSON text of the value ${REFERENCES_VALUE}.<token>, in one pass. */ -}}`,
  `{{- $values := .Values.${REFERENCES_VALUE} | default dict }}`,
  '{{- range $path, $_ := .Files.Glob "files/*.json" }}',
  '{{- $object := $.Files.Get $path }}',
  `{{- $tokens := regexFindAll ${JSON.stringify(TOKEN_PATTERN)} $object -1 }}`,
  '---',
  `{{ range $i, $text := regexSplit ${JSON.stringify(TOKEN_PATTERN)} $object -1 }}`,
  '{{- $text }}',
  '{{- if lt $i (len $tokens) }}',
  '{{- $token := index $tokens $i }}',
  '{{- if hasKey $values (trimAll `"` $token) }}',
  '{{- $json := toString (index $values (trimAll `"` $token)) }}',
  escapedJsonText(),
  '{{- $json }}',
  '{{- else }}',
  '{{- $token }}',
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
  '',
].join('\n');

const TOKEN_PREFIX = '__cluster_profiles_ref_';

/** The description of the chart of a layer's documents. */
export const LAYER_CHART_DESCRIPTION = 'The Kubernetes objects of one layer of cluster profiles, packaged by cdktf-cluster-profiles';

/** The chart value holding each templated manifest's values, by manifest name (the chart's `values.yaml`). */
export const MANIFEST_VALUES = 'clusterProfilesManifestValues';

/**
 * Builds the chart of documents (already placed in their namespaces): each one a file under
 * `files/`, numbered in the order given. A registry pack's manifests that are Go templates over
 * their values (`templates`) are the one exception to "no document is parsed as a template": each is
 * a template of the chart, `templates/manifest-<n>-<name>.yaml`, holding its text as one named
 * template that is rendered with the manifest's values as `.Values` (and Helm's `.Release`,
 * `.Chart`, `.Capabilities`), so Helm renders it as Palette does. The values are the chart's
 * `values.yaml`, `clusterProfilesManifestValues.<manifest>`, written as JSON; Palette macros in the
 * text are emitted as written.
 */
export function buildManifestChart(name: string, documents: readonly ManifestDocument[], description: string = LAYER_CHART_DESCRIPTION, templates: readonly TemplatedManifest[] = []): ManifestChart {
  const width = Math.max(3, String(documents.length).length);
  const text = JSON.stringify(documents.map((d) => d.object));
  let prefix = TOKEN_PREFIX;
  while (text.includes(prefix)) prefix = `${prefix}x`;
  const references: Record<string, string> = {};
  const textReferences: string[] = [];
  const digests: Record<string, string> = {};
  const files: ManifestChartFile[] = documents.map((d, i) => {
    const file = objectFile(`files/${String(i + 1).padStart(width, '0')}-${slug(d.manifest)}-${d.position}.json`, tokenize(d, prefix, references, textReferences));
    digests[objectId(d)] = `sha256:${createHash('sha256').update(file.content).digest('hex').slice(0, 12)}`;
    return file;
  });
  if (templates.length > 0) {
    const values = Object.fromEntries(templates.map((t) => [t.name, t.values]));
    files.push({ path: 'values.yaml', content: `${helmSafeJson(JSON.stringify(sortKeysDeep({ [MANIFEST_VALUES]: values }), null, 2))}\n` });
    templates.forEach((t, i) => {
      const file = templatedManifestFile(t, i + 1);
      files.push(file);
      const digest = createHash('sha256').update(file.content).update('\0').update(JSON.stringify(sortKeysDeep(t.values))).digest('hex');
      digests[`template ${t.name}`] = `sha256:${digest.slice(0, 12)}`;
    });
  }
  return generatedChart(name, description, files, references, textReferences, digests);
}

/**
 * The chart template of a templated pack manifest: its text as the named template
 * `clusterProfiles.manifest.<n>`, included with a context whose `.Values` are the manifest's values.
 * Palette macros (`{{ .spectro... }}`), which Palette fills before rendering, are written as
 * literals, so Helm emits them as they are.
 */
function templatedManifestFile(manifest: TemplatedManifest, n: number): ManifestChartFile {
  const id = String(n).padStart(3, '0');
  const text = manifest.content.replace(/\{\{[\s\S]*?\}\}/g, (action) => (action.includes('.spectro.') ? `{{ ${JSON.stringify(action)} }}` : action));
  const context = `(dict "Values" (index .Values "${MANIFEST_VALUES}" ${JSON.stringify(manifest.name)}) "Release" .Release "Chart" .Chart "Capabilities" .Capabilities "Template" .Template)`;
  const content = [
    '{{- /* Generated by cdktf-cluster-profiles: a manifest of the pack that is a Go template over its values, rendered with them as .Values. */ -}}',
    `{{- define "clusterProfiles.manifest.${id}" }}`,
    text,
    '{{- end }}',
    '---',
    `{{ include "clusterProfiles.manifest.${id}" ${context} }}`,
    '',
  ].join('\n');
  return { path: `templates/manifest-${id}-${slug(manifest.name)}.yaml`, content };
}

/** A chart file holding one Kubernetes object as JSON, keys sorted, in {@link helmSafeJson}'s escapes. */
export function objectFile(path: string, object: unknown): ManifestChartFile {
  return { path, content: `${helmSafeJson(goJson(sortKeysDeep(object)))}\n` };
}

/**
 * `JSON.stringify(value, null, 2)`, except that a negative zero is written `-0`, as Go's
 * encoding/json writes the float -0 that sigs.k8s.io/yaml reads from `-0.0` (JavaScript writes `0`).
 * Values without one (all real ones) take JSON.stringify's path.
 */
export function goJson(value: unknown): string {
  if (!holdsNegativeZero(value)) return JSON.stringify(value, null, 2);
  const write = (v: unknown, indent: string): string => {
    if (Object.is(v, -0)) return '-0';
    const inner = `${indent}  `;
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => `${inner}${write(x, inner)}`).join(',\n')}\n${indent}]`;
    if (isMap(v)) {
      const keys = Object.keys(v);
      return keys.length === 0 ? '{}' : `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${write(v[k], inner)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v);
  };
  return write(value, '');
}

function holdsNegativeZero(value: unknown): boolean {
  if (Object.is(value, -0)) return true;
  if (Array.isArray(value)) return value.some(holdsNegativeZero);
  return isMap(value) && Object.values(value).some(holdsNegativeZero);
}

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

/**
 * A generated chart of object files (under `files/`): adds the one template
 * ({@link MANIFEST_CHART_TEMPLATE}) and `Chart.yaml`, whose version carries the SHA-256 of the
 * name and every other file. The description is not hashed: each kind of generated chart has its
 * own, and its own file names (a layer's are numbered, `files/001-...`). It is written as a plain
 * YAML scalar, so it holds no `: ` nor ` #`.
 */
export function generatedChart(
  name: string,
  description: string,
  objectFiles: readonly ManifestChartFile[],
  references: Readonly<Record<string, string>> = {},
  textReferences: readonly string[] = [],
  digests: Readonly<Record<string, string>> = {},
): ManifestChart {
  const files = [...objectFiles, { path: 'templates/objects.yaml', content: MANIFEST_CHART_TEMPLATE }];
  files.sort((a, b) => compare(a.path, b.path));
  const hash = createHash('sha256');
  hash.update(`name\0${name}\0`);
  for (const f of files) hash.update(`${f.path}\0${f.content}\0`);
  const digest = hash.digest('hex');
  const version = `0.0.0-sha256-${digest.slice(0, 12)}`;
  // Quoted: Helm reads Chart.yaml as YAML 1.1, where a plain `null`, `yes` or `0x10` is no string.
  const chartYaml = ['apiVersion: v2', `name: ${JSON.stringify(name)}`, `description: ${description}`, 'type: application', `version: ${JSON.stringify(version)}`, ''].join('\n');
  return { name, version, hash: digest, files: [{ path: 'Chart.yaml', content: chartYaml }, ...files], references, ...(textReferences.length > 0 ? { textReferences } : {}), digests };
}

/** How the plan names an object: `<apiVersion> <kind> [<namespace>/]<name>`. */
export function objectId(document: Pick<ManifestDocument, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  return `${document.apiVersion} ${document.kind} ${document.namespace !== undefined ? `${document.namespace}/` : ''}${document.name}`;
}

/**
 * The release values that list the chart's objects with their digests, one line each, sorted, as
 * YAML text: Terraform's plan shows a changed multi-line value line by line, so a reviewer of plain
 * `terraform plan` reads which objects are added (`+` only), removed (`-` only) and changed (`-` and
 * `+` with the same name). The template never reads them. Names are double-quoted with every
 * character outside printable ASCII escaped, so YAML 1.1 reads them as written.
 */
export function objectsValues(digests: Readonly<Record<string, string>>): string {
  const entries = Object.entries(digests).sort((a, b) => compare(a[0], b[0]));
  const quoted = (text: string): string => JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [
    '# The objects of this release and digests of their content, for plan review; the chart does not read this value.',
    entries.length > 0 ? `${OBJECTS_VALUE}:` : `${OBJECTS_VALUE}: {}`,
    ...entries.map(([id, digest]) => `  ${quoted(id)}: ${digest}`),
    '',
  ].join('\n');
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

/**
 * A copy of a document's object whose strings (and keys) that use profile variables are tokens,
 * recorded in `references`; a string that is one variable alone, in a field that takes only strings,
 * is also recorded in `textReferences`.
 */
function tokenize(document: ManifestDocument, prefix: string, references: Record<string, string>, textReferences: string[]): unknown {
  const reference = new RegExp(VARIABLE_REFERENCE.source);
  // `path` is undefined for a key, which is always a string.
  const token = (text: string, path?: readonly PathSegment[]): string => {
    if (!reference.test(text)) return text;
    const name = `${prefix}${Object.keys(references).length + 1}__`;
    references[name] = text;
    const uses = [...text.matchAll(VARIABLE_REFERENCE)];
    const alone = uses.length === 1 && uses[0][0] === text;
    if (alone && (path === undefined || acceptsOnlyStrings(document.object, document.apiVersion, document.kind, path))) textReferences.push(name);
    return name;
  };
  const visit = (v: unknown, path: PathSegment[]): unknown => {
    if (typeof v === 'string') return token(v, path);
    if (Array.isArray(v)) return v.map((inner, i) => visit(inner, [...path, i]));
    if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, inner]) => [token(k), visit(inner, [...path, k])]));
    return v;
  };
  return visit(document.object, []);
}

/** A manifest's name as a file name part: lowercase letters, digits and '-'. */
function slug(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s === '' ? 'manifest' : s.slice(0, 40).replace(/-+$/, '');
}

/**
 * The objects a generated chart's release lists in its values ({@link objectsValues}), by id, with
 * their digests: read from the release's values entries as a Terraform plan holds them. Undefined
 * when no entry lists them: not a generated chart, a release made before the list existed, or values
 * the plan does not know yet.
 */
export function readObjectsValues(values: unknown): ReadonlyMap<string, string> | undefined {
  if (!Array.isArray(values)) return undefined;
  for (const entry of values) {
    if (typeof entry !== 'string' || !new RegExp(`^${OBJECTS_VALUE}:`, 'm').test(entry)) continue;
    let parsed: unknown;
    try {
      parsed = parseYaml(entry);
    } catch {
      return undefined;
    }
    const listed = isMap(parsed) ? parsed[OBJECTS_VALUE] : undefined;
    if (!isMap(listed)) return undefined;
    return new Map(Object.entries(listed).map(([id, digest]) => [id, String(digest)]));
  }
  return undefined;
}
