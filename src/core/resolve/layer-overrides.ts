import { ProblemList, quotedList, shown } from '../model/errors';
import { mergeValues } from './merge-values';
import { LayerSpec, ProfileSpec } from '../model/spec';
import { parseHelmYaml } from '../input/values-yaml';
import { isMap } from '../input/yaml';

/**
 * Values merged over layers' own values, by layer name: what one cluster changes in profiles it
 * shares with others (a replica count, a hostname, the `pack:` block's priority or namespace).
 */
export type LayerValueOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Returns copies of `profiles` with each named layer's values merged with `overrides[layer]` by
 * Helm's rules (maps merge, lists and scalars replace, `null` deletes; see `mergeValues`). The
 * inputs are not modified, so profiles shared by several clusters stay as they were.
 *
 * An overridden layer's values become a parsed map: comments and the exact text of its values
 * are not kept (Helm reads the same values). A layer whose values do not parse is left as it is,
 * so that resolving the cluster reports the problem. An override naming no layer of the profiles,
 * or not being a map, is an error.
 */
export function overrideLayerValues(profiles: readonly ProfileSpec[], overrides: LayerValueOverrides | undefined): ProfileSpec[] {
  if (overrides === undefined || Object.keys(overrides).length === 0) return [...profiles];
  const problems = new ProblemList();
  const known = profiles.flatMap((p) => (Array.isArray(p?.layers) ? p.layers.map((l) => l?.name) : []));
  for (const [layer, values] of Object.entries(overrides)) {
    if (!known.includes(layer)) {
      const list = quotedList(known);
      problems.add({ layer }, `has value overrides, but no profile of this cluster has a layer of that name (its layers: ${list})`);
    } else if (!isMap(values)) {
      problems.add({ layer, field: 'values' }, `override must be a map of values, found ${shown(values)}`);
    }
  }
  problems.throwIfAny();
  return profiles.map((profile) => {
    if (!profile.layers.some((l) => l.name in overrides)) return profile;
    return { ...profile, layers: profile.layers.map((layer) => (layer.name in overrides ? override(layer, overrides[layer.name]) : layer)) };
  });
}

function override(layer: LayerSpec, values: Readonly<Record<string, unknown>>): LayerSpec {
  let own: unknown = layer.values ?? {};
  if (typeof own === 'string') {
    try {
      own = parseHelmYaml(own) ?? {};
    } catch {
      return layer;
    }
  }
  if (!isMap(own)) return layer;
  return { ...layer, values: mergeValues(own, values) };
}
