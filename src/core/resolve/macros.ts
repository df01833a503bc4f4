import { Location, Problem, ProblemList, quotedList } from '../model/errors';
import { LayerSpec, ManifestSpec, ProfileSpec } from '../model/spec';
import { MacroSkeleton, PathReading, SpectroExpression, ValueKey, macroSkeleton, readPath, replaceExpressions, showKeys, valueAt } from './pack-references';
import { parseHelmYaml } from '../input/values-yaml';
import { Pipeline, callsFunction, evaluatePipeline, parsePipeline, pipelineFields, SPRIG_FUNCTIONS } from './sprig';
import { variableExpression } from './sprig-terraform';
import { isTrain } from '../model/versions';
import { isMap, yamlReason } from '../input/yaml';
import { MacroContext } from '../model/resolve-options';

/**
 * Palette macros, expanded before anything else reads a layer: `{{ .spectro.<...> }}` expressions in
 * a layer's values and manifests are replaced by their text, exactly where they stand, before the
 * YAML is parsed (as Palette does), so the result reaches Helm and the cluster as if written there.
 *
 * - System macros that mean something for a Terraform-managed cluster:
 *   `.spectro.system.cluster.name` (the cluster's name: `--cluster-name`, or the stack's name),
 *   `.spectro.system.kubernetes.version` (the `k8s` layer's version),
 *   `.spectro.system.clusterprofile.name` / `.version` (the profile the layer belongs to) and
 *   `.spectro.system.clusterprofile.infra.name` / `.version` (the cluster's infra or full profile).
 * - Pack references `.spectro.pack.<layer>.<dotted.path>`: a scalar from a layer's values, the
 *   layer's own included, after the macros inside that value are expanded (value by value: see
 *   pack-references.ts for how a value and a comment are told apart, and how a dotted path is read).
 * - A macro in a YAML comment never fails: substituted where it resolves, else left as written and
 *   reported as a warning (one per layer).
 * - User macros `.spectro.macro.<name>`, given per cluster (`--macro NAME=VALUE`, `--macro-file`).
 * - Profile variables `.spectro.var.<name>` are left in place: they become Terraform variables.
 *
 * Pipelines of Sprig functions (`{{ .spectro.system.kubernetes.version | substr 0 4 }}`, or the
 * direct form `{{ upper .spectro.macro.x }}`) are evaluated by `sprig.ts` with Sprig's semantics;
 * `default` also replaces a macro that cannot be resolved. Palette silently empties a macro it cannot resolve; here that is an error naming the macro and
 * the layer, as is any other function or template construct around a `.spectro` name.
 * Expressions that do not mention `.spectro.` (`{{ .Release.Name }}` for a chart's own `tpl`) are
 * left untouched.
 */

/** The system macros supported, for messages and documentation. */
export const SYSTEM_MACROS: readonly string[] = [
  'cluster.name',
  'kubernetes.version',
  'clusterprofile.name',
  'clusterprofile.version',
  'clusterprofile.infra.name',
  'clusterprofile.infra.version',
];

/** The Sprig functions a macro may be piped to (`sprig.ts` evaluates them). */
export const MACRO_FUNCTIONS: readonly string[] = SPRIG_FUNCTIONS;

/** A user macro name: letters, digits, '_' and '-'. */
export const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** How many pack references may nest (a layer's value naming another's, which names another...). */
export const MAX_REFERENCE_DEPTH = 64;

/** The longest text (in UTF-16 units) a value or manifest may grow to once its macros are expanded. */
export const MAX_EXPANDED_LENGTH = 1024 * 1024;

const EXPRESSION = /\{\{([\s\S]*?)\}\}/g;
const SPECTRO_NAME = /^\.spectro\.[A-Za-z0-9_.-]+$/;

/** Whether a text holds any `{{ ... .spectro. ... }}` expression. */
export function hasSpectroExpression(text: string): boolean {
  for (const match of text.matchAll(EXPRESSION)) if (match[1].includes('.spectro.')) return true;
  return false;
}

