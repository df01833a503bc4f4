// Sprig pipelines on profile variables become Terraform expressions; each translation is checked by
// running the real terraform binary (offline: a variable and an output, no provider) and Go's
// text/template with Sprig (test/engines/go/sprig-eval) over the same values.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec } from '../src';
import { escapeWithVariables } from '../src/constructs/profile-variables';
import { variableExpression } from '../src/core/resolve/sprig-terraform';
import { renderWithSprig } from './engines/engines';
import { addOn, helmLayer, manifestLayer, problemsOf } from './helpers';
import { synth } from './synth-helpers';
import { runTerraform } from './terraform';

describe('sprig on profile variables: translation', () => {
  it('synthesizes a piped variable in Helm values and in a manifest as its Terraform expression', () => {
    // GIVEN a Helm layer and a manifest layer using variable "tag" through pipelines
    const profiles: ProfileSpec[] = [
      {
        ...addOn('apps', [
          helmLayer('web', "image:\n  tag: '{{ .spectro.var.tag | trimPrefix \"v\" }}'\n"),
          manifestLayer('cm', "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  tag: '{{ .spectro.var.tag | upper }}'\n"),
        ]),
        variables: [{ name: 'tag', format: 'string', defaultValue: 'v1.2.0' }],
      },
    ];
    // WHEN synthesized
    const { text } = synth(profiles);
    // THEN the release values hold the translated expressions, not the pipelines
    assert.ok(text.includes('tag: \'${trimprefix(tostring(var.tag), \\"v\\")}\''), text);
    assert.ok(text.includes('jsonencode(upper(tostring(var.tag)))'), text);
    assert.ok(!text.includes('.spectro.var'), text);
  });

  it('names the profile, layer and field when a pipeline on a variable cannot be translated', () => {
    // GIVEN a layer piping a variable to substr
    const profiles: ProfileSpec[] = [{ ...addOn('apps', [helmLayer('web', "v: '{{ .spectro.var.k8s | substr 0 4 }}'\n")]), variables: [{ name: 'k8s' }] }];
    // WHEN synthesized
    // THEN the error names where, the function and why
    assert.deepEqual(problemsOf(() => synth(profiles)), [
      "profile \"apps\" layer \"web\": values profile variable {{ .spectro.var.k8s | substr 0 4 }} is piped to substr, which has no Terraform equivalent: Sprig's substr counts bytes and fails when START is past the end, while Terraform's substr counts characters (grapheme clusters) and clips, so they differ on non-ASCII values and short values; use a user macro ({{ .spectro.macro.NAME | substr ... }}, known at synthesis) instead",
    ]);
  });

  it('translates each function into the Terraform function with the same semantics, innermost first', () => {
    // GIVEN pipelines on variable "tag"
    const pipes = ['| upper', '| trim | lower | title', '| trimPrefix "v" | trimSuffix ".0"', '| replace "." "-"', '| default "none" | squote', '| b64enc | b64dec | toString'];
    // WHEN translated
    // THEN each is the nested call over the variable's text
    assert.deepEqual(
      pipes.map((p) => variableExpression('tag', p)),
      [
        'upper(tostring(var.tag))',
        'title(lower(trimspace(tostring(var.tag))))',
        'trimsuffix(trimprefix(tostring(var.tag), "v"), ".0")',
        'replace(tostring(var.tag), ".", "-")',
        'format("\'%s\'", (tostring(var.tag) == "" ? "none" : tostring(var.tag)))',
        'base64decode(base64encode(tostring(var.tag)))',
      ],
    );
  });

  it('writes the expression into the Terraform template where the variable stood', () => {
    // GIVEN a values text using a piped variable
    // WHEN escaped for Terraform
    // THEN the pipeline is the template's expression, and literal ${ around it stays literal
    assert.equal(escapeWithVariables('repo:{{ .spectro.var.tag | trimPrefix "v" }}/${keep}'), 'repo:${trimprefix(tostring(var.tag), "v")}/$${keep}');
  });

  it('refuses the functions Terraform cannot reproduce for every value, saying why', () => {
    // GIVEN pipelines with substr, trunc, quote, replace "" and a regular-expression-like replace
    const pipes = ['| substr 0 4', '| trunc 3', '| quote', '| replace "" "-"', '| replace "/a/" "b"', '| default 5'];
    // WHEN translated
    // THEN each is refused with the reason
    assert.deepEqual(
      pipes.map((p) => (variableExpression('tag', p) as { failure: string }).failure),
      [
        "is piped to substr, which has no Terraform equivalent: Sprig's substr counts bytes and fails when START is past the end, while Terraform's substr counts characters (grapheme clusters) and clips, so they differ on non-ASCII values and short values; use a user macro ({{ .spectro.macro.NAME | substr ... }}, known at synthesis) instead",
        "is piped to trunc, which has no Terraform equivalent: Sprig's trunc counts bytes, while Terraform's substr counts characters (grapheme clusters), so they differ on non-ASCII values; use a user macro ({{ .spectro.macro.NAME | trunc ... }}, known at synthesis) instead",
        "is piped to quote, which has no Terraform equivalent: Go's %q escapes (\\x7f, \\u00a0, printable non-ASCII kept) differ from every Terraform function (jsonencode escapes <, >, & and writes other escapes); use a user macro ({{ .spectro.macro.NAME | quote ... }}, known at synthesis) instead",
        'is piped to replace "" (insert around every character), which Terraform\'s replace does not do',
        'is piped to replace "/a/", which Terraform\'s replace would read as a regular expression',
        'gives 5 to default; on a profile variable, function arguments must be quoted strings',
      ],
    );
  });
});

