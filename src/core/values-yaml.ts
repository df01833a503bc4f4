import * as yaml from 'js-yaml';
import { ProfileError } from './errors';
import { parseYaml, yamlReason } from './yaml';

/**
 * Reading values YAML with the meaning Helm gives it. Helm reads values with a YAML 1.1 parser:
 * `yes`, `no`, `on`, `off`, `y`, `n` are booleans and `0644` is an octal integer. Values that this
 * library parses and writes again (pack values merged over pack defaults, values written as nested
 * YAML in an authoring file) are read with those rules, so that writing them back out (`true`, `420`)
 * keeps what Helm would have understood from the original text. Values passed through as text (a
 * Helm layer's values string) are never re-written and need none of this.
 */

const TRUE = /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;

const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string) => TRUE.test(data) || FALSE.test(data),
  construct: (data: string) => TRUE.test(data),
  predicate: (x: unknown) => typeof x === 'boolean',
  represent: { lowercase: (x: object) => (x.valueOf() ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

const INT_FORMS: readonly [RegExp, number][] = [
  [/^[-+]?(0|[1-9][0-9]*)$/, 10],
  [/^[-+]?0[0-7]+$/, 8],
  [/^[-+]?0o[0-7]+$/, 8],
  [/^[-+]?0x[0-9a-fA-F]+$/, 16],
  [/^[-+]?0b[01]+$/, 2],
];

function parseInt11(data: string): number | undefined {
  for (const [form, radix] of INT_FORMS) {
    if (!form.test(data)) continue;
    const negative = data.startsWith('-');
    const digits = data.replace(/^[-+]/, '').replace(/^0[oxb]/, '');
    const value = parseInt(digits, radix) * (negative ? -1 : 1);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  return undefined;
}

const int11 = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => parseInt11(data) !== undefined,
  construct: (data: string) => parseInt11(data),
  predicate: (x: unknown) => typeof x === 'number' && Number.isInteger(x) && !Object.is(x, -0),
  represent: { decimal: (x: object) => String(x.valueOf()) },
  defaultStyle: 'decimal',
});

/** The YAML 1.2 core schema with YAML 1.1 booleans and integers, as Helm reads values. */
export const HELM_VALUES_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [bool11, int11] });

/** Parses one YAML document the way Helm reads values. Throws js-yaml's error on bad input. */
export function parseHelmYaml(text: string, filename?: string): unknown {
  return yaml.load(text, { schema: HELM_VALUES_SCHEMA, filename });
}

/**
 * Parses a file's text twice: as YAML 1.2 (the document: names, versions, structure) and as Helm
 * reads values (where layer and pack values written as maps are taken from). Either failing is a
 * ProfileError naming the file.
 */
export function parseWithValues(text: string, file: string): { doc: unknown; valuesDoc: unknown } {
  return { doc: parsedOrThrow(parseYaml, text, file), valuesDoc: parseValuesDoc(text, file) };
}

/** The second half of {@link parseWithValues}, for a file already parsed as YAML 1.2. */
export function parseValuesDoc(text: string, file: string): unknown {
  return parsedOrThrow(parseHelmYaml, text, file);
}

function parsedOrThrow(parse: (text: string, file: string) => unknown, text: string, file: string): unknown {
  try {
    return parse(text, file);
  } catch (err) {
    throw new ProfileError({ file, message: `is not valid YAML: ${yamlReason(err)}` });
  }
}