/**
 * Returns the profiles with every macro in layer values and manifests expanded. Every problem
 * (unresolved macro, unsupported function, a cycle of pack references) is reported once, at once, in
 * a ProfileError naming the layer and the macro. Profiles without any macro are returned as they are.
 */
export function expandMacros(profiles: readonly ProfileSpec[], context: MacroContext = {}): ProfileSpec[] {
  const problems = new ProblemList();
  const out = expandMacrosWithWarnings(profiles, context, problems).profiles;
  problems.throwIfAny();
  return out;
}

/** Profiles with their macros expanded, and what did not stop the expansion but deserves a word. */
export interface ExpandedProfiles {
  readonly profiles: ProfileSpec[];
  /** At most one per layer: the macros in YAML comments that could not be resolved and were left as written. */
  readonly warnings: readonly Problem[];
}

/**
 * {@link expandMacros}, also returning the warnings (macros in YAML comments left as written), and
 * recording the problems in `problems` instead of throwing them: a text whose macros could not all
 * be expanded is returned as far as it was.
 */
export function expandMacrosWithWarnings(profiles: readonly ProfileSpec[], context: MacroContext, problems: ProblemList): ExpandedProfiles {
  const expander = new Expander(profiles, context, problems);
  const out = profiles.map((profile) => {
    if (typeof profile !== 'object' || profile === null || !Array.isArray(profile.layers)) return profile;
    let changed = false;
    const layers = profile.layers.map((layer) => {
      const expanded = expander.layer(profile, layer);
      if (expanded !== layer) changed = true;
      return expanded;
    });
    return changed ? { ...profile, layers } : profile;
  });
  return { profiles: out, warnings: expander.warnings() };
}

interface LayerRef {
  readonly profile: ProfileSpec;
  readonly layer: LayerSpec;
}

/** What one expression gave: its text (a variable's is itself), or `failed` (a problem is recorded). */
type Outcome = { readonly text: string } | 'failed';

/** A pack reference's value, or why there is none (`failed`: already reported). */
type Lookup = { value: string } | { missing: string } | { failed: true };

/**
 * Expands the macros of one cluster. Pack references are resolved value by value: a value's text is
 * expanded when another value names it, so references inside one layer and across layers form a
 * graph of values, not of layers, and only a value that depends on itself is a cycle. Each
 * expression of each text is evaluated once (its outcome is kept), so each problem is recorded once.
 */
class Expander {
  /**
   * Where `expression` records problems: `found`, or a scratch list while a macro in a YAML comment
   * is tried (a comment does not reach the cluster, so it cannot fail the run).
   */
  private problems: ProblemList;
  private readonly byName = new Map<string, LayerRef>();
  /** A number per layer object: caches are keyed by it, as two profiles may (wrongly) share a layer name. */
  private readonly ids = new Map<LayerSpec, number>();
  private readonly skeletons = new Map<string, MacroSkeleton>();
  /** The outcome of each expression of each text, by `<text key>#<index>`. */
  private readonly outcomes = new Map<string, Outcome>();
  /** The value each pack reference resolved to, by `<layer id>` and the keys' JSON. */
  private readonly resolved = new Map<string, Lookup>();
  /** The values being expanded, innermost last: a value met again here depends on itself. */
  private readonly inProgress: { readonly key: string; readonly label: string }[] = [];
  /** Layers whose values passed the size limit: reported once, not again by every reference to them. */
  private readonly overLimit = new Set<LayerSpec>();
  /** Whether a chain of pack references passed MAX_REFERENCE_DEPTH; later references then stop. */
  private tooDeep = false;
  /** Per layer, where its first unresolved macro in a comment stands and every such macro. */
  private readonly commentMisses = new Map<LayerSpec, { where: Location; wholes: string[] }>();
  private readonly base?: ProfileSpec;
  private readonly k8s?: LayerRef;

  /**
   * @param found where every problem found is recorded: what the run fails with
   */
  constructor(profiles: readonly ProfileSpec[], private readonly context: MacroContext, private readonly found: ProblemList) {
    this.problems = found;
    for (const profile of profiles) {
      if (typeof profile !== 'object' || profile === null || !Array.isArray(profile.layers)) continue;
      if (profile.type !== 'add-on' && this.base === undefined) this.base = profile;
      for (const layer of profile.layers) {
        if (typeof layer !== 'object' || layer === null || typeof layer.name !== 'string') continue;
        if (!this.byName.has(layer.name)) this.byName.set(layer.name, { profile, layer });
        if (layer.slot === 'k8s' && this.k8s === undefined) this.k8s = { profile, layer };
      }
    }
  }

