/**
 * Terraform's own cost of a configuration's graph, offline: the resources of a synthesized stack as
 * `terraform_data` stand-ins (as the rehearsal builds them, without its logging provisioners), or
 * the same Kubernetes objects as stand-ins with no ordering at all; `terraform validate` and
 * `terraform plan -refresh=false` timed over several runs, and optionally one `apply` whose state's
 * `dependencies` lists are counted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { StackResource } from '../src/rehearse/stack-graph';
import { standInConfig } from '../src/rehearse/stand-ins';
import { terraformEnvironment } from '../src/rehearse/terraform-runner';
import { GeneratedCluster } from './generate';
import { Sample, summarize } from './stats';

/** A Terraform JSON configuration of `terraform_data` resources (some with `for_each` over a local). */
export interface StandIns {
  readonly resource: { readonly terraform_data: Readonly<Record<string, { readonly depends_on?: readonly string[]; readonly for_each?: string }>> };
  readonly locals?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The rehearsal's stand-ins for a stack's resources, every dependency kept, without provisioners. */
export function orderedStandIns(resources: readonly StackResource[]): StandIns {
  const config = standInConfig(resources);
  const out: Record<string, { depends_on?: readonly string[] }> = {};
  for (const [name, body] of Object.entries(config.resource.terraform_data)) {
    const { provisioner: _logging, ...rest } = body as { provisioner?: unknown; depends_on?: readonly string[] };
    out[name] = rest;
  }
  return { resource: { terraform_data: out } };
}

/**
 * A design the library does not synthesize, measured for comparison: the per-document stack with
 * each layer's `kubernetes_manifest` resources folded into one resource with `for_each` over its
 * documents (one instance per document, so still one Kubernetes object each). The documents sit in
 * a local (`for_each = local.<layer>`): a `for_each` over an inline object is re-evaluated per
 * instance and costs more. Dependencies on a folded document become dependencies on its layer's
 * resource. Returns the configuration and its resources as the rehearsal reads them, each with the
 * number of instances it has.
 */
export function forEachStandIns(perDocument: readonly StackResource[]): { config: StandIns; resources: (StackResource & { readonly instances: number })[] } {
  const folded = new Map<string, string>();
  const keys = new Map<string, string[]>();
  for (const r of perDocument) {
    if (r.type !== 'kubernetes_manifest') continue;
    const name = r.address.slice(r.address.indexOf('.') + 1);
    const layer = name.slice(0, name.indexOf('--'));
    const address = `kubernetes_manifest.${layer}`;
    folded.set(r.address, address);
    keys.set(address, [...(keys.get(address) ?? []), name]);
  }
  const byAddress = new Map<string, StackResource & { instances: number }>();
  for (const r of perDocument) {
    const address = folded.get(r.address) ?? r.address;
    const dependsOn = r.dependsOn.map((d) => folded.get(d) ?? d);
    const known = byAddress.get(address);
    if (known !== undefined) {
      byAddress.set(address, { ...known, dependsOn: [...new Set([...known.dependsOn, ...dependsOn])].sort() });
    } else {
      byAddress.set(address, { ...r, address, dependsOn: [...new Set(dependsOn)].sort(), instances: keys.get(address)?.length ?? 1 });
    }
  }
  const resources = [...byAddress.values()];
  const ordered = orderedStandIns(resources);
  const out: Record<string, { depends_on?: readonly string[]; for_each?: string }> = {};
  const locals: Record<string, Record<string, string>> = {};
  for (const [name, body] of Object.entries(ordered.resource.terraform_data)) {
    const address = `kubernetes_manifest.${name.slice('kubernetes_manifest__'.length)}`;
    const documents = name.startsWith('kubernetes_manifest__') ? keys.get(address) : undefined;
    if (documents === undefined) {
      out[name] = body;
      continue;
    }
    const local = `documents_${Object.keys(locals).length}`;
    locals[local] = Object.fromEntries(documents.map((d) => [d, d]));
    out[name] = { ...body, for_each: `\${local.${local}}` };
  }
  return { config: { resource: { terraform_data: out }, locals }, resources };
}

/**
 * What a hand-written configuration without ordering holds for the same cluster: one stand-in per
 * namespace, per Helm chart and per manifest document, and no edge between them.
 */
export function unorderedStandIns(cluster: GeneratedCluster): StandIns {
  const out: Record<string, Record<string, never>> = {};
  for (const layer of cluster.plain) {
    out[`kubernetes_namespace_v1__${layer.namespace}`] = {};
    if (layer.helm !== undefined) out[`helm_release__${layer.name}`] = {};
    let d = 0;
    for (const manifest of layer.manifests ?? []) {
      for (const doc of loadAll(manifest.content, undefined, { schema: CORE_SCHEMA })) if (doc !== null && doc !== undefined) out[`kubernetes_manifest__${layer.name}--${d++}`] = {};
    }
  }
  return { resource: { terraform_data: out } };
}

/** How to measure a configuration. */
export interface TerraformOptions {
  /** Runs of validate and of plan. */
  readonly runs: number;
  /** Whether to apply once and count the state's dependencies. */
  readonly apply: boolean;
  /** A plan or apply that takes longer is stopped and reported as not finished, in ms. */
  readonly timeoutMs: number;
  /** The terraform binary. */
  readonly terraform: string;
}

/** One terraform step's runs; `timedOut` when a run was stopped at the time limit (no further runs then). */
export interface StepFigures {
  readonly sample?: Sample;
  /** Peak resident memory of the median run's terraform process, in KiB, where /usr/bin/time is available. */
  readonly maxRssKiB?: number;
  readonly timedOut?: boolean;
}

/** What Terraform spent on one configuration. */
export interface TerraformFigures {
  readonly resources: number;
  /** `depends_on` entries in the configuration. */
  readonly edges: number;
  readonly init: StepFigures;
  readonly validate: StepFigures;
  readonly plan: StepFigures;
  readonly apply?: StepFigures;
  /** Entries in all `dependencies` lists of the state after the apply. */
  readonly stateDependencies?: number;
  /** Size of the state file after the apply, in bytes. */
  readonly stateBytes?: number;
}

const TIME = '/usr/bin/time';

/** Measures a configuration in a fresh temporary folder, removed afterwards. */
export function measureTerraform(config: StandIns, options: TerraformOptions): TerraformFigures {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-profiles-bench-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
    const cliConfig = join(dir, 'terraformrc');
    writeFileSync(cliConfig, '');
    const env = terraformEnvironment(process.env, cliConfig);
    const step = (args: readonly string[], runs: number): StepFigures => {
      const times: number[] = [];
      const memory: number[] = [];
      for (let i = 0; i < runs; i++) {
        const run = runOnce(options.terraform, args, dir, env, options.timeoutMs);
        if (run === 'timeout') return times.length > 0 ? { sample: summarize(times), timedOut: true } : { timedOut: true };
        times.push(run.ms);
        if (run.maxRssKiB !== undefined) memory.push(run.maxRssKiB);
      }
      return { sample: summarize(times), maxRssKiB: memory.length > 0 ? summarize(memory).median : undefined };
    };
    const resources = Object.keys(config.resource.terraform_data).length;
    const edges = Object.values(config.resource.terraform_data).reduce((n, r) => n + (r.depends_on?.length ?? 0), 0);
    const init = step(['init', '-input=false', '-no-color'], 1);
    if (init.timedOut) throw new Error(`terraform init took longer than ${options.timeoutMs} ms in ${dir}`);
    const validate = step(['validate', '-no-color'], options.runs);
    const plan = step(['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false'], options.runs);
    if (!options.apply) return { resources, edges, init, validate, plan };
    const apply = step(['apply', '-refresh=false', '-input=false', '-no-color', '-lock=false', '-auto-approve'], 1);
    if (apply.timedOut) return { resources, edges, init, validate, plan, apply };
    const statePath = join(dir, 'terraform.tfstate');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { resources: { instances: { dependencies?: string[] }[] }[] };
    let stateDependencies = 0;
    for (const r of state.resources) for (const i of r.instances) stateDependencies += i.dependencies?.length ?? 0;
    return { resources, edges, init, validate, plan, apply, stateDependencies, stateBytes: readFileSync(statePath).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runOnce(terraform: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): { ms: number; maxRssKiB?: number } | 'timeout' {
  const timed = existsSync(TIME);
  const [command, argv] = timed ? [TIME, ['-f', 'bench-max-rss-kib=%M', terraform, ...args]] : [terraform, [...args]];
  const started = process.hrtime.bigint();
  const result = spawnSync(command, argv, { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'timeout';
  if (result.error !== undefined) throw new Error(`terraform ${args[0]} could not run: ${result.error.message}`);
  if (result.signal === 'SIGKILL') return 'timeout';
  if (result.status !== 0) throw new Error(`terraform ${args.join(' ')} failed in ${cwd} (exit code ${result.status}): ${(result.stderr || result.stdout).slice(-2000)}`);
  const rss = /bench-max-rss-kib=(\d+)/.exec(result.stderr ?? '');
  return { ms, maxRssKiB: rss !== null ? Number(rss[1]) : undefined };
}

/** The terraform version, or undefined when terraform cannot run. */
export function terraformVersion(terraform: string): string | undefined {
  const result = spawnSync(terraform, ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (result.status !== 0) return undefined;
  try {
    return String((JSON.parse(result.stdout) as { terraform_version?: unknown }).terraform_version);
  } catch {
    return undefined;
  }
}
