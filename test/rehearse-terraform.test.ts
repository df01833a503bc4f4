/**
 * Rehearsals with the real terraform binary (slow: each runs terraform init, apply and destroy).
 * terraform must be on PATH; the first test fails, saying so, when it is not.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { Testing } from 'cdktf';
import { ClusterStack, InstallPlan, ProfileSpec, RehearsalResult, loadProfileFiles, planCluster, rehearse } from '../src';
import { rehearseCommand } from '../src/cli/commands/rehearse';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';

const REPO = resolve(__dirname, '..', '..');
const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
const EXAMPLES = join(REPO, 'examples', 'profiles');

const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-rehearse-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The stack `synth` writes for a plan, as parsed JSON (a fresh object each call, free to break). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function synthesize(plan: InstallPlan): Record<string, any> {
  const app = Testing.app({ outdir: join(scratch, 'cdktf') });
  return JSON.parse(Testing.synth(new ClusterStack(app, 'rehearsal', { plan })));
}

/** Position of an event in the rehearsal log; fails when it is not there exactly once. */
function position(result: RehearsalResult, phase: string, address: string): number {
  const found = result.events.filter((e) => e.phase === phase && e.address === address);
  assert.equal(found.length, 1, `${phase} ${address} logged ${found.length} times`);
  return found[0].seq;
}

/** A fresh, empty folder inside the test's scratch folder. */
function freshFolder(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A stand-in `terraform` script in its own folder: `version` answers, `init` succeeds, `apply` runs `apply`. */
function fakeTerraform(name: string, apply: string): string {
  const bin = freshFolder(name);
  const script = [
    '#!/bin/sh',
    'case "$1" in',
    `  version) echo '{"terraform_version":"1.11.4"}' ;;`,
    '  init) echo "Terraform has been successfully initialized!" ;;',
    `  apply) pwd > "$RECORD"; ${apply} ;;`,
    'esac',
  ].join('\n');
  writeFileSync(join(bin, 'terraform'), `${script}\n`);
  chmodSync(join(bin, 'terraform'), 0o755);
  return bin;
}

/** The example's registries as `--registry NAME=URL` arguments. */
function exampleRegistries(): { registries: Record<string, string>; args: string[] } {
  const registries = JSON.parse(readFileSync(join(EXAMPLES, 'registries.json'), 'utf8')) as Record<string, string>;
  return { registries, args: Object.entries(registries).flatMap(([name, url]) => ['--registry', `${name}=${url}`]) };
}

/**
 * Several tiers, negative priorities, shared namespaces, multi-document manifests (installed with
 * `strategy`: a generated chart each, or one kubernetes_manifest per document) and a Zarf package.
 */
function generatedProfiles(strategy: 'chart' | 'manifest'): ProfileSpec[] {
  const pin = strategy === 'manifest' ? '  manifestStrategy: manifest\n' : '';
  const infra: ProfileSpec = {
    name: 'base',
    type: 'infra',
    layers: [helmLayer('calico', packValues('kube-system'), { slot: 'cni' }), helmLayer('csi-driver', packValues('storage'), { slot: 'csi' })],
  };
  const crds = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scrape-config\ndata:\n  a: "1"',
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: scrape-token\nstringData:\n  token: x',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: scraper\nrules: []',
  ].join('\n---\n');
  const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {}\n  template: {}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: {}';
  return [
    infra,
    addOn('platform', [
      helmLayer('policy', packValues('policy', -20)),
      helmLayer('certs', packValues('certs', -5)),
      manifestLayer('monitoring-config', crds, packValues('monitoring', 0, pin)),
      helmLayer('metrics', packValues('monitoring', 10)),
      helmLayer('logs', packValues('logging', 10, '  additionalNamespaces: monitoring\n')),
    ]),
    addOn('apps', [
      manifestLayer('web', app, packValues('apps', 20, `${pin}  namespaceLabels:\n    "default": "team=web"\n`)),
      helmLayer('web-cache', packValues('apps', 20)),
      // Deployed by a local-exec running `zarf`, which is not installed: the stand-in must not run it.
      { kind: 'zarf', name: 'podinfo', version: '6.4.0', package: 'oci://ghcr.io/example/packages/podinfo', values: packValues('podinfo', 20) },
    ]),
  ];
}

