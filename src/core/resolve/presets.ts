import { CatalogPack, CatalogPreset } from '../model/catalog';
import { Location, ProblemList, quotedList, shown } from '../model/errors';
import { mergeValues } from './merge-values';
import { LayerValues } from '../model/spec';
import '../model/names';
import { isMap } from '../input/yaml';
import { readEnabledPresetsComment } from '../input/enabled-presets';

/**
 * Pack presets: named value sets a pack offers (`{name, displayName, group, remove, add}` in the
 * catalog). A layer enables presets by name; each enabled preset deletes its `remove` paths from the
 * pack's default values and merges its `add` values in (Helm's rules), in the order the pack lists
 * them, and the layer's own values are merged over the result, so what the layer writes wins. At
 * most one preset of each group may be enabled.
 *
 * Palette records the choice as the first line of the layer's values,
 * `# spectrocloud.com/enabled-presets: Group:name,Other:name2`; that comment is read when the layer
 * names no presets itself, and written on export.
 */

/** How a preset is named in Palette's comment: `Group:name`, or `name` when it has no group. */
export function presetReference(preset: CatalogPreset): string {
  return preset.group !== undefined ? `${preset.group}:${preset.name}` : preset.name;
}

/**
 * The pack's presets that `enabled` names (`name` or `Group:name`), in the pack's order. Unknown
 * names, a wrong group and two presets of one group are problems naming the layer and listing the
 * presets available.
 */
export function choosePresets(pack: CatalogPack, enabled: readonly string[], where: Location, problems: ProblemList): CatalogPreset[] {
  const chosen = new Set<CatalogPreset>();
  const field = { ...where, field: 'presets' };
  const available = quotedList(pack.presets.map(presetReference));
  for (const reference of enabled) {
    if (typeof reference !== 'string' || reference.trim() === '') {
      problems.add(field, `must list preset names ("name" or "Group:name"), found ${shown(reference)}`);
      continue;
    }
    const colon = reference.lastIndexOf(':');
    const group = colon >= 0 ? reference.slice(0, colon).trim() : undefined;
    const name = colon >= 0 ? reference.slice(colon + 1).trim() : reference.trim();
    const preset = pack.presets.find((p) => p.name === name);
    if (preset === undefined) {
      problems.add(field, `"${reference}" is not a preset of pack "${pack.name}" ${pack.version}; available presets: ${available}`);
      continue;
    }
    if (group !== undefined && group !== (preset.group ?? '')) {
      problems.add(field, `"${reference}" names group "${group}", but preset "${name}" of pack "${pack.name}" is in ${preset.group !== undefined ? `group "${preset.group}"` : 'no group'}; write "${presetReference(preset)}"`);
      continue;
    }
    chosen.add(preset);
  }
  const byGroup = new Map<string, CatalogPreset>();
  for (const preset of pack.presets.filter((p) => chosen.has(p))) {
    if (preset.group === undefined) continue;
    const other = byGroup.get(preset.group);
    if (other !== undefined) {
      problems.add(field, `enables "${other.name}" and "${preset.name}", both in group "${preset.group}" of pack "${pack.name}"; enable at most one preset per group`);
      chosen.delete(preset);
    } else byGroup.set(preset.group, preset);
  }
  return pack.presets.filter((p) => chosen.has(p));
}

/**
 * Applies presets to values: for each preset in turn, its `remove` paths are deleted (a path that
 * is not there is ignored) and its `add` values merged in. The input is not modified.
 */
export function applyPresets(values: Readonly<Record<string, unknown>>, presets: readonly CatalogPreset[]): Record<string, unknown> {
  let out = mergeValues(values, {});
  for (const preset of presets) {
    for (const path of preset.remove) out = removePath(out, path.split('.'));
    out = mergeValues(out, preset.add);
  }
  return out;
}

function removePath(values: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = keys;
  if (!Object.prototype.hasOwnProperty.call(values, head)) return values;
  const copy = { ...values };
  if (rest.length === 0) delete copy[head];
  else if (isMap(copy[head])) copy[head] = removePath(copy[head] as Record<string, unknown>, rest);
  return copy;
}

/**
 * The presets a layer enables: its own `presets` list, else the names in Palette's first-line
 * comment of its values, else none.
 */
export function enabledPresetsOf(layer: { readonly presets?: readonly string[]; readonly values?: LayerValues }): readonly string[] {
  return layer.presets ?? readEnabledPresetsComment(layer.values) ?? [];
}
