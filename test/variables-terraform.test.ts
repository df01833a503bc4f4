import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec } from '../src';
import { helmLayer } from './helpers';
import { synth } from './synth-helpers';
import { runTerraform } from './terraform';

/**
 * Runs the synthesized profile variables through the real terraform binary (offline: only variables,
 * outputs and no provider), proving that the generated validations are valid Terraform, reject bad
 * values, and that the values text Helm receives is exactly the profile's text with the variables
 * filled in.
 */

const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-tfvars-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const VALUES = "db:\n  host: '{{.spectro.var.db_host}}'\n  url: \"postgres://{{ .spectro.var.db_host }}:5432/${keep}/%{keep}\"\n  cost: '$${{.spectro.var.price}}'\n";

const profiles: ProfileSpec[] = [
  {
    name: 'apps',
    type: 'add-on',
    layers: [helmLayer('web', VALUES)],
    variables: [
      { name: 'db_host', format: 'ipv4', regex: '^10\\.', required: true },
      { name: 'price', format: 'number', defaultValue: 12 },
    ],
  },
];

describe('profile variables under terraform', () => {
  // The stack's variables, and the release values as an output Terraform renders.
  const { json } = synth(profiles);
  const dir = mkdtempSync(join(scratch, 'stack-'));
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({ variable: json.variable, output: { values: { value: json.resource.helm_release.web.values[0] } } }, null, 2),
  );
  const init = runTerraform(dir, ['init', '-input=false', '-no-color']);

  it('initializes offline', () => {
    assert.equal(init.code, 0, init.out);
  });

  it('renders the values Helm receives: variables filled in, every other ${ and %{ kept as written', () => {
    const apply = runTerraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-var', 'db_host=10.1.2.3']);
    assert.equal(apply.code, 0, apply.out);
    const output = runTerraform(dir, ['output', '-json', 'values']);
    assert.equal(JSON.parse(output.stdout), "db:\n  host: '10.1.2.3'\n  url: \"postgres://10.1.2.3:5432/${keep}/%{keep}\"\n  cost: '$$12'\n");
  });

  it("rejects a value that breaks the variable's format", () => {
    const plan = runTerraform(dir, ['plan', '-input=false', '-no-color', '-var', 'db_host=10.0.0.300']);
    assert.equal(plan.code, 1);
    assert.match(plan.out, /The value of db_host must be an IPv4 address such as 10\.0\.0\.1\./);
  });

  it("rejects a value that breaks the variable's regex", () => {
    const plan = runTerraform(dir, ['plan', '-input=false', '-no-color', '-var', 'db_host=11.0.0.1']);
    assert.equal(plan.code, 1);
    assert.match(plan.out, /The value of db_host must match the regular expression "\^10\\\.\"\./);
  });
});

describe('profile variables holding CDKTF token markers and control characters, under terraform', () => {
  // GIVEN a variable whose options are a CDKTF token marker and a text with a control character, used
  // through a Sprig function whose argument is a token marker too: each is quoted in an HCL string
  // (the validation's list, the function's argument), which is itself a template for CDKTF and Terraform
  const marker = '${TfToken[TOKEN.1]}';
  const control = 'x\u0001y';
  const { json } = synth([
    {
      name: 'tokens',
      type: 'add-on',
      layers: [helmLayer('web', "a: '{{ .spectro.var.marker | trimPrefix \"${TfToken[\" }}'\n")],
      variables: [{ name: 'marker', options: [{ value: marker }, { value: control }], required: true }],
    },
  ]);
  const dir = mkdtempSync(join(scratch, 'markers-'));
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ variable: json.variable, output: { values: { value: json.resource.helm_release.web.values[0] } } }, null, 2));
  const init = runTerraform(dir, ['init', '-input=false', '-no-color']);

  it('initializes offline', () => {
    assert.equal(init.code, 0, init.out);
  });

  it('accepts the token marker option and trims the marker prefix from it, as Sprig would', () => {
    // WHEN applied with the marker itself  THEN the validation accepts it and trimPrefix removes "${TfToken["
    const apply = runTerraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-var', `marker=${marker}`]);
    assert.equal(apply.code, 0, apply.out);
    assert.equal(JSON.parse(runTerraform(dir, ['output', '-json', 'values']).stdout), "a: 'TOKEN.1]}'\n");
  });

  it('accepts the option with a control character, written as an HCL escape', () => {
    const apply = runTerraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-var', `marker=${control}`]);
    assert.equal(apply.code, 0, apply.out);
    assert.equal(JSON.parse(runTerraform(dir, ['output', '-json', 'values']).stdout), `a: '${control}'\n`);
  });

  it('rejects any other value, naming the options as written', () => {
    const plan = runTerraform(dir, ['plan', '-input=false', '-no-color', '-var', 'marker=TOKEN.1]}']);
    assert.equal(plan.code, 1);
    assert.match(plan.out, /The value of marker must be one of \$\{TfToken\[TOKEN\.1\]\}, x/);
  });
});