describe('rehearse with the real terraform binary', () => {
  it('finds terraform on PATH, which these tests run', () => {
    // GIVEN the PATH the tests run with
    // WHEN terraform is asked for its version
    const found = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    // THEN it answers: without it every rehearsal test below fails too
    const missing = 'terraform is not on PATH: the rehearsal tests run the real Terraform (1.4 or later); install it (https://developer.hashicorp.com/terraform/install) and run the tests again';
    assert.equal(found.error, undefined, missing);
    assert.equal(found.status, 0, `terraform version failed: ${found.stderr}`);
  });

  it('rehearses the example profiles: prints the timeline, passes the order check, writes the Mermaid chart', async () => {
    // GIVEN the example profiles and their registries
    const { registries, args } = exampleRegistries();
    const files = [join(EXAMPLES, 'edge-platform.json'), join(EXAMPLES, 'team-observability.json')];
    const plan = planCluster(loadProfileFiles(files), { registries });
    const chart = join(freshFolder('example'), 'rehearsal.md');
    const out: string[] = [];
    const progress: string[] = [];
    // WHEN rehearsed through the CLI
    const code = await rehearseCommand([...args, '--mermaid', chart, ...files], (l) => out.push(l), (l) => progress.push(l));
    // THEN it exits 0 with the install tier by tier, the teardown in reverse, and the check passed
    const text = out.join('\n');
    assert.equal(code, 0, text);
    const headings = plan.tiers.map((t, i) => `${String(i + 1).padStart(3)}. ${t.label}`);
    const listed = text.split('\n').filter((l) => /^\s+\d+\. /.test(l)).map((l) => l.trim().replace(/\s{2,}.*$/, ''));
    assert.deepEqual(listed, [...headings, ...[...headings].reverse()].map((h) => h.trim()));
    assert.match(text, new RegExp(`^Order check passed: ${plan.resources.length} resources created once and destroyed once; \\d+ dependencies and ${plan.tiers.length} tiers kept on install and in reverse on teardown\\.$`, 'm'));
    // AND progress went to the second stream, ending with every stand-in destroyed
    assert.equal(progress[0], `terraform init: ${plan.resources.length} terraform_data stand-ins in a temporary folder`);
    assert.equal(progress[progress.length - 1], `terraform destroy: ${plan.resources.length}/${plan.resources.length} stand-ins destroyed`);
    // AND the Markdown holds two Mermaid charts: the install with a section per tier, the teardown with the same in reverse
    const markdown = readFileSync(chart, 'utf8');
    const blocks = [...markdown.matchAll(/```mermaid\n([\s\S]*?)```\n/g)].map((m) => m[1]);
    assert.equal(blocks.length, 2, markdown);
    const sections = (block: string): string[] => block.split('\n').filter((l) => l.startsWith('  section ')).map((l) => l.slice('  section '.length));
    const names = plan.tiers.map((t, i) => `${i + 1} ${t.label.replace(':', ' ')}`);
    assert.deepEqual(sections(blocks[0]), names.map((n) => `Install ${n}`));
    assert.deepEqual(sections(blocks[1]), [...names].reverse().map((n) => `Teardown ${n}`));
  });

  for (const strategy of ['chart', 'manifest'] as const) {
    it(`rehearses generated profiles with negative priorities, shared namespaces and multi-document manifests (${strategy} strategy)`, async () => {
      // GIVEN seven tiers (cni, csi, -20, -5, 0, 10, 20), "monitoring" shared by three layers across two tiers, "apps" by two layers
      const plan = planCluster(generatedProfiles(strategy));
      assert.deepEqual(plan.tiers.map((t) => t.label), ['infra:cni', 'infra:csi', 'priority -20', 'priority -5', 'priority 0', 'priority 10', 'priority 20']);
      // WHEN rehearsed
      const result = await rehearse(synthesize(plan), plan);
      // THEN the order holds and every resource ran its four phases once, the Zarf package's stand-in too (zarf itself never ran)
      assert.deepEqual(result.check.violations, []);
      assert.equal(result.events.length, plan.resources.length * 4);
      assert.ok(plan.resources.some((r) => r.address === 'terraform_data.zarf--podinfo'), plan.resources.map((r) => r.address).join(', '));
      position(result, 'create-end', 'terraform_data.zarf--podinfo');
      // AND, read from the log itself: the shared namespace came before all its users and went after them
      const monitoring = 'kubernetes_namespace_v1.monitoring';
      const users = plan.resources.filter((r) => r.dependsOn.includes(monitoring)).map((r) => r.address);
      assert.deepEqual(users.filter((a) => !a.startsWith('terraform_data.')).sort(), {
        chart: ['helm_release.logs', 'helm_release.metrics', 'helm_release.monitoring-config'],
        manifest: [
          'helm_release.logs',
          'helm_release.metrics',
          'kubernetes_manifest.monitoring-config--clusterrole--scraper',
          'kubernetes_manifest.monitoring-config--configmap--monitoring--scrape-config',
          'kubernetes_manifest.monitoring-config--secret--monitoring--scrape-token',
        ],
      }[strategy]);
      for (const user of users) {
        assert.ok(position(result, 'create-end', monitoring) < position(result, 'create-start', user), `${user} created before its namespace`);
        assert.ok(position(result, 'destroy-end', user) < position(result, 'destroy-start', monitoring), `${monitoring} destroyed before ${user}`);
      }
      // AND every tier started after the whole tier before it was ready
      for (let i = 1; i < plan.tiers.length; i++) {
        const ready = Math.max(...plan.resources.filter((r) => r.tier === i - 1).map((r) => position(result, 'create-end', r.address)));
        const start = Math.min(...plan.resources.filter((r) => r.tier === i).map((r) => position(result, 'create-start', r.address)));
        assert.ok(ready < start, `tier ${plan.tiers[i].label} started before tier ${plan.tiers[i - 1].label} was ready`);
      }
    });
  }

  it('shows parallelism: three workloads of one tier become ready together, tiers one after another', async () => {
    // GIVEN three releases at priority 0 and one at 10, each taking 1 s to become ready
    const plan = planCluster([addOn('p', [helmLayer('a', packValues('a', 0)), helmLayer('b', packValues('b', 0)), helmLayer('c', packValues('c', 0)), helmLayer('d', packValues('d', 10))])]);
    // WHEN rehearsed
    const result = await rehearse(synthesize(plan), plan, { readinessSeconds: 1 });
    // THEN the first tier ran its three releases at once, in about 1 s rather than 3 s, and the install took two waits
    assert.deepEqual(result.check.violations, []);
    const [first, second] = result.timeline.tiers;
    assert.equal(first.createdAtOnce, 3);
    const took = first.create!.end - first.create!.start;
    assert.ok(took >= 1000 && took < 2500, `tier priority 0 took ${took} ms`);
    assert.ok(second.create!.start >= first.create!.end, 'tier priority 10 started before tier priority 0 was ready');
    assert.ok(result.timeline.install!.end - result.timeline.install!.start >= 2000);
  });

  it('fails the check, naming the resources, when a gate of the synthesized stack lost its dependencies', async () => {
    // GIVEN two tiers whose releases take 1 s, and the stack's tier 0 gate stripped of its depends_on
    const plan = planCluster([addOn('p', [helmLayer('a', packValues(undefined, 0)), helmLayer('b', packValues(undefined, 10))])]);
    const stack = synthesize(plan);
    assert.deepEqual(stack.resource.terraform_data.tier_0.depends_on, ['helm_release.a']);
    delete stack.resource.terraform_data.tier_0.depends_on;
    // WHEN rehearsed
    const result = await rehearse(stack, plan, { readinessSeconds: 1 });
    // THEN the lost dependency is named from the stack alone, then the gate that ran early and the release of tier 10 that started early
    assert.deepEqual(result.check.violations[0], {
      rule: 'plan',
      addresses: ['terraform_data.tier_0', 'helm_release.a'],
      message: 'terraform_data.tier_0 waits for helm_release.a in the install plan, but not in the synthesized stack, neither directly nor through other resources',
    });
    const messages = result.check.violations.map((v) => v.message);
    assert.ok(
      messages.includes('create order: terraform_data.tier_0 started before helm_release.a was ready; the install plan has terraform_data.tier_0 wait for helm_release.a, but the synthesized stack does not'),
      messages.join('\n'),
    );
    assert.ok(messages.includes('tier order: helm_release.b (priority 10) started before helm_release.a (priority 0), of an earlier tier, was ready'), messages.join('\n'));
    // AND every violation involves the release the broken gate let others overtake
    for (const v of result.check.violations) assert.ok(v.addresses.includes('helm_release.a'), v.message);
  });

  it('exits 1 naming the missing gate when a gate is removed from a synthesized stack given to the CLI', async () => {
    // GIVEN the example profiles synthesized, the stack's gate of tier priority 10 deleted with every reference to it
    const { registries, args } = exampleRegistries();
    const files = [join(EXAMPLES, 'edge-platform.json'), join(EXAMPLES, 'team-observability.json')];
    const plan = planCluster(loadProfileFiles(files), { registries });
    const stack = synthesize(plan);
    const gate = 'terraform_data.tier_10';
    assert.ok(stack.resource.terraform_data.tier_10, 'the examples have a tier at priority 10');
    delete stack.resource.terraform_data.tier_10;
    for (const byName of Object.values(stack.resource) as Record<string, { depends_on?: string[] }>[]) {
      for (const body of Object.values(byName)) if (body.depends_on) body.depends_on = body.depends_on.filter((d) => d !== gate);
    }
    const file = join(freshFolder('broken-stack'), 'cdk.tf.json');
    writeFileSync(file, JSON.stringify(stack));
    const out: string[] = [];
    // WHEN rehearsed through the CLI against the profiles' plan, workloads taking 1 s
    const code = await rehearseCommand([...args, '--synthesized', file, '--readiness', '1', ...files], (l) => out.push(l), () => undefined);
    // THEN it exits 1; the missing gate is named first, then the tier 20 namespace that no longer waited, with the tier 10 resources first
    assert.equal(code, 1, out.join('\n'));
    const failed = out.findIndex((l) => /^Order check FAILED: \d+ violations of the install plan:$/.test(l));
    assert.ok(failed >= 0, out.join('\n'));
    assert.equal(out[failed + 1], `  ${gate} is in the install plan but missing from the synthesized stack`);
    // (the namespace lost its only dependency: it started at once, while cilium took its 1 s)
    assert.ok(
      out.includes(
        '  tier order: kubernetes_namespace_v1.monitoring (priority 20) started before 14 resources of earlier tiers were ready: helm_release.ingress-nginx (priority 10), kubernetes_namespace_v1.ingress-nginx (priority 10), helm_release.platform-issuers (priority 0), and 11 more',
      ),
      out.join('\n'),
    );
  });

  it('fails with a clear message and leaves no temporary folder when terraform is not on PATH', () => {
    // GIVEN a PATH without terraform and a temporary folder of its own
    const { args } = exampleRegistries();
    const tmp = freshFolder('no-terraform-tmp');
    // WHEN the CLI rehearses the examples
    const run = spawnSync(process.execPath, [CLI, 'rehearse', ...args, join(EXAMPLES, 'edge-platform.json')], {
      encoding: 'utf8',
      env: { ...process.env, PATH: freshFolder('empty-bin'), TMPDIR: tmp },
    });
    // THEN it exits 1 with the reason and the fix, no stack trace, and the folder is empty
    assert.equal(run.status, 1, run.stderr);
    assert.equal(
      run.stderr,
      'cluster-profiles rehearse: terraform was not found on PATH; a rehearsal runs the real Terraform (1.4 or later): install it from https://developer.hashicorp.com/terraform/install and try again\n',
    );
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('fails with terraform\'s own error and removes the folder it ran in when terraform fails', () => {
    // GIVEN a terraform whose apply fails with an error diagnostic, recording the folder it ran in
    const bin = fakeTerraform('failing-bin', `echo '{"type":"diagnostic","diagnostic":{"severity":"error","summary":"local-exec provisioner error","detail":"exit status 1"}}'; exit 1`);
    const tmp = freshFolder('failing-tmp');
    const record = join(scratch, 'failing-cwd');
    const { args } = exampleRegistries();
    // WHEN the CLI rehearses the examples with it
    const run = spawnSync(process.execPath, [CLI, 'rehearse', ...args, join(EXAMPLES, 'edge-platform.json')], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp, RECORD: record },
    });
    // THEN it exits 1 naming the step and terraform's error, and the folder terraform ran in is gone
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^cluster-profiles rehearse: terraform apply failed \(exit code 1\): local-exec provisioner error: exit status 1\n$/m);
    const ranIn = readFileSync(record, 'utf8').trim();
    assert.ok(ranIn.startsWith(tmp), `terraform ran in ${ranIn}, outside ${tmp}`);
    assert.equal(existsSync(ranIn), false);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('stops terraform on Ctrl-C, exits 130 and removes the folder', async () => {
    // GIVEN a terraform whose apply hangs, recording the folder it runs in
    const bin = fakeTerraform('hanging-bin', 'exec sleep 30');
    const tmp = freshFolder('hanging-tmp');
    const record = join(scratch, 'hanging-cwd');
    const { args } = exampleRegistries();
    const child = spawn(process.execPath, [CLI, 'rehearse', ...args, join(EXAMPLES, 'edge-platform.json')], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp, RECORD: record },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    // WHEN interrupted once apply is running
    const deadline = Date.now() + 20_000;
    while (!existsSync(record) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(record), `apply never started: ${stderr}`);
    child.kill('SIGINT');
    // THEN it says so, exits 130, and the folder terraform ran in is gone
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /^cluster-profiles rehearse: interrupted: terraform apply was stopped before it finished; the temporary folder was removed$/m);
    assert.equal(existsSync(readFileSync(record, 'utf8').trim()), false);
    assert.deepEqual(readdirSync(tmp), []);
  });
});