  /** The layer with its values and manifests expanded; the same object when nothing changed. */
  public layer(profile: ProfileSpec, layer: LayerSpec): LayerSpec {
    if (typeof layer !== 'object' || layer === null) return layer;
    const ref: LayerRef = { profile, layer };
    const where = this.where(ref);
    const values = this.values(ref, where);
    // A manifest layer's manifests, and those attached to a Helm or registry pack layer: Palette expands both.
    const given = (layer as { manifests?: unknown }).manifests;
    let manifests = Array.isArray(given) ? (given as readonly ManifestSpec[]) : undefined;
    if (manifests !== undefined) {
      manifests = manifests.map((m, i) => {
        if (typeof m?.content !== 'string' || !hasSpectroExpression(m.content)) return m;
        const content = this.expand(m.content, ref, { ...where, manifest: m.name, field: 'content' }, `${this.id(layer)}\0manifest\0${i}`, 'documents');
        return { ...m, content };
      });
    }
    const manifestsChanged = manifests !== undefined && manifests.some((m, i) => m !== (given as readonly ManifestSpec[])[i]);
    if (values === layer.values && !manifestsChanged) return layer;
    return { ...layer, values, ...(manifestsChanged ? { manifests } : {}) } as LayerSpec;
  }

  /** One warning per layer whose comments hold macros that could not be resolved. */
  public warnings(): Problem[] {
    return [...this.commentMisses.values()].map(({ where, wholes }) => ({
      ...where,
      message:
        wholes.length === 1
          ? `macro ${wholes[0]} stands in a YAML comment and cannot be resolved; it is left as written (a comment does not reach the cluster)`
          : `macros ${wholes.join(', ')} stand in YAML comments and cannot be resolved; they are left as written (a comment does not reach the cluster)`,
    }));
  }

  private where(ref: LayerRef): Location {
    return { file: ref.profile.source, profile: ref.profile.name, layer: ref.layer.name };
  }

  private id(layer: LayerSpec): number {
    let id = this.ids.get(layer);
    if (id === undefined) this.ids.set(layer, (id = this.ids.size));
    return id;
  }

  private values(ref: LayerRef, where: Location): LayerSpec['values'] {
    const raw = ref.layer.values;
    const at: Location = { ...where, field: 'values' };
    if (typeof raw === 'string') return hasSpectroExpression(raw) ? this.expand(raw, ref, at, `${this.id(ref.layer)}\0values`, 'document') : raw;
    if (isMap(raw)) return this.deep(raw, ref, at, []) as LayerSpec['values'];
    return raw;
  }

  /** Values given as a map: each string expanded, keys included. */
  private deep(value: unknown, ref: LayerRef, where: Location, keys: ValueKey[]): unknown {
    if (typeof value === 'string') return hasSpectroExpression(value) ? this.expand(value, ref, where, this.mapTextKey(ref.layer, keys), 'none', keys) : value;
    if (Array.isArray(value)) {
      const items = value.map((v, i) => this.deep(v, ref, where, [...keys, i]));
      return items.some((v, i) => v !== value[i]) ? items : value;
    }
    if (isMap(value)) {
      let changed = false;
      const entries = Object.entries(value).map(([k, v]) => {
        const nk = hasSpectroExpression(k) ? this.expand(k, ref, where, `${this.id(ref.layer)}\0key\0${JSON.stringify([...keys, k])}`, 'none') : k;
        const nv = this.deep(v, ref, where, [...keys, k]);
        if (nk !== k || nv !== v) changed = true;
        return [nk, nv] as const;
      });
      return changed ? Object.fromEntries(entries) : value;
    }
    return value;
  }

  private mapTextKey(layer: LayerSpec, keys: readonly ValueKey[]): string {
    return `${this.id(layer)}\0values\0${JSON.stringify(keys)}`;
  }

