import { isMap } from '../input/yaml';

/**
 * Merges a layer's values over a pack's default values with Helm's rules for stacked values files
 * (`helm install -f defaults.yaml -f layer.yaml`): maps merge key by key, recursively; lists and
 * scalars in `override` replace what `defaults` holds; a `null` in `override` deletes the key.
 *
 * The deletion is written as the `null` itself, replacing the default: Helm reads a null in the
 * values it is given as "delete this key", so the key disappears from the pack's defaults and from
 * the chart's own `values.yaml` alike, as it would in Palette, which hands the whole layer text to
 * Helm. Dropping the key here instead would let the chart's default come back.
 *
 * Keys keep the defaults' order; new keys follow in the override's order. Neither input is modified.
 *
 * @example mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null }) // { a: { b: 1, c: [2] }, d: null }
 */
export function mergeValues(defaults: Readonly<Record<string, unknown>>, override: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(override)) {
    const base = out[key];
    out[key] = isMap(base) && isMap(value) ? mergeValues(base, value) : value;
  }
  return out;
}