const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-sprig-tf-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('sprig on profile variables: real terraform against Sprig', () => {
  it('computes in Terraform the text Sprig renders, for unicode, empty and padded values', () => {
    // GIVEN every translatable function, alone and chained, and values that exercise their edges
    const pipes = [
      '| upper',
      '| lower',
      '| title',
      '| trim',
      '| trimPrefix "v"',
      '| trimSuffix ".0"',
      '| replace "." "-"',
      '| replace "$" "${x}%{y}"',
      '| default "none"',
      '| squote',
      '| b64enc',
      '| b64enc | b64dec',
      '| toString',
      '| trimPrefix "v" | upper | default "x" | squote',
    ];
    const inputs = ['', 'v1.28.0', "straße ǆx o'neil_snake-case", '  \u0085 padded\t\n', 'ΑΣ İSTANBUL ᾀ', '日本語 🎉 v', 'a%{b}${c}$$.0'];
    // WHEN Terraform evaluates the translations for each value (one plan over a list variable)
    const expressions = pipes.map((p) => {
      const e = variableExpression('v', p);
      assert.equal(typeof e, 'string', p);
      return (e as string).replace(/var\.v/g, 'v');
    });
    const dir = join(scratch, 'eval');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({
      variable: { inputs: { type: 'list(string)' } },
      output: { results: { value: `\${[for v in var.inputs : [${expressions.join(', ')}]]}` } },
    }));
    writeFileSync(join(dir, 'inputs.tfvars.json'), JSON.stringify({ inputs }));
    const init = runTerraform(dir, ['init', '-no-color']);
    assert.equal(init.code, 0, init.out);
    const apply = runTerraform(dir, ['apply', '-auto-approve', '-no-color', '-var-file=inputs.tfvars.json']);
    assert.equal(apply.code, 0, apply.out);
    const output = runTerraform(dir, ['output', '-json', 'results']);
    const results = JSON.parse(output.stdout) as string[][];
    // THEN each is the text Sprig renders for the same pipeline and value
    const sprig = renderWithSprig(inputs.flatMap((v) => pipes.map((p) => ({ template: `{{ .v ${p} }}`, data: { v } }))));
    inputs.forEach((v, i) => {
      pipes.forEach((p, j) => {
        assert.deepEqual({ out: results[i][j], utf8: true }, sprig[i * pipes.length + j], `{{ .v ${p} }} with v = ${JSON.stringify(v)}`);
      });
    });
  });
});
