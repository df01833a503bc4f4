import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProfileSpec, planCluster } from '../src';
import { main } from '../src/cli/main';
import { ProfileVariableSpec } from '../src/core/model/spec';
import { parsePaletteExport } from '../src/core/input/palette-export';
import { formatPaletteExport } from '../src/core/input/palette-writer';
import { terraformValidations } from '../src/core/resolve/variables';
import { helmLayer, manifestLayer } from './helpers';
import { profileErrorOf, synth } from './synth-helpers';

const SECRET = 's3cr3t-Default-Value-9431';

function profile(layers: ProfileSpec['layers'], variables: ProfileVariableSpec[]): ProfileSpec {
  return { name: 'apps', version: '1.0.0', type: 'add-on', layers, variables };
}

const HOST: ProfileVariableSpec = { name: 'db_host', displayName: 'Database host', description: 'Where the database runs', format: 'ipv4', defaultValue: '10.0.0.5' };
const PASSWORD: ProfileVariableSpec = { name: 'db_password', displayName: 'Database password', sensitive: true, required: true, defaultValue: SECRET };
const REPLICAS: ProfileVariableSpec = { name: 'replicas', format: 'number', required: true };

const VALUES = "pack:\n  namespace: web\ndb:\n  host: '{{.spectro.var.db_host}}'\n  password: \"{{ .spectro.var.db_password }}\"\n  url: 'postgres://{{.spectro.var.db_host}}:5432/${NOT_A_TF_REF}'\n";
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: '{{.spectro.var.replicas}}'
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx
`;

function problemsOf(profiles: ProfileSpec[], variableValues?: Record<string, string | number | boolean>): string[] {
  return profileErrorOf(() => planCluster(profiles, { variableValues })).message.split('\n');
}

describe('profile variables: the synthesized stack', () => {
  const { json } = synth([profile([helmLayer('web', VALUES), manifestLayer('site', DEPLOYMENT, 'pack:\n  namespace: web\n  manifestStrategy: manifest\n')], [HOST, PASSWORD, REPLICAS])]);

  it('declares each variable as a Terraform variable with type, description, default and validations', () => {
    assert.deepEqual(json.variable, {
      db_host: {
        type: 'string',
        description: 'Database host: Where the database runs',
        default: '10.0.0.5',
        nullable: false,
        validation: [
          {
            condition: '${var.db_host == "" || can(regex("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$", var.db_host))}',
            error_message: 'The value of db_host must be an IPv4 address such as 10.0.0.1.',
          },
        ],
      },
      // Sensitive: no default, even though the profile has one.
      db_password: { type: 'string', description: 'Database password', sensitive: true, nullable: false },
      replicas: { type: 'number', description: 'Profile variable replicas', nullable: false },
    });
  });

  it('puts ${var.NAME} where the values use a variable, escaping every other ${', () => {
    assert.deepEqual(json.resource.helm_release.web.values, [
      "db:\n  host: '${var.db_host}'\n  password: \"${var.db_password}\"\n  url: 'postgres://${var.db_host}:5432/$${NOT_A_TF_REF}'\n",
    ]);
  });

  it('gives a manifest field that is exactly one variable the variable itself, so a number stays a number', () => {
    // kubernetes_manifest (pack.manifestStrategy: manifest): the field is the variable
    assert.equal(json.resource.kubernetes_manifest['site--deployment--web--web'].manifest.spec.replicas, '${var.replicas}');
    // a generated chart (the default): the release value standing for the field is the variable
    const chart = synth([profile([manifestLayer('site', DEPLOYMENT, 'pack:\n  namespace: web\n')], [REPLICAS])]).json;
    // (after the list of the chart's objects, for plan review)
    assert.deepEqual(chart.resource.helm_release.site.values.slice(1), ['${yamlencode({clusterProfilesReferences = {"__cluster_profiles_ref_1__" = jsonencode(var.replicas)}})}']);
  });

  it('lists the variables in the printed plan without any value', () => {
    const plan = planCluster([profile([helmLayer('web', VALUES)], [HOST, PASSWORD])]);
    assert.deepEqual(plan.variables.map((v) => [v.name, v.type, v.required, v.sensitive, v.usedBy]), [
      ['db_host', 'string', false, false, ['web']],
      ['db_password', 'string', true, true, ['web']],
    ]);
  });
});

describe('profile variables: mistakes', () => {
  it('refuses a variable the profile does not define', () => {
    assert.deepEqual(problemsOf([profile([helmLayer('web', VALUES)], [HOST])]), [
      'profile "apps" layer "web": values uses profile variable "db_password" ({{.spectro.var.db_password}}), which profile "apps" does not define (it defines: "db_host"); add it to the profile\'s variables',
    ]);
  });

  it('refuses a variable in the pack: block, whose values are needed at synthesis', () => {
    const values = "pack:\n  namespace: '{{.spectro.var.ns}}'\n";
    const problems = problemsOf([profile([helmLayer('web', values)], [{ name: 'ns' }])]);
    // One message: not also a second one saying the reference is no namespace name.
    assert.deepEqual(problems, [
      'profile "apps" layer "web": pack.namespace uses profile variable "ns", but the pack: block decides namespaces, install order and release names when the stack is synthesized; use a value known then, such as a user macro {{.spectro.macro.ns}} given with --macro',
    ]);
  });

  it("refuses a variable in a manifest's metadata.name", () => {
    const content = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '{{.spectro.var.app}}'\n";
    assert.deepEqual(problemsOf([profile([manifestLayer('cm', content)], [{ name: 'app' }])]), [
      'profile "apps" layer "cm" manifest "cm" document 1: metadata.name uses profile variable "app", but a manifest\'s metadata.name names its Terraform resource and decides its namespace when the stack is synthesized; use a value known then, such as a user macro {{.spectro.macro.app}} given with --macro',
    ]);
  });

  it('refuses a variable outside a YAML string, where YAML would read a map', () => {
    const values = 'replicas: {{.spectro.var.replicas}}\n';
    assert.deepEqual(problemsOf([profile([helmLayer('web', values)], [REPLICAS])]), [
      'profile "apps" layer "web": values uses a profile variable outside a YAML string, where YAML reads {{ }} as a map; quote every use, for example \'{{.spectro.var.replicas}}\' (variables used: "replicas")',
    ]);
  });

  it('refuses two profiles defining one variable differently', () => {
    const other: ProfileSpec = { name: 'more', type: 'add-on', layers: [], variables: [{ ...HOST, defaultValue: '10.0.0.6' }] };
    assert.deepEqual(problemsOf([profile([], [HOST]), other]), [
      'profile "more": variables.db_host is also defined by profile "apps" differently; one cluster has one Terraform variable per name, so define it the same way in both profiles or rename one',
    ]);
  });

  it('checks values given for the cluster: unknown names, format, regex, and required ones left unset', () => {
    // GIVEN variables with a format, a regex and a requirement
    const vars: ProfileVariableSpec[] = [HOST, { name: 'tier', regex: '^(gold|silver)$' }, REPLICAS];
    // WHEN values are given that break each rule
    // THEN each is named; the required variable without a value is too
    assert.deepEqual(problemsOf([profile([], vars)], { db_host: '10.0.0.300', tier: 'bronze', colour: 'blue' }), [
      '--var db_host "10.0.0.300" is not an IPv4 address such as 10.0.0.1',
      '--var tier "bronze" does not match the variable\'s regex "^(gold|silver)$"',
      '--var colour names no variable of the cluster\'s profiles (defined: "db_host", "replicas", "tier")',
      '--var replicas is required by profile "apps" and has no default; give it with --var replicas=VALUE or in --var-file',
    ]);
  });

  it('refuses a value for a sensitive variable without repeating it', () => {
    const problems = problemsOf([profile([], [PASSWORD])], { db_password: 'hunter2-given' });
    assert.deepEqual(problems, [
      '--var db_password is sensitive, so its value is never written into the synthesized files; give it to Terraform at plan time instead (TF_VAR_db_password=... or -var db_password=...)',
    ]);
  });

  it('writes a given value as the default', () => {
    const { json } = synth([profile([], [HOST, REPLICAS])], { variableValues: { db_host: '10.1.2.3', replicas: '3' } });
    assert.deepEqual([json.variable.db_host.default, json.variable.replicas.default], ['10.1.2.3', 3]);
  });
});

describe('profile variables: validations as Terraform expressions', () => {
  it('accepts the empty value of an optional variable and quotes the regex for HCL', () => {
    assert.deepEqual(terraformValidations({ name: 'path', regex: '^/"x"\\d+${y}$' }), [
      {
        condition: '${var.path == "" || can(regex("^/\\"x\\"\\\\d+$${y}$", tostring(var.path)))}',
        errorMessage: 'The value of path must match the regular expression "^/"x"\\d+$${y}$".',
      },
    ]);
  });

  it('checks dropdown options', () => {
    assert.deepEqual(terraformValidations({ name: 'size', required: true, options: [{ value: 'small' }, { value: 'large' }] }), [
      { condition: '${contains(["small", "large"], tostring(var.size))}', errorMessage: 'The value of size must be one of small, large.' },
    ]);
  });
});

describe('profile variables: Palette exports', () => {
  it('reads spec.variables and writes them back without the sensitive default', () => {
    // GIVEN an export with a sensitive variable that has a default
    const text = JSON.stringify({
      metadata: { name: 'apps' },
      spec: {
        version: '1.0.0',
        template: { type: 'add-on', packs: [] },
        variables: [
          { name: 'db_password', displayName: 'Database password', format: 'string', defaultValue: SECRET, required: true, isSensitive: true, hidden: false, immutable: false },
        ],
      },
    });
    // WHEN read and written again
    const read = parsePaletteExport(text, 'apps.json');
    const written = JSON.parse(formatPaletteExport(read)).spec.variables;
    // THEN the definition survives, the secret does not
    assert.deepEqual(read.variables, [{ name: 'db_password', displayName: 'Database password', format: 'string', defaultValue: SECRET, required: true, sensitive: true }]);
    assert.deepEqual(written, [
      { name: 'db_password', displayName: 'Database password', format: 'string', required: true, isSensitive: true, hidden: false, immutable: false },
    ]);
  });
});

describe('profile variables: a sensitive value never leaves the profile', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-vars-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('is absent from every synthesized file and from everything the CLI prints', async () => {
    // GIVEN an export whose sensitive variable has a default, used by a Helm layer and a manifest
    const file = join(scratch, 'apps.json');
    const secretManifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: '{{.spectro.var.db_password}}'\n";
    writeFileSync(
      file,
      JSON.stringify({
        metadata: { name: 'apps' },
        spec: {
          version: '1.0.0',
          template: {
            type: 'add-on',
            packs: [
              { name: 'web', type: 'helm', layer: 'addon', version: '1.0.0', repository: 'https://charts.example.com', values: VALUES },
              { name: 'secret', type: 'manifest', layer: 'addon', version: '1.0.0', values: 'pack:\n  namespace: web\n', manifests: [{ name: 'db', content: secretManifest }] },
            ],
          },
          variables: [{ name: 'db_host', format: 'ipv4', defaultValue: '10.0.0.5' }, { name: 'db_password', isSensitive: true, defaultValue: SECRET }],
        },
      }),
    );
    // WHEN synthesized and planned through the CLI
    const out = join(scratch, 'out');
    const printed: string[] = [];
    const synthCode = await main(['synth', '--out', out, file], (l) => printed.push(l), (l) => printed.push(l));
    const planCode = await main(['plan', '--json', file], (l) => printed.push(l), (l) => printed.push(l));
    // THEN both succeed, the stack declares the variable, and the secret is nowhere
    assert.deepEqual([synthCode, planCode], [0, 0], printed.join('\n'));
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(out);
    assert.ok(files.some((f) => f.endsWith('cdk.tf.json')));
    const stack = JSON.parse(readFileSync(files.find((f) => f.endsWith('cdk.tf.json'))!, 'utf8'));
    assert.deepEqual(stack.variable.db_password, { type: 'string', description: 'Profile variable db_password', sensitive: true, nullable: false });
    assert.deepEqual(stack.resource.helm_release.secret.values.slice(1), ['${yamlencode({clusterProfilesReferences = {"__cluster_profiles_ref_1__" = jsonencode(tostring(var.db_password))}})}']);
    // (the manifest layer's generated chart, among the files, holds a token where the variable was)
    assert.ok(files.some((f) => f.endsWith('.json') && readFileSync(f, 'utf8').includes('"password": "__cluster_profiles_ref_1__"')), 'no generated chart among the files');
    for (const f of files) assert.equal(readFileSync(f, 'utf8').includes(SECRET), false, `${f} holds the secret`);
    assert.equal(printed.join('\n').includes(SECRET), false, 'the CLI printed the secret');
  });
});
