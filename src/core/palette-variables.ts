import { Location, ProblemList, quotedList, shown } from './errors';
import { ProfileVariableSpec, VARIABLE_FORMATS, VariableFormat, VariableOptionSpec } from './model';
import { isMap } from './yaml';

/**
 * Profile variables in a Palette export: `spec.variables[]` with `name`, `displayName`,
 * `description`, `format`, `defaultValue` (a string), `regex`, `required`, `isSensitive`, `hidden`,
 * `immutable`, and for dropdowns `inputType: dropdown` with `options[]` of `{value, label,
 * description}`. `sensitive` is read as a synonym of `isSensitive`. A sensitive variable's default
 * is never written back (Palette masks it on export too).
 */

/** Reads `spec.variables` of an export; undefined when there is none. Problems go to `problems`. */
export function parsePaletteVariables(value: unknown, at: Location, problems: ProblemList): ProfileVariableSpec[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.add({ ...at, field: 'spec.variables' }, `must be a list of variables, found ${shown(value)}`);
    return undefined;
  }
  const out: ProfileVariableSpec[] = [];
  value.forEach((item, i) => {
    const field = `spec.variables[${i}]`;
    if (!isMap(item) || typeof item.name !== 'string' || item.name === '') {
      problems.add({ ...at, field }, `must be a variable with a name, found ${shown(item)}`);
      return;
    }
    const format = item.format ?? 'string';
    if (typeof format !== 'string' || !VARIABLE_FORMATS.includes(format as VariableFormat)) {
      problems.add({ ...at, field: `${field}.format` }, `${shown(format)} must be one of ${quotedList(VARIABLE_FORMATS)}`);
      return;
    }
    const text = (key: string): string | undefined => (typeof item[key] === 'string' && item[key] !== '' ? (item[key] as string) : undefined);
    const flag = (key: string): boolean | undefined => (item[key] === true ? true : undefined);
    const defaultValue = item.defaultValue;
    const options = Array.isArray(item.options)
      ? item.options.filter(isMap).map((o): VariableOptionSpec => ({
        value: String(o.value),
        ...(typeof o.label === 'string' ? { label: o.label } : {}),
        ...(typeof o.description === 'string' ? { description: o.description } : {}),
      }))
      : undefined;
    const spec: ProfileVariableSpec = {
      name: item.name,
      ...(text('displayName') !== undefined ? { displayName: text('displayName') } : {}),
      ...(text('description') !== undefined ? { description: text('description') } : {}),
      ...(item.format !== undefined ? { format: format as VariableFormat } : {}),
      ...(typeof defaultValue === 'string' || typeof defaultValue === 'number' || typeof defaultValue === 'boolean'
        ? defaultValue === '' ? {} : { defaultValue }
        : {}),
      ...(text('regex') !== undefined ? { regex: text('regex') } : {}),
      ...(flag('required') ? { required: true } : {}),
      ...(item.isSensitive === true || item.sensitive === true ? { sensitive: true } : {}),
      ...(flag('hidden') ? { hidden: true } : {}),
      ...(flag('immutable') ? { immutable: true } : {}),
      ...(options !== undefined && options.length > 0 ? { options } : {}),
    };
    out.push(spec);
  });
  return out;
}

/** Writes variables as `spec.variables` of a Palette export. */
export function toPaletteVariables(variables: readonly ProfileVariableSpec[] | undefined): Record<string, unknown>[] {
  return (variables ?? []).map((v) => ({
    name: v.name,
    displayName: v.displayName ?? v.name,
    ...(v.description !== undefined ? { description: v.description } : {}),
    format: v.format ?? 'string',
    // A sensitive default is a secret: never written (Palette masks it on export too).
    ...(v.defaultValue !== undefined && v.sensitive !== true ? { defaultValue: String(v.defaultValue) } : {}),
    ...(v.regex !== undefined ? { regex: v.regex } : {}),
    required: v.required === true,
    isSensitive: v.sensitive === true,
    hidden: v.hidden === true,
    immutable: v.immutable === true,
    ...(v.options !== undefined && v.options.length > 0
      ? { inputType: 'dropdown', options: v.options.map((o) => ({ value: o.value, ...(o.label !== undefined ? { label: o.label } : {}), ...(o.description !== undefined ? { description: o.description } : {}) })) }
      : {}),
  }));
}