  private skeleton(key: string, text: string, form: 'document' | 'documents' | 'none'): MacroSkeleton {
    let skeleton = this.skeletons.get(key);
    if (skeleton === undefined) this.skeletons.set(key, (skeleton = macroSkeleton(text, form)));
    return skeleton;
  }

  /**
   * Expands every `.spectro` expression of one text (identified by `key`). `valueKeys` names the
   * value the whole text is (a string of values given as a map); otherwise the text's own reading
   * tells which value holds each expression, or that it stands in a comment.
   */
  private expand(text: string, ref: LayerRef, where: Location, key: string, form: 'document' | 'documents' | 'none', valueKeys?: readonly ValueKey[]): string {
    const skeleton = this.skeleton(key, text, form);
    // The growth is counted while replacing, so a chain of references that doubles a text at each
    // step stops at the limit instead of building gigabytes first.
    let length = text.length;
    let tooLong = false;
    const out = replaceExpressions(text, skeleton.expressions, (e, i) => {
      if (tooLong) return e.whole;
      const place = skeleton.places[i];
      const outcome = place === 'comment' ? this.inComment(e, ref, where, key, i) : this.outcome(e, ref, where, key, i, valueKeys ?? (Array.isArray(place) ? (place as readonly ValueKey[]) : undefined));
      if (outcome === 'failed') return e.whole;
      length += outcome.text.length - e.whole.length;
      if (length > MAX_EXPANDED_LENGTH) {
        tooLong = true;
        this.tooLong(ref, where, e.whole);
        return e.whole;
      }
      return outcome.text;
    });
    return tooLong ? text : out;
  }

  private tooLong(ref: LayerRef, where: Location, whole: string): void {
    if (this.overLimit.has(ref.layer)) return;
    this.overLimit.add(ref.layer);
    this.found.add(where, `grows beyond ${MAX_EXPANDED_LENGTH} characters (the size limit) when macro ${whole} is expanded; pack references that repeat a value at each step grow it exponentially`);
  }

  /**
   * The outcome of expression `i` of a text, evaluated once. An expression met outside any pack
   * reference (the layer's own text being expanded) stands for the value that holds it, so that a
   * reference leading back to that value is seen as the cycle it is.
   */
  private outcome(e: SpectroExpression, ref: LayerRef, where: Location, textKey: string, i: number, valueKeys: readonly ValueKey[] | undefined): Outcome {
    const id = `${textKey}#${i}`;
    const known = this.outcomes.get(id);
    if (known !== undefined) return known;
    const stands = valueKeys !== undefined && this.inProgress.length === 0;
    if (stands) this.inProgress.push(this.valueNode(ref, valueKeys));
    const saved = this.problems;
    this.problems = this.found;
    const text = this.expression(e.whole, e.body, ref, where);
    this.problems = saved;
    if (stands) this.inProgress.pop();
    const outcome: Outcome = text !== undefined ? { text } : isVariable(e.body) ? { text: e.whole } : 'failed';
    this.outcomes.set(id, outcome);
    return outcome;
  }

  /** A macro in a YAML comment: substituted where it resolves (Palette works on the text), else left as written, with a warning. */
  private inComment(e: SpectroExpression, ref: LayerRef, where: Location, textKey: string, i: number): Outcome {
    const id = `${textKey}#${i}`;
    const known = this.outcomes.get(id);
    if (known !== undefined) return known;
    const saved = this.problems;
    this.problems = new ProblemList();
    const text = this.expression(e.whole, e.body, ref, where);
    const quiet = this.problems.empty;
    this.problems = saved;
    const outcome = { text: text ?? e.whole };
    if (text === undefined && !(isVariable(e.body) && quiet)) {
      const misses = this.commentMisses.get(ref.layer) ?? { where, wholes: [] };
      if (!misses.wholes.includes(e.whole)) misses.wholes.push(e.whole);
      this.commentMisses.set(ref.layer, misses);
    }
    this.outcomes.set(id, outcome);
    return outcome;
  }

