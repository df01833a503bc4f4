import { Pipeline, SprigFailure, parsePipeline } from './sprig';
import { hclString } from './terraform-escape';

/**
 * Sprig pipelines on profile variables: `{{ .spectro.var.NAME | trimPrefix "v" | upper }}`. A
 * variable becomes a Terraform input variable, set at plan time, so its pipeline cannot run at
 * synthesis: it becomes the Terraform expression that computes the same text,
 * `upper(trimprefix(tostring(var.NAME), "v"))`. A function is translated only where a Terraform
 * function has Sprig's semantics for every value (Terraform's `upper`, `lower`, `title`,
 * `trimspace`, `trimprefix`, `trimsuffix`, `replace`, `base64encode` and `base64decode` are the same
 * Go functions); the others are refused, saying why, and never dropped.
 */

/** Why each function that has no Terraform equivalent is refused on a variable. */
const UNTRANSLATABLE: Readonly<Record<string, string>> = {
  substr:
    "Sprig's substr counts bytes and fails when START is past the end, while Terraform's substr counts characters (grapheme clusters) and clips, so they differ on non-ASCII values and short values",
  trunc: "Sprig's trunc counts bytes, while Terraform's substr counts characters (grapheme clusters), so they differ on non-ASCII values",
  quote:
    "Go's %q escapes (\\x7f, \\u00a0, printable non-ASCII kept) differ from every Terraform function (jsonencode escapes <, >, & and writes other escapes)",
};

/**
 * The Terraform expression (without `${ }`) that computes a variable's pipeline: `var.NAME` when
 * `pipe` is empty, else the translated calls over `tostring(var.NAME)` (a number or bool variable
 * is its text, as Palette holds it). `pipe` is the text after the variable name, starting with `|`.
 */
export function variableExpression(name: string, pipe: string | undefined): string | SprigFailure {
  if (pipe === undefined || pipe.trim() === '') return `var.${name}`;
  const pipeline = parsePipeline(`.v ${pipe}`);
  if ('failure' in pipeline) return pipeline;
  return translate(pipeline, `tostring(var.${name})`);
}

function translate(pipeline: Pipeline, head: string): string | SprigFailure {
  let expression = head;
  for (const command of pipeline.commands.slice(1)) {
    const name = command.function!;
    // Own keys only: `toString` must not find Object.prototype's.
    const why = Object.prototype.hasOwnProperty.call(UNTRANSLATABLE, name) ? UNTRANSLATABLE[name] : undefined;
    if (why !== undefined) return { failure: `is piped to ${name}, which has no Terraform equivalent: ${why}; use a user macro ({{ .spectro.macro.NAME | ${name} ... }}, known at synthesis) instead` };
    const args: string[] = [];
    for (const arg of command.args) {
      if (arg.kind !== 'literal' || typeof arg.value !== 'string') {
        return { failure: `gives ${arg.kind === 'field' ? arg.name : arg.text} to ${name}; on a profile variable, function arguments must be quoted strings` };
      }
      args.push(arg.value);
    }
    const call = translateCall(name, args, expression);
    if (typeof call !== 'string') return call;
    expression = call;
  }
  return expression;
}

const ARITY: Readonly<Record<string, number>> = { upper: 0, lower: 0, title: 0, trim: 0, trimPrefix: 1, trimSuffix: 1, replace: 2, default: 1, squote: 0, b64enc: 0, b64dec: 0, toString: 0 };

function translateCall(name: string, args: readonly string[], e: string): string | SprigFailure {
  if (args.length !== ARITY[name]) return { failure: `gives ${name} ${args.length} argument${args.length === 1 ? '' : 's'} besides the piped value; it takes ${ARITY[name]}` };
  const [a, b] = args.map(hclString);
  switch (name) {
    case 'upper':
    case 'lower':
    case 'title':
      return `${name}(${e})`;
    case 'trim':
      return `trimspace(${e})`;
    case 'trimPrefix':
      return `trimprefix(${e}, ${a})`;
    case 'trimSuffix':
      return `trimsuffix(${e}, ${a})`;
    case 'replace':
      if (args[0] === '') return { failure: 'is piped to replace "" (insert around every character), which Terraform\'s replace does not do' };
      // Terraform reads a substring written /like this/ as a regular expression.
      if (args[0].length > 1 && args[0].startsWith('/') && args[0].endsWith('/')) {
        return { failure: `is piped to replace ${JSON.stringify(args[0])}, which Terraform's replace would read as a regular expression` };
      }
      return `replace(${e}, ${a}, ${b})`;
    case 'default':
      // Sprig's empty: a variable's text is empty only when it is "".
      return `(${e} == "" ? ${a} : ${e})`;
    case 'squote':
      return `format("'%s'", ${e})`;
    case 'b64enc':
      return `base64encode(${e})`;
    case 'b64dec':
      // Where Sprig writes its error text for bad input, Terraform stops with an error, as synthesis does for a macro.
      return `base64decode(${e})`;
    case 'toString':
      return e;
    default:
      return { failure: `is piped to ${name}, which is not supported` };
  }
}
