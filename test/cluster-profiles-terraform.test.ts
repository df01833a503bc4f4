// Runs the real terraform binary (offline: terraform_data only), so it lives apart from the fast tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addressOf } from '../src/core/model/address';
import { standInAddress, standInName } from '../src/rehearse/stand-ins';
import { TfJson } from './synth-helpers';
import { runTerraform } from './terraform';

const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-terraform-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The compiled example app (`examples/main.ts`), which `npm start` runs. */
const EXAMPLE = join(__dirname, '..', 'examples', 'main.js');

/** A Terraform address: `type.name`. */
const ADDRESS = /([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)/;

/**
 * The stack with every resource replaced by a `terraform_data` stand-in that keeps only its
 * `depends_on`. In each entry only the address itself is swapped for its stand-in's; whatever
 * surrounds it is kept verbatim, so an entry Terraform would refuse (`"${helm_release.x}"`) stays
 * one it refuses (`"${terraform_data.helm_release__x}"`).
 */
function standIns(json: TfJson): TfJson {
  const resources: TfJson = {};
  for (const [type, byName] of Object.entries(json.resource as TfJson)) {
    for (const [name, body] of Object.entries(byName as Record<string, { depends_on?: string[] }>)) {
      const deps = (body.depends_on ?? []).map((entry) => entry.replace(ADDRESS, (_m, t: string, n: string) => standInAddress(addressOf(t, n))));
      resources[standInName(addressOf(type, name))] = deps.length > 0 ? { depends_on: deps } : {};
    }
  }
  return { resource: { terraform_data: resources } };
}

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail: string;
  readonly snippet?: { readonly context: string };
}

/**
 * Writes the configuration into a fresh folder and runs `terraform validate -json` on it. No
 * `terraform init` first: `terraform_data` is built in, and init would stop at the first invalid
 * expression without saying so as JSON.
 */
function validate(name: string, config: TfJson): { valid: boolean; diagnostics: Diagnostic[] } {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, undefined, 2));
  return JSON.parse(runTerraform(dir, ['validate', '-json', '-no-color']).stdout) as { valid: boolean; diagnostics: Diagnostic[] };
}

describe('ClusterProfiles depends_on, read by the real terraform', () => {
  let stack: TfJson;
  before(() => {
    // The example exactly as `npm start` writes it, into a scratch folder.
    const outdir = join(scratch, 'cdktf.out');
    const run = spawnSync(process.execPath, [EXAMPLE], { cwd: scratch, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
    assert.equal(run.status, 0, `the example app failed:\n${run.stderr}`);
    stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'edge-cluster', 'cdk.tf.json'), 'utf8')) as TfJson;
  });

  it('writes each depends_on entry of the example stack as the bare address of one of its resources', () => {
    // GIVEN the synthesized example stack
    const resources = stack.resource as Record<string, Record<string, { depends_on?: string[] }>>;
    const addresses = new Set(Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)));
    // WHEN its depends_on entries are read
    const entries = Object.values(resources).flatMap((byName) => Object.values(byName).flatMap((body) => body.depends_on ?? []));
    // THEN there are some, and every one is a resource's address as is, without "${...}"
    assert.ok(entries.length > 0, 'the example stack has no depends_on entries');
    assert.deepEqual(entries.filter((e) => !addresses.has(e)), []);
  });

  it('passes terraform validate with the example stack\'s depends_on entries kept as written', () => {
    // GIVEN the example stack's resources as terraform_data stand-ins with their depends_on entries
    const config = standIns(stack);
    // WHEN terraform validates them
    const result = validate('example', config);
    // THEN it finds nothing wrong
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.valid, true);
  });

  it('fails terraform validate when a depends_on entry is written as "${...}", which is how this test can fail', () => {
    // GIVEN the same stand-ins with the first depends_on entry wrapped as cdktf's fqn renders it
    const config = standIns(stack);
    const byName = (config.resource as { terraform_data: Record<string, { depends_on?: string[] }> }).terraform_data;
    const [name, body] = Object.entries(byName).find(([, b]) => b.depends_on !== undefined)!;
    body.depends_on![0] = `\${${body.depends_on![0]}}`;
    // WHEN terraform validates them
    const result = validate('wrapped', config);
    // THEN it refuses exactly that depends_on, as Terraform 1.11 does for the real stack
    assert.equal(result.valid, false);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.summary, d.snippet?.context]),
      [['error', 'Invalid expression', `resource.terraform_data.${name}.depends_on`]],
    );
    assert.match(result.diagnostics[0].detail, /^A single static variable reference is required/);
  });
});
