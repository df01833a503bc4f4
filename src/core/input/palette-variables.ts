import { Location, ProblemList, quotedList, shown } from '../model/errors';
import { ProfileVariableSpec, VARIABLE_FORMATS, VariableFormat, VariableOptionSpec } from '../model/spec';
import { keptFields, unusedFields, withPaletteFields } from './palette-fields';
import { isMap } from './yaml';

/**
 * Profile variables in a Palette export: `spec.variables[]` with `name`, `displayName`,
 * `description`, `format`, `defaultValue` (a string), `regex`, `required`, `isSensitive`, `hidden`,
 * `immutable`, and for dropdowns `inputType: dropdown` with `options[]` of `{value, label,
 * description}`. `sensitive` is read as a synonym of `isSensitive`. A sensitive variable's default
 * is never written back (Palette masks it on export too). Other fields are kept as read and written
 * back (palette-fields.ts); a known field of another type than its own is an error, never skipped.
 */

/** The fields of a variable this library uses (`inputType` only as `dropdown` with options). */
const VARIABLE_FIELDS: readonly string[] = ['name', 'displayName', 'description', 'format', 'defaultValue', 'regex', 'required', 'isSensitive', 'sensitive', 'hidden', 'immutable', 'options'];
const TEXT_FIELDS: readonly string[] = ['displayName', 'description', 'regex'];
const FLAG_FIELDS: readonly string[] = ['required', 'isSensitive', 'sensitive', 'hidden', 'immutable'];
const OPTION_FIELDS: readonly string[] = ['value', 'label', 'description'];

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
    for (const key of TEXT_FIELDS) {
      if (item[key] !== undefined && item[key] !== null && typeof item[key] !== 'string') problems.add({ ...at, field: `${field}.${key}` }, `must be a string, found ${shown(item[key])}`);
    }
    for (const key of FLAG_FIELDS) {
      if (item[key] !== undefined && item[key] !== null && typeof item[key] !== 'boolean') problems.add({ ...at, field: `${field}.${key}` }, `must be true or false, found ${shown(item[key])}`);
    }
    const defaultValue = item.defaultValue;
    if (defaultValue !== undefined && defaultValue !== null && !['string', 'number', 'boolean'].includes(typeof defaultValue)) {
      problems.add({ ...at, field: `${field}.defaultValue` }, `must be a string, number or boolean, found ${shown(defaultValue)}`);
    }
    const options = readOptions(item.options, field, at, problems);
    // `inputType: dropdown` is what the options say; any other input type is kept as read.
    const inputTypeUsed = item.inputType === 'dropdown' && options !== undefined && options.length > 0 ? ['inputType'] : [];
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
      ...keptFields(unusedFields(item, [...VARIABLE_FIELDS, ...inputTypeUsed])),
    };
    out.push(spec);
  });
  return out;
}

/** The choices of a dropdown variable; each that is not a map with a text, number or bool `value` is reported. */
function readOptions(value: unknown, field: string, at: Location, problems: ProblemList): VariableOptionSpec[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.add({ ...at, field: `${field}.options` }, `must be a list of {value, label, description}, found ${shown(value)}`);
    return undefined;
  }
  const out: VariableOptionSpec[] = [];
  value.forEach((o, i) => {
    if (!isMap(o) || !['string', 'number', 'boolean'].includes(typeof o.value)) {
      problems.add({ ...at, field: `${field}.options[${i}]` }, `must be {value, label, description} with a text, number or boolean value, found ${shown(o)}`);
      return;
    }
    for (const key of ['label', 'description']) {
      if (o[key] !== undefined && o[key] !== null && typeof o[key] !== 'string') problems.add({ ...at, field: `${field}.options[${i}].${key}` }, `must be a string, found ${shown(o[key])}`);
    }
    out.push({
      value: String(o.value),
      ...(typeof o.label === 'string' ? { label: o.label } : {}),
      ...(typeof o.description === 'string' ? { description: o.description } : {}),
      ...keptFields(unusedFields(o, OPTION_FIELDS)),
    });
  });
  return out;
}

/** Writes variables as `spec.variables` of a Palette export. */
export function toPaletteVariables(variables: readonly ProfileVariableSpec[] | undefined): Record<string, unknown>[] {
  return (variables ?? []).map((v) => withPaletteFields({
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
      ? { inputType: 'dropdown', options: v.options.map((o) => withPaletteFields({ value: o.value, ...(o.label !== undefined ? { label: o.label } : {}), ...(o.description !== undefined ? { description: o.description } : {}) }, o.paletteFields)) }
      : {}),
  }, v.paletteFields));
}