  private valueNode(ref: LayerRef, keys: readonly ValueKey[]): { key: string; label: string } {
    return { key: `${this.id(ref.layer)}\0${JSON.stringify(keys)}`, label: `${ref.profile.name}/${ref.layer.name}/${keys.join('.')}` };
  }

  /** One expression's text, or undefined (problem recorded, or a variable left in place). */
  private expression(whole: string, body: string, ref: LayerRef, where: Location): string | undefined {
    if (body.startsWith('-') || body.endsWith('-')) {
      this.problems.add(where, `macro ${whole} uses trim markers ({{- -}}), which are not supported in .spectro expressions; remove the '-'`);
      return undefined;
    }
    const pipeline = parsePipeline(body);
    if ('failure' in pipeline) {
      this.problems.add(where, `macro ${whole} ${pipeline.failure}`);
      return undefined;
    }
    const fields = pipelineFields(pipeline);
    if (!fields.some((f) => f.startsWith('.spectro.'))) return undefined; // a chart's own template, such as {{ .Values.x | default ".spectro." }}
    const foreign = fields.find((f) => !SPECTRO_NAME.test(f));
    if (foreign !== undefined) {
      this.problems.add(where, `macro ${whole} reads ${foreign}, which is not a .spectro name; write {{ .spectro.<name> | function "argument" ... }}`);
      return undefined;
    }
    if (fields.some((f) => f.startsWith('.spectro.var.'))) {
      // Left in place: the variable becomes a Terraform variable and its pipeline a Terraform expression.
      const failure = checkVariablePipeline(body, pipeline, fields);
      if (failure !== undefined) this.problems.add(where, `profile variable ${whole} ${failure}`);
      return undefined;
    }
    // As in Palette an unresolved macro is nil, which default replaces; without a default it is an error here.
    const mayBeMissing = callsFunction(pipeline, 'default');
    let failed = false;
    const result = evaluatePipeline(pipeline, (field) => {
      const found = this.lookup(field, ref, where);
      if ('value' in found) return found.value;
      if ('missing' in found && !mayBeMissing) this.problems.add(where, `macro ${whole} cannot be resolved: ${found.missing}`);
      if (!('missing' in found) || !mayBeMissing) failed = true;
      return null;
    });
    if (failed) return undefined;
    if ('failure' in result) {
      this.problems.add(where, `macro ${whole}: ${result.failure}`);
      return undefined;
    }
    return result.value;
  }

  private lookup(name: string, ref: LayerRef, where: Location): { value: string } | { missing: string } | { failed: true } {
    const path = name.slice('.spectro.'.length);
    if (path.startsWith('system.')) return this.system(path.slice('system.'.length), ref);
    if (path.startsWith('macro.')) {
      const macro = path.slice('macro.'.length);
      // Only the caller's own names: `constructor` or `__proto__` must not reach Object.prototype.
      const macros = this.context.macros ?? {};
      const value = Object.prototype.hasOwnProperty.call(macros, macro) ? macros[macro] : undefined;
      if (typeof value === 'string') return { value };
      const known = Object.keys(this.context.macros ?? {});
      return { missing: `user macro "${macro}" is not defined; pass --macro ${macro}=VALUE or list it in --macro-file (defined: ${quotedList(known)})` };
    }
    if (path.startsWith('pack.')) return this.packReference(path.slice('pack.'.length), where);
    return { missing: `".spectro.${path}" is not a known macro; use .spectro.system.*, .spectro.pack.<layer>.<path>, .spectro.macro.<name> or .spectro.var.<name>` };
  }

