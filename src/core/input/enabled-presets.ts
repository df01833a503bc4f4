/**
 * How Palette records a layer's enabled presets: the first line of its values,
 * `# spectrocloud.com/enabled-presets: Group:name,Other:name2`. Read when a layer names no presets
 * itself, written on export.
 */

import { LayerValues } from '../model/spec';
import { commaSeparated } from '../model/names';

/** The comment key Palette uses for enabled presets. */
export const ENABLED_PRESETS_KEY = 'spectrocloud.com/enabled-presets';

const COMMENT = /^[ \t]*#[ \t]*spectrocloud\.com\/enabled-presets:[ \t]*(.*?)[ \t]*\r?$/;

/**
 * The presets named by Palette's first-line comment of a values text, as written (`Group:name`);
 * undefined when the first line is not that comment.
 */
export function readEnabledPresetsComment(values: LayerValues | undefined): string[] | undefined {
  if (typeof values !== 'string') return undefined;
  const firstLine = values.split('\n', 1)[0];
  const match = COMMENT.exec(firstLine);
  if (match === null) return undefined;
  return commaSeparated(match[1]);
}

/** Palette's comment line for enabled presets: `# spectrocloud.com/enabled-presets: Group:name,...`. */
export function enabledPresetsComment(presets: readonly string[]): string {
  return `# ${ENABLED_PRESETS_KEY}: ${presets.join(',')}`;
}

/**
 * Values text with Palette's enabled-presets comment as its first line (replacing one already
 * there), or without it when `presets` is empty.
 */
export function withEnabledPresetsComment(values: string, presets: readonly string[]): string {
  const lines = values.split('\n');
  const rest = COMMENT.test(lines[0]) ? lines.slice(1) : lines;
  return presets.length === 0 ? rest.join('\n') : [enabledPresetsComment(presets), ...rest].join('\n');
}
