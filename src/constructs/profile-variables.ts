import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { variableExpression } from '../core/resolve/sprig-terraform';
import { ClusterVariable } from '../core/model/resolved';
import { VARIABLE_REFERENCE } from '../core/resolve/variables';
import { escapeTemplate, mapStringsDeep } from '../core/resolve/terraform-escape';
import { childId } from './construct-id';

/**
 * Declares each profile variable of a cluster as a Terraform input variable named exactly as in the
 * profiles (`var.db_host`), so every cluster sets it at plan time with `-var`, a tfvars file or
 * `TF_VAR_db_host`. A sensitive variable gets no default: its value is never written here.
 */
export function declareProfileVariables(scope: Construct, variables: readonly ClusterVariable[]): void {
  for (const variable of variables) {
    const declared = new TerraformVariable(scope, childId(scope, variable.name), {
      type: variable.type,
      description: variable.description,
      default: variable.sensitive ? undefined : variable.default,
      sensitive: variable.sensitive ? true : undefined,
      nullable: false,
      validation: variable.validations.length > 0 ? variable.validations.map((v) => ({ condition: v.condition, errorMessage: v.errorMessage })) : undefined,
    });
    declared.overrideLogicalId(variable.name);
  }
}

/**
 * Escapes a user string for Terraform (`core/resolve/terraform-escape.ts`) and turns each
 * `{{ .spectro.var.NAME }}` in it into the reference `${var.NAME}`: the one template sequence
 * Terraform is meant to evaluate. A string that is exactly one reference becomes the variable's
 * value with its type (a number stays a number in a manifest). A text without variables is escaped
 * exactly as `escapeTemplate` escapes it.
 */
export function escapeWithVariables(text: string): string {
  return interpolateVariables(text, escapeTemplate);
}

/**
 * `text` as the body of a Terraform template: each `{{ .spectro.var.NAME }}` becomes `${var.NAME}`,
 * and the text around the references is written by `literal` (escaped for JSON configuration or for
 * a quoted HCL string).
 */
export function interpolateVariables(text: string, literal: (text: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(VARIABLE_REFERENCE)) {
    // A literal '$' right before "${var..." would make Terraform read "$${" as an escaped "${".
    out += `${literal(text.slice(last, match.index)).replace(/\$+$/, (dollars) => '${"$"}'.repeat(dollars.length))}\${${terraformExpression(match)}}`;
    last = match.index! + match[0].length;
  }
  return out + literal(text.slice(last));
}

/**
 * The Terraform expression of one use of a variable: `var.NAME`, or its Sprig pipeline translated
 * (`upper(tostring(var.NAME))`). The core has refused every pipeline that cannot be translated.
 */
export function terraformExpression(use: RegExpMatchArray): string {
  const expression = variableExpression(use[1], use[2]);
  if (typeof expression !== 'string') throw new Error(`internal: ${use[0]} ${expression.failure}`);
  return expression;
}

/** {@link escapeWithVariables} on every string and map key of a JSON-like value. */
export function escapeDeepWithVariables(value: unknown): unknown {
  return mapStringsDeep(value, escapeWithVariables);
}