  private system(path: string, ref: LayerRef): { value: string } | { missing: string } {
    switch (path) {
      case 'cluster.name':
        return this.context.clusterName !== undefined
          ? { value: this.context.clusterName }
          : { missing: "the cluster's name is not known; pass --cluster-name NAME (the CLI defaults to the stack name) or clusterName" };
      case 'kubernetes.version': {
        if (this.k8s === undefined) return { missing: 'no layer of the cluster fills the k8s slot, so the Kubernetes version is not known' };
        const version = this.k8s.layer.version;
        if (typeof version !== 'string' || version === '') return { missing: `k8s layer "${this.k8s.layer.name}" has no version` };
        if (isTrain(version)) return { missing: `k8s layer "${this.k8s.layer.name}" has version train "${version}", which is resolved only by resolveTrains (the CLI does it); resolve trains before planning` };
        return { value: version };
      }
      case 'clusterprofile.name':
        return { value: ref.profile.name };
      case 'clusterprofile.version':
        return { value: ref.profile.version ?? '1.0.0' };
      case 'clusterprofile.infra.name':
        return this.base !== undefined ? { value: this.base.name } : { missing: 'the cluster has no infrastructure or full profile' };
      case 'clusterprofile.infra.version':
        return this.base !== undefined ? { value: this.base.version ?? '1.0.0' } : { missing: 'the cluster has no infrastructure or full profile' };
      default:
        return { missing: `system macro "${path}" has no meaning for a Terraform-managed cluster; supported: ${SYSTEM_MACROS.join(', ')}; use a user macro (.spectro.macro.<name>) for anything else` };
    }
  }

  /** `<layer>.<dotted.path>`: the longest layer name that prefixes the reference wins. */
  private packReference(reference: string, where: Location): Lookup {
    const candidates = [...this.byName.keys()].filter((n) => reference.startsWith(`${n}.`)).sort((a, b) => b.length - a.length);
    if (candidates.length === 0) {
      return { missing: `no layer of the cluster is named by the start of "${reference}" (layers: ${quotedList([...this.byName.keys()])})` };
    }
    const target = this.byName.get(candidates[0])!;
    // The referring value inherits an earlier failure silently: it was reported where it happened.
    if (this.overLimit.has(target.layer) || this.tooDeep) return { failed: true };
    return this.valueOf(target, reference.slice(candidates[0].length + 1), where);
  }

  /**
   * The value at `path` in a layer's values, its own macros expanded: only the expressions inside
   * that value are expanded (the rest of the layer may name this value in turn), then the layer's
   * text is read as Helm reads values, so that the value keeps the type Helm gives it.
   */
  private valueOf(target: LayerRef, path: string, where: Location): Lookup {
    const name = target.layer.name;
    const raw = target.layer.values;
    const textKey = `${this.id(target.layer)}\0values`;
    let skeleton: MacroSkeleton | undefined;
    let root: unknown = raw ?? {};
    if (typeof raw === 'string') {
      skeleton = this.skeleton(textKey, raw, 'document');
      if (skeleton.expressions.length === 0) {
        try {
          root = parseHelmYaml(raw) ?? {};
        } catch {
          return { missing: `layer "${name}" has values that cannot be read` };
        }
      } else if (skeleton.documents === undefined) {
        return { missing: `layer "${name}" has values that cannot be read as YAML with their macros in place, so no value of it can be named` };
      } else root = skeleton.documents[0] ?? {};
    }
    if (!isMap(root)) return { missing: `layer "${name}" has values that cannot be read` };
    const readings = readPath(root, path);
    if (readings.length === 0) return { missing: `layer "${name}" has no value at "${path}"` };
    if (readings.length > 1) {
      return { missing: `layer "${name}" has two values at "${path}": ${readings.map((r) => showKeys(r.keys)).join(' and ')}; rename one of the keys` };
    }
    const { keys } = readings[0];
    const node = this.valueNode(target, keys);
    const known = this.resolved.get(node.key);
    if (known !== undefined) return known;
    const at = this.inProgress.findIndex((n) => n.key === node.key);
    if (at >= 0) {
      const members = this.inProgress.slice(at);
      for (const member of members) this.resolved.set(member.key, { failed: true });
      this.found.add(where, `pack references form a cycle: ${[...members, node].map((n) => n.label).join(' -> ')}`);
      return { failed: true };
    }
    if (this.inProgress.length >= MAX_REFERENCE_DEPTH) {
      // Reported once: the rest of such a chain would pass the limit again from each next value.
      this.tooDeep = true;
      this.found.add(where, `pack references nest deeper than ${MAX_REFERENCE_DEPTH} values (the depth limit) at ${node.label}: ${this.inProgress.slice(0, 3).map((n) => n.label).join(' -> ')} -> ... -> ${node.label}`);
      return { failed: true };
    }
    this.inProgress.push(node);
    const found = this.expandedValue(target, readings[0], skeleton, textKey, path);
    this.inProgress.pop();
    // A cycle through this value, found while expanding it, has already settled it.
    const settled = this.resolved.get(node.key) ?? found;
    this.resolved.set(node.key, settled);
    return settled;
  }

