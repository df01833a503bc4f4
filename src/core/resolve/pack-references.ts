import { parseHelmYaml, parseKubernetesDocuments } from '../input/values-yaml';
import { isMap } from '../input/yaml';

/**
 * The pure part of reading pack references value by value: a text's `.spectro` expressions replaced
 * by plain tokens so that the text can be read as YAML before anything is expanded (which tells, for
 * each expression, the value that holds it, or that it stands in a comment), and the reading of a
 * dotted path through keys that may themselves hold dots.
 */

/** One `{{ ... }}` expression naming `.spectro.` in a text. */
export interface SpectroExpression {
  /** Where it starts in the text (UTF-16 units). */
  readonly start: number;
  /** Where it ends, exclusive. */
  readonly end: number;
  /** The expression as written, braces included. */
  readonly whole: string;
  /** What stands between the braces. */
  readonly body: string;
}

/** A key or a list index on the way to a value. */
export type ValueKey = string | number;

/**
 * Where an expression stands: the keys of the value whose text holds it, `key` for a map key, or
 * `comment` for a YAML comment (it appears nowhere in what a YAML reader makes of the text).
 */
export type ExpressionPlace = readonly ValueKey[] | 'key' | 'comment';

/** A text read as YAML with its `.spectro` expressions replaced by tokens. */
export interface MacroSkeleton {
  /** The text as written. */
  readonly text: string;
  /** Each `.spectro` expression, in text order. */
  readonly expressions: readonly SpectroExpression[];
  /** The documents read with each expression replaced by {@link MacroSkeleton.token}; undefined when that is not valid YAML (or not read). */
  readonly documents: readonly unknown[] | undefined;
  /** Per expression, where it stands; undefined when the documents could not be read. */
  readonly places: readonly (ExpressionPlace | undefined)[];
  /** The token standing for expression `i`: letters and digits only, so a YAML reader takes it as plain text anywhere. */
  token(i: number): string;
  /** The indexes of the expressions whose tokens appear in `text`, in order. */
  tokensIn(text: string): number[];
}

const EXPRESSION = /\{\{([\s\S]*?)\}\}/g;

/** Every `{{ ... }}` expression of a text whose body names `.spectro.`. */
export function spectroExpressions(text: string): SpectroExpression[] {
  const out: SpectroExpression[] = [];
  for (const match of text.matchAll(EXPRESSION)) {
    if (!match[1].includes('.spectro.')) continue;
    out.push({ start: match.index!, end: match.index! + match[0].length, whole: match[0], body: match[1] });
  }
  return out;
}

/**
 * Reads a text with each `.spectro` expression replaced by a token: as one YAML document (layer
 * values), as a stream of documents (manifests), or not at all (`none`: a string inside values given
 * as a map, where every expression is part of the value).
 */
export function macroSkeleton(text: string, form: 'document' | 'documents' | 'none'): MacroSkeleton {
  const expressions = spectroExpressions(text);
  // A prefix the text does not hold, so that a token found after reading is one of ours.
  let prefix = 'zSpectroMacro';
  while (text.includes(prefix)) prefix += 'Q';
  const token = (i: number): string => `${prefix}${i}z`;
  const pattern = new RegExp(`${prefix}(\\d+)z`, 'g');
  const tokensIn = (s: string): number[] => [...s.matchAll(pattern)].map((m) => Number(m[1])).filter((i) => i < expressions.length);
  let documents: unknown[] | undefined;
  if (form !== 'none' && expressions.length > 0) {
    const tokened = replaceExpressions(text, expressions, (_e, i) => token(i));
    try {
      documents = form === 'document' ? [parseHelmYaml(tokened)] : parseKubernetesDocuments(tokened);
    } catch {
      documents = undefined;
    }
  }
  const places: (ExpressionPlace | undefined)[] = expressions.map(() => (documents !== undefined ? 'comment' : undefined));
  if (documents !== undefined) {
    const visit = (node: unknown, keys: ValueKey[], seen: Set<object>): void => {
      if (typeof node === 'string') {
        for (const i of tokensIn(node)) places[i] = [...keys];
      } else if (typeof node === 'object' && node !== null && !seen.has(node)) {
        seen.add(node);
        if (Array.isArray(node)) node.forEach((item, n) => visit(item, [...keys, n], seen));
        else {
          for (const [key, value] of Object.entries(node)) {
            for (const i of tokensIn(key)) places[i] = 'key';
            visit(value, [...keys, key], seen);
          }
        }
      }
    };
    const single = form === 'document';
    documents.forEach((doc, n) => visit(doc, single ? [] : [n], new Set()));
  }
  return { text, expressions, documents, places, token, tokensIn };
}

/** The text with each expression replaced by what `by` gives for it. */
export function replaceExpressions(text: string, expressions: readonly SpectroExpression[], by: (e: SpectroExpression, i: number) => string): string {
  let out = '';
  let last = 0;
  expressions.forEach((e, i) => {
    out += text.slice(last, e.start) + by(e, i);
    last = e.end;
  });
  return out + text.slice(last);
}

/** One way of reading a dotted path: the keys taken and the value found. */
export interface PathReading {
  readonly keys: readonly ValueKey[];
  readonly value: unknown;
}

/**
 * Every way (at most two: a second one is already an ambiguity) of reading `path` through `root`,
 * where a key may hold dots (`options.system.registry` may be `options` then `system.registry`). The
 * longest literal key is tried first, so the first reading is the one that takes the longest keys.
 * A list is entered by an item's index.
 */
export function readPath(root: unknown, path: string): PathReading[] {
  const segments = path.split('.');
  const out: PathReading[] = [];
  const walk = (node: unknown, from: number, keys: ValueKey[]): void => {
    if (out.length >= 2) return;
    if (from === segments.length) {
      out.push({ keys, value: node });
      return;
    }
    if (Array.isArray(node)) {
      const index = segments[from];
      if (/^\d+$/.test(index) && Number(index) < node.length) walk(node[Number(index)], from + 1, [...keys, Number(index)]);
      return;
    }
    if (!isMap(node)) return;
    for (let to = segments.length; to > from; to--) {
      const key = segments.slice(from, to).join('.');
      if (Object.prototype.hasOwnProperty.call(node, key)) walk(node[key], to, [...keys, key]);
    }
  };
  walk(root, 0, []);
  return out;
}

/** The value at exactly these keys, or undefined. */
export function valueAt(root: unknown, keys: readonly ValueKey[]): { value: unknown } | undefined {
  let node = root;
  for (const key of keys) {
    if (typeof key === 'number' ? Array.isArray(node) && key < node.length : isMap(node) && Object.prototype.hasOwnProperty.call(node, key)) {
      node = (node as Record<string | number, unknown>)[key];
    } else return undefined;
  }
  return { value: node };
}

/** Keys as a person reads them: `options["system.registry"]`, `ports[0]`, `image.repository`. */
export function showKeys(keys: readonly ValueKey[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : k.includes('.') ? `[${JSON.stringify(k)}]` : i === 0 ? k : `.${k}`)).join('');
}
