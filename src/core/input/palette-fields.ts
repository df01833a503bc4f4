import { isMap } from './yaml';

/**
 * Fields of a Palette export that this library reads but does not use (a pack's `uid`, its
 * registry's `uid`, `kind` and `isPrivate`, the profile's `metadata.labels`, ...). Nothing in an
 * input is dropped silently: they are kept on the model as they were read (`paletteFields`, shaped
 * like the object they came from), and `export` writes them back in place.
 */

/** A map of kept fields, shaped like the object of the export they came from. */
export type PaletteFields = { readonly [key: string]: unknown };

/**
 * The fields of `map` this library does not use: every key not in `used`, and for each key of
 * `within`, the unused fields of the map under it (themselves found with `within`'s own lists).
 * Undefined when nothing is left.
 */
export function unusedFields(map: Readonly<Record<string, unknown>>, used: readonly string[], within: Readonly<Record<string, readonly string[]>> = {}): PaletteFields | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) {
    if (!used.includes(key)) out[key] = value;
    else if (within[key] !== undefined && isMap(value)) {
      const inner = unusedFields(value, within[key], nestedLists(within, key));
      if (inner !== undefined) out[key] = inner;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The lists of `within` for the maps under `key` (`registry.metadata` under `registry`). */
function nestedLists(within: Readonly<Record<string, readonly string[]>>, key: string): Record<string, readonly string[]> {
  const prefix = `${key}.`;
  return Object.fromEntries(Object.entries(within).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/** `{paletteFields}` when there are kept fields, else nothing: for spreading into a model object. */
export function keptFields(fields: PaletteFields | undefined): { paletteFields?: PaletteFields } {
  return fields !== undefined ? { paletteFields: fields } : {};
}

/**
 * `written` with the kept fields put back: a map in both is merged key by key, any other kept
 * value takes its place as it was read (the library never reads those fields, so the value read is
 * the one to give back).
 */
export function withPaletteFields(written: Record<string, unknown>, kept: PaletteFields | undefined): Record<string, unknown> {
  if (kept === undefined) return written;
  const out: Record<string, unknown> = { ...written };
  for (const [key, value] of Object.entries(kept)) {
    const mine = out[key];
    out[key] = isMap(mine) && isMap(value) ? withPaletteFields(mine, value) : value;
  }
  return out;
}
