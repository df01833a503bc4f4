/**
 * Maps keyed by names from input. A plain `{}` inherits `constructor`, `toString` and the
 * `__proto__` setter, so a layer, namespace or registry of such a name would read a function from
 * it or set its prototype; these maps have no prototype, and lookups see own keys only.
 */

/** An empty object with no prototype, for names from input. */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `map[key]` when `key` is the map's own key, else undefined (never an inherited `constructor`). */
export function ownValue<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}
