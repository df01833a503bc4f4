import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeDeep, escapeTemplate, hclString } from '../src/core/resolve/terraform-escape';

describe('escapeTemplate', () => {
  const cases: [string, string, string][] = [
    ['an interpolation', 'Hello ${name}', 'Hello $${name}'],
    ['a directive', '%{ if x }y%{ endif }', '%%{ if x }y%%{ endif }'],
    ['an already escaped interpolation', '$${kept}', '$$${kept}'],
    ['an already escaped directive', '%%{kept}', '%%%{kept}'],
    ['lone $ and % signs', '100% $ sure {x}', '100% $ sure {x}'],
    ["CDKTF's string token marker", '${TfToken[TOKEN.1]}', '${"$"}{TfToken[TOKEN.1]}'],
    ["CDKTF's string token marker after a $", 'a$${TfToken[TOKEN.1]}', 'a${"$"}${"$"}{TfToken[TOKEN.1]}'],
    ["CDKTF's list and map token markers", '#{TfToken[TOKEN.1]} &{TfToken[TOKEN.2]}', '#${""}{TfToken[TOKEN.1]} &${""}{TfToken[TOKEN.2]}'],
  ];
  for (const [what, text, expected] of cases) {
    it(`escapes ${what}`, () => {
      // GIVEN text holding ${what}
      // WHEN escaped
      // THEN Terraform will read it back as the text (proved against terraform itself in terraform-escape-apply.test.ts)
      assert.equal(escapeTemplate(text), expected);
    });
  }
});

describe('escapeDeep', () => {
  it('escapes map keys and strings at any depth, leaving numbers, booleans and null alone', () => {
    // GIVEN a nested value with template-like keys and strings
    const value = { '${k}': ['%{x}', 1, true, null, { deep: '${y}' }] };
    // WHEN escaped
    // THEN keys and strings are escaped
    assert.deepEqual(escapeDeep(value), { '$${k}': ['%%{x}', 1, true, null, { deep: '$${y}' }] });
  });
});

describe('hclString', () => {
  const cases: [string, string, string][] = [
    ['quotes and backslashes', 'say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['line breaks and tabs', 'a\nb\r\tc', '"a\\nb\\r\\tc"'],
    ['other control characters, as \\u escapes', 'x\u0001y\u001bz\u007f', '"x\\u0001y\\u001bz\\u007f"'],
    ['template sequences', '${HOME} %{x}', '"$${HOME} %%{x}"'],
    ["CDKTF's token markers", '${TfToken[TOKEN.1]} #{TfToken[TOKEN.2]}', '"${"$"}{TfToken[TOKEN.1]} #${""}{TfToken[TOKEN.2]}"'],
  ];
  for (const [what, text, expected] of cases) {
    it(`quotes ${what}`, () => {
      // GIVEN text holding ${what}  WHEN quoted for an HCL expression
      // THEN Terraform reads the literal back as the text (proved in variables-terraform.test.ts)
      assert.equal(hclString(text), expected);
    });
  }
});
