import { Location, ProblemList, quotedList, shown } from './errors';
import { LayerSpec, ProfileSpec } from './model';
import { isTrain } from './versions';
import { isMap, parseYaml, yamlReason } from './yaml';

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
 * - Pack references `.spectro.pack.<layer>.<dotted.path>`: a scalar from another layer's values
 *   (after that layer's own macros are expanded).
 * - User macros `.spectro.macro.<name>`, given per cluster (`--macro NAME=VALUE`, `--macro-file`).
 * - Profile variables `.spectro.var.<name>` are left in place: they become Terraform variables.
 *
 * Pipes to a few Sprig functions are supported: `upper`, `lower`, `title`, `trim`, `quote`,
 * `squote`, `b64enc`, `b64dec` and `default "value"` (used when the macro is empty or unresolved).
 * Palette silently empties a macro it cannot resolve; here that is an error naming the macro and
 * the layer, as is any other function or template construct around a `.spectro` name.
 * Expressions that do not mention `.spectro.` (`{{ .Release.Name }}` for a chart's own `tpl`) are
 * left untouched.
 */

/** What macros expand to for one cluster. */
export interface MacroContext {
  /**
   * The cluster's name, for `{{ .spectro.system.cluster.name }}`.
   * @default - the macro is an error
   */
  readonly clusterName?: string;
  /**
   * User macros by name, for `{{ .spectro.macro.NAME }}`.
   * @default - no user macros
   */
  readonly macros?: Readonly<Record<string, string>>;
}

/** The system macros supported, for messages and documentation. */
export const SYSTEM_MACROS: readonly string[] = [
  'cluster.name',
  'kubernetes.version',
  'clusterprofile.name',
  'clusterprofile.version',
  'clusterprofile.infra.name',
  'clusterprofile.infra.version',
];

/** The Sprig functions a macro may be piped to. */
export const MACRO_FUNCTIONS: readonly string[] = ['upper', 'lower', 'title', 'trim', 'quote', 'squote', 'b64enc', 'b64dec', 'default'];

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
 * (unresolved macro, unsupported function, a cycle of pack references) is reported at once in a
 * ProfileError naming the layer and the macro. Profiles without any macro are returned as they are.
 */
export function expandMacros(profiles: readonly ProfileSpec[], context: MacroContext = {}): ProfileSpec[] {
  const expander = new Expander(profiles, context);
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
  expander.problems.throwIfAny();
  return out;
}

interface LayerRef {
  readonly profile: ProfileSpec;
  readonly layer: LayerSpec;
}

class Expander {
  public readonly problems = new ProblemList();
  private readonly byName = new Map<string, LayerRef>();
  private readonly expandedValues = new Map<string, LayerSpec['values']>();
  private readonly parsedValues = new Map<string, Record<string, unknown> | undefined>();
  private readonly inProgress: string[] = [];
  /**
   * Layers caught in a cycle of pack references or past a limit: reported once, not again by every
   * reference to them.
   */
  private readonly inCycle = new Set<string>();
  /** Whether a chain of pack references passed MAX_REFERENCE_DEPTH; later references then stop. */
  private tooDeep = false;
  private readonly base?: ProfileSpec;
  private readonly k8s?: LayerRef;

  constructor(profiles: readonly ProfileSpec[], private readonly context: MacroContext) {
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
    const where: Location = { file: profile.source, profile: profile.name, layer: layer.name };
    const values = this.values({ profile, layer }, where);
    let manifests = layer.kind === 'manifest' && Array.isArray(layer.manifests) ? layer.manifests : undefined;
    if (manifests !== undefined) {
      manifests = manifests.map((m) => {
        if (typeof m?.content !== 'string' || !hasSpectroExpression(m.content)) return m;
        return { ...m, content: this.text(m.content, { profile, layer }, { ...where, manifest: m.name, field: 'content' }) };
      });
    }
    const manifestsChanged = manifests !== undefined && layer.kind === 'manifest' && manifests.some((m, i) => m !== layer.manifests[i]);
    if (values === layer.values && !manifestsChanged) return layer;
    return { ...layer, values, ...(manifestsChanged ? { manifests } : {}) } as LayerSpec;
  }

  private values(ref: LayerRef, where: Location): LayerSpec['values'] {
    const key = ref.layer.name;
    if (this.expandedValues.has(key) && this.byName.get(key)?.layer === ref.layer) return this.expandedValues.get(key);
    const raw = ref.layer.values;
    let out: LayerSpec['values'] = raw;
    this.inProgress.push(key);
    if (typeof raw === 'string') {
      if (hasSpectroExpression(raw)) out = this.text(raw, ref, { ...where, field: 'values' });
    } else if (isMap(raw)) {
      const walked = this.deep(raw, ref, { ...where, field: 'values' });
      if (walked !== raw) out = walked as LayerSpec['values'];
    }
    this.inProgress.pop();
    if (this.byName.get(key)?.layer === ref.layer) this.expandedValues.set(key, out);
    return out;
  }

  private deep(value: unknown, ref: LayerRef, where: Location): unknown {
    if (typeof value === 'string') return hasSpectroExpression(value) ? this.text(value, ref, where) : value;
    if (Array.isArray(value)) {
      const items = value.map((v) => this.deep(v, ref, where));
      return items.some((v, i) => v !== value[i]) ? items : value;
    }
    if (isMap(value)) {
      let changed = false;
      const entries = Object.entries(value).map(([k, v]) => {
        const nk = this.deep(k, ref, where) as string;
        const nv = this.deep(v, ref, where);
        if (nk !== k || nv !== v) changed = true;
        return [nk, nv] as const;
      });
      return changed ? Object.fromEntries(entries) : value;
    }
    return value;
  }

  /** Expands every `.spectro` expression of one text. */
  private text(text: string, ref: LayerRef, where: Location): string {
    // The growth is counted while replacing, so a chain of references that doubles a text at each
    // step stops at the limit instead of building gigabytes first.
    let length = text.length;
    let overLimit = false;
    const out = text.replace(EXPRESSION, (whole: string, body: string) => {
      if (overLimit || !body.includes('.spectro.')) return whole;
      const result = this.expression(whole, body, ref, where);
      if (result === undefined) return whole;
      length += result.length - whole.length;
      if (length > MAX_EXPANDED_LENGTH) {
        overLimit = true;
        this.inCycle.add(ref.layer.name);
        this.problems.add(where, `grows beyond ${MAX_EXPANDED_LENGTH} characters (the size limit) when macro ${whole} is expanded; pack references that repeat a value at each step grow it exponentially`);
        return whole;
      }
      return result;
    });
    return overLimit ? text : out;
  }

  /** One expression's text, or undefined (problem recorded, or a variable left in place). */
  private expression(whole: string, body: string, ref: LayerRef, where: Location): string | undefined {
    if (body.startsWith('-') || body.endsWith('-')) {
      this.problems.add(where, `macro ${whole} uses trim markers ({{- -}}), which are not supported in .spectro expressions; remove the '-'`);
      return undefined;
    }
    const segments = splitPipeline(body);
    const head = segments?.[0]?.trim();
    if (segments === undefined || head === undefined || !SPECTRO_NAME.test(head)) {
      this.problems.add(where, `macro ${whole} is not supported: write {{ .spectro.<name> }}, optionally piped to ${MACRO_FUNCTIONS.join(', ')}`);
      return undefined;
    }
    if (head.startsWith('.spectro.var.')) {
      if (segments.length > 1) {
        this.problems.add(where, `profile variable ${whole} is piped to a function; variables are set by Terraform at plan time, so pipes on them are not supported`);
      }
      return undefined;
    }
    const pipes: { name: string; args: string[] }[] = [];
    for (const segment of segments.slice(1)) {
      const call = parseCall(segment);
      if (call === undefined || !MACRO_FUNCTIONS.includes(call.name)) {
        this.problems.add(where, `macro ${whole} pipes to ${shown(segment.trim())}, which is not supported; supported: ${MACRO_FUNCTIONS.map((f) => (f === 'default' ? 'default "value"' : f)).join(', ')}`);
        return undefined;
      }
      const arity = call.name === 'default' ? 1 : 0;
      if (call.args.length !== arity) {
        this.problems.add(where, `macro ${whole}: ${call.name} takes ${arity === 0 ? 'no argument' : 'one quoted argument, such as default "none"'}, found ${call.args.length}`);
        return undefined;
      }
      pipes.push(call);
    }
    const hasDefault = pipes.some((p) => p.name === 'default');
    const found = this.lookup(head, ref, where);
    if ('missing' in found && !hasDefault) {
      this.problems.add(where, `macro ${whole} cannot be resolved: ${found.missing}`);
      return undefined;
    }
    if ('failed' in found) return undefined;
    let value: string | undefined = 'value' in found ? found.value : undefined;
    for (const pipe of pipes) {
      if (pipe.name === 'default') {
        if (value === undefined || value === '') value = pipe.args[0];
        continue;
      }
      if (value === undefined) value = '';
      const applied = applyFunction(pipe.name, value);
      if (applied === undefined) {
        this.problems.add(where, `macro ${whole}: ${pipe.name} cannot decode ${shown(value)} (not base64)`);
        return undefined;
      }
      value = applied;
    }
    return value ?? '';
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
  private packReference(reference: string, where: Location): { value: string } | { missing: string } | { failed: true } {
    const candidates = [...this.byName.keys()].filter((n) => reference.startsWith(`${n}.`)).sort((a, b) => b.length - a.length);
    if (candidates.length === 0) {
      return { missing: `no layer of the cluster is named by the start of "${reference}" (layers: ${quotedList([...this.byName.keys()])})` };
    }
    const target = this.byName.get(candidates[0])!;
    const path = reference.slice(candidates[0].length + 1);
    const name = target.layer.name;
    if (this.inProgress.includes(name)) {
      const members = this.inProgress.slice(this.inProgress.indexOf(name));
      members.forEach((n) => this.inCycle.add(n));
      this.problems.add(where, `pack references form a cycle: ${[...members, name].map((n) => `"${n}"`).join(' -> ')}`);
      return { failed: true };
    }
    if (this.inCycle.has(name) || this.tooDeep) {
      // The referring layer inherits the failure, so its half-expanded text is not read as YAML.
      this.inCycle.add(this.inProgress[this.inProgress.length - 1]);
      return { failed: true };
    }
    if (this.inProgress.length >= MAX_REFERENCE_DEPTH && !this.parsedValues.has(name)) {
      // Reported once: the rest of such a chain would pass the limit again from each next layer.
      this.tooDeep = true;
      this.problems.add(where, `pack references nest deeper than ${MAX_REFERENCE_DEPTH} layers (the depth limit) at "${name}": ${this.inProgress.slice(0, 3).map((n) => `"${n}"`).join(' -> ')} -> ... -> "${name}"`);
      return { failed: true };
    }
    const parsed = this.parsed(target);
    if (this.inCycle.has(name)) return { failed: true };
    if (parsed === undefined) return { missing: `layer "${name}" has values that cannot be read` };
    let node: unknown = parsed;
    for (const key of path.split('.')) {
      if (isMap(node) && Object.prototype.hasOwnProperty.call(node, key)) node = node[key];
      else if (Array.isArray(node) && /^\d+$/.test(key) && Number(key) < node.length) node = node[Number(key)];
      else return { missing: `layer "${name}" has no value at "${path}"` };
    }
    if (node === null || node === undefined) return { missing: `layer "${name}" has no value at "${path}" (it is null)` };
    if (typeof node === 'object') return { missing: `layer "${name}" holds a ${Array.isArray(node) ? 'list' : 'map'} at "${path}"; a pack reference must name a single value` };
    return { value: String(node) };
  }

  private parsed(target: LayerRef): Record<string, unknown> | undefined {
    const name = target.layer.name;
    if (this.parsedValues.has(name)) return this.parsedValues.get(name);
    const where: Location = { file: target.profile.source, profile: target.profile.name, layer: name };
    const values = this.values(target, where);
    if (this.inCycle.has(name)) return undefined;
    let parsed: Record<string, unknown> | undefined;
    if (values === undefined) parsed = {};
    else if (typeof values === 'string') {
      try {
        const doc = parseYaml(values);
        parsed = doc === null || doc === undefined ? {} : isMap(doc) ? doc : undefined;
      } catch (err) {
        this.problems.add({ ...where, field: 'values' }, `is not valid YAML after macros were expanded: ${yamlReason(err)}`);
        parsed = undefined;
      }
    } else parsed = isMap(values) ? values : undefined;
    this.parsedValues.set(name, parsed);
    return parsed;
  }
}

/** Splits `a | b "x|y" | c` at pipes outside quotes; undefined when a quote is left open. */
function splitPipeline(body: string): string[] | undefined {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote !== undefined) {
      current += c;
      if (c === '\\' && quote === '"' && i + 1 < body.length) current += body[++i];
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') {
      quote = c;
      current += c;
    } else if (c === '|') {
      out.push(current);
      current = '';
    } else current += c;
  }
  if (quote !== undefined) return undefined;
  out.push(current);
  return out;
}

/** Reads `name "arg" ...`: a function name followed by Go string literals. */
function parseCall(segment: string): { name: string; args: string[] } | undefined {
  const match = /^\s*([A-Za-z][A-Za-z0-9]*)((?:\s+(?:"(?:[^"\\]|\\.)*"|`[^`]*`))*)\s*$/.exec(segment);
  if (match === null) return undefined;
  const args: string[] = [];
  for (const literal of match[2].matchAll(/"(?:[^"\\]|\\.)*"|`[^`]*`/g)) {
    const text = literal[0];
    if (text.startsWith('`')) args.push(text.slice(1, -1));
    else {
      try {
        args.push(JSON.parse(text) as string);
      } catch {
        return undefined;
      }
    }
  }
  return { name: match[1], args };
}

function applyFunction(name: string, value: string): string | undefined {
  switch (name) {
    case 'upper':
      return value.toUpperCase();
    case 'lower':
      return value.toLowerCase();
    case 'title':
      return value.replace(/(^|\s)(\S)/g, (_m, space: string, first: string) => space + first.toUpperCase());
    case 'trim':
      return value.trim();
    case 'quote':
      return JSON.stringify(value);
    case 'squote':
      return `'${value}'`;
    case 'b64enc':
      return Buffer.from(value, 'utf8').toString('base64');
    case 'b64dec':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0 ? Buffer.from(value, 'base64').toString('utf8') : undefined;
    default:
      return undefined;
  }
}