  private expandedValue(target: LayerRef, reading: PathReading, skeleton: MacroSkeleton | undefined, textKey: string, path: string): Lookup {
    const name = target.layer.name;
    const where: Location = { ...this.where(target), field: 'values' };
    let value = reading.value;
    if (typeof value === 'string' && skeleton !== undefined && skeleton.expressions.length > 0) {
      const inside = skeleton.tokensIn(value);
      if (inside.length > 0) {
        const texts = new Map<number, string>();
        for (const i of inside) {
          const e = skeleton.expressions[i];
          const outcome = this.outcome(e, target, where, textKey, i, reading.keys);
          if (outcome === 'failed') return { failed: true };
          // A variable stays a token until the value is read, as its braces are not plain YAML.
          if (outcome.text !== e.whole) texts.set(i, outcome.text);
        }
        const text = replaceExpressions(skeleton.text, skeleton.expressions, (e, i) => texts.get(i) ?? skeleton.token(i));
        if (text.length > MAX_EXPANDED_LENGTH) {
          this.tooLong(target, where, skeleton.expressions[inside[0]].whole);
          return { failed: true };
        }
        let reread: { value: unknown } | undefined;
        try {
          reread = valueAt(parseHelmYaml(text), reading.keys);
        } catch (err) {
          return { missing: `layer "${name}" has values that are not valid YAML once "${path}" is expanded: ${yamlReason(err)}` };
        }
        if (reread === undefined) return { missing: `layer "${name}" has no value at "${path}" once its macros are expanded` };
        value = reread.value;
        if (typeof value === 'string') value = replaceTokens(value, skeleton);
      }
    } else if (typeof value === 'string' && hasSpectroExpression(value)) {
      const textKeyOfValue = this.mapTextKey(target.layer, reading.keys);
      const expanded = this.expand(value, target, where, textKeyOfValue, 'none', reading.keys);
      const skeletonOfValue = this.skeleton(textKeyOfValue, value, 'none');
      if (skeletonOfValue.expressions.some((_e, i) => this.outcomes.get(`${textKeyOfValue}#${i}`) === 'failed') || this.overLimit.has(target.layer)) return { failed: true };
      value = expanded;
    }
    if (value === null || value === undefined) return { missing: `layer "${name}" has no value at "${path}" (it is null)` };
    if (typeof value === 'object') return { missing: `layer "${name}" holds a ${Array.isArray(value) ? 'list' : 'map'} at "${path}"; a pack reference must name a single value` };
    // What Helm reads: `0644` is 420, `yes` is true; the reference gives that value's text.
    return { value: String(value) };
  }
}

/** Whether an expression names a profile variable, which is left in place for Terraform. */
function isVariable(body: string): boolean {
  return body.trim().startsWith('.spectro.var.');
}

/** A value read with tokens in place of its variables: the variables' braces back. */
function replaceTokens(value: string, skeleton: MacroSkeleton): string {
  let out = value;
  for (const i of skeleton.tokensIn(value)) out = out.split(skeleton.token(i)).join(skeleton.expressions[i].whole);
  return out;
}

/** Why a use of a profile variable cannot become a Terraform expression, or undefined when it can. */
function checkVariablePipeline(body: string, pipeline: Pipeline, fields: readonly string[]): string | undefined {
  const name = fields[0].slice('.spectro.var.'.length);
  if (fields.length > 1 || pipeline.commands[0].function !== undefined || !/^[A-Za-z0-9_-]+$/.test(name)) {
    return 'must stand first and alone, optionally piped to functions: write {{ .spectro.var.NAME | function "argument" ... }}';
  }
  if (pipeline.commands.length === 1) return undefined;
  const translated = variableExpression(name, body.slice(body.indexOf('|')));
  return typeof translated === 'string' ? undefined : translated.failure;
}
