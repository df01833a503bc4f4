/**
 * `npm run bench`: what the library costs against the floor, measured in one run on this machine.
 *
 * - module load: `require()` of the library's entry point against `require('cdktf')` alone;
 * - synthesis: generated clusters of 10, 100 and 1,000 layers, the library against a plain cdktf
 *   program that creates the same resources and edges (checked), time and peak memory;
 * - references: dependency references per resource of the synthesized stacks;
 * - Terraform: `validate` and `plan -refresh=false` on the rehearsal's `terraform_data` stand-ins of
 *   a realistic large stack (100 layers of 20 manifest documents in 10 tiers) in each manifest
 *   design, against the same objects with no ordering, and the 1,000-layer cluster.
 *
 * Prints a table and PASS/FAIL per target, writes bench/results.json, and exits 0 whether or not the
 * targets are met (a benchmark is not a test); it exits 1 only when it could not measure.
 *
 * Options: --synth-runs N (7), --load-runs N (9), --terraform-runs N (3), --skip-terraform,
 * --out FILE (bench/results.json).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStackGraph } from '../src/rehearse/stack-graph';
import { ClusterShape, generateCluster } from './generate';
import { LoadFigures, measureLoad } from './load-time';
import { Machine, describeMachine } from './machine';
import { ReferenceCount, countReferences, transitiveDependencyCount } from './references';
import { SynthFigures, measureSynth, synthOnce } from './synth-bench';
import { Ratio, Sample, formatSample, ratio } from './stats';
import { StandIns, TerraformFigures, forEachStandIns, measureTerraform, orderedStandIns, terraformVersion, unorderedStandIns } from './terraform-bench';

/** Synthesis sizes: layers and tiers; Helm and manifest layers alternate, manifest layers hold 2 to 6 documents. */
const SYNTH_SIZES: readonly { layers: number; tiers: number }[] = [
  { layers: 10, tiers: 5 },
  { layers: 100, tiers: 20 },
  { layers: 1000, tiers: 50 },
];

/** The realistic large platform stack: 100 manifest layers of 20 documents each, in 10 tiers. */
const REALISTIC: ClusterShape = { layers: 100, tiers: 10, documents: 20, kinds: 'manifests' };

/** The 1,000-layer cluster of the synthesis benchmark. */
const LARGE: ClusterShape = { layers: 1000, tiers: 50, documents: 'mixed', kinds: 'mixed' };

/**
 * Terraform work grows with the transitive closure (state `dependencies` entries): plans of a
 * configuration beyond this many entries are not run (about 45 s per plan here at 2 million).
 */
const CLOSURE_CAP_FOR_PLAN = 3_000_000;

/** Apply (to count the state's dependencies) only below this closure: apply rewrites the whole state as it goes. */
const CLOSURE_CAP_FOR_APPLY = 100_000;

/** The manifest designs compared: how a manifest layer's documents become Terraform resources. */
const DESIGNS = [
  { id: 'per-document', label: 'one kubernetes_manifest per document', strategy: 'manifest', forEach: false },
  { id: 'per-layer-for-each', label: 'one kubernetes_manifest resource per manifest layer, for_each over its documents (not a library strategy)', strategy: 'manifest', forEach: true },
  { id: 'per-layer-chart', label: 'one helm_release per manifest layer (generated chart)', strategy: 'chart', forEach: false },
  { id: 'default', label: 'the library default (no pack.manifestStrategy)', strategy: undefined, forEach: false },
] as const;

type DesignId = (typeof DESIGNS)[number]['id'];

/** One stack measured with Terraform. */
interface TerraformCase {
  readonly stack: 'realistic' | '1000 layers';
  /** `unordered`, or the design. */
  readonly design: 'unordered' | DesignId;
  readonly label: string;
  /** For a design equal to another (the default is one of the others), the one it equals. */
  readonly sameAs?: DesignId;
  readonly resources: number;
  readonly references?: ReferenceCount;
  /** Entries of all state `dependencies` lists, computed from the graph. */
  readonly closure: number;
  /** Undefined when not run (capped). */
  readonly figures?: TerraformFigures;
  readonly notRun?: string;
}

/** One target and whether it was met. */
interface Target {
  readonly name: string;
  readonly limit: string;
  /** The measured figure (a ratio, a count, KiB per layer), for machines. */
  readonly value: number | null;
  readonly measured: string;
  readonly pass: boolean;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'synth-runs': { type: 'string', default: '7' },
      'load-runs': { type: 'string', default: '9' },
      'terraform-runs': { type: 'string', default: '3' },
      'skip-terraform': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const count = (name: 'synth-runs' | 'load-runs' | 'terraform-runs'): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of runs, 1 or more, found "${values[name]}"`);
    return n;
  };
  const runs = { synth: count('synth-runs'), load: count('load-runs'), terraform: count('terraform-runs') };
  const repo = resolve(__dirname, '..', '..');
  const out = resolve(values.out ?? resolve(repo, 'bench', 'results.json'));
  const started = Date.now();
  const version = terraformVersion('terraform');
  const terraform = values['skip-terraform'] ? undefined : version;
  const machine = describeMachine(version);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);

  log(`bench: module load, ${runs.load} runs each`);
  const entry = resolve(__dirname, '..', 'src', 'index.js');
  const [cdktfLoad, libraryLoad] = measureLoad(['cdktf', entry], runs.load, repo);

  const synth: SynthFigures[] = [];
  const synthReferences: ReferenceCount[] = [];
  for (const size of SYNTH_SIZES) {
    // Pinned to one kubernetes_manifest per document, the design the plain baseline writes, so that both hold the same resources.
    const shape: ClusterShape = { ...size, documents: 'mixed', kinds: 'mixed', strategy: 'manifest' };
    log(`bench: synthesis of ${size.layers} layers, ${runs.synth} runs each of library and baseline`);
    const figures = measureSynth(shape, runs.synth);
    if (!figures.sameResources) throw new Error(`the baseline does not create the library's resources at ${size.layers} layers: ${figures.difference}`);
    synth.push(figures);
    synthReferences.push(countReferences(readStackGraph(figures.stack)));
  }

  const cases: TerraformCase[] = [];
  if (terraform === undefined) {
    log(values['skip-terraform'] ? 'bench: Terraform skipped (--skip-terraform)' : 'bench: terraform not found on PATH: Terraform figures skipped');
  } else {
    cases.push(...terraformCases('realistic', REALISTIC, runs.terraform, log));
    cases.push(...terraformCases('1000 layers', LARGE, 1, log));
  }

  const targets = evaluate(libraryLoad, cdktfLoad, synth, synthReferences, cases);
  const report = { generatedAt: new Date().toISOString(), durationSeconds: Math.round((Date.now() - started) / 1000), machine: { ...machine, loadAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) }, runs, load: { cdktf: cdktfLoad, library: libraryLoad, ratio: ratio(libraryLoad.requireMs, cdktfLoad.requireMs) }, synthesis: synth.map((s, i) => ({ shape: s.shape, resources: synthReferences[i].resources, library: s.library, baseline: s.plain, ratio: ratio(s.library.totalMs, s.plain.totalMs), sameResources: s.sameResources, references: synthReferences[i] })), terraform: cases, targets };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(formatReport(machine, runs, libraryLoad, cdktfLoad, synth, synthReferences, cases, targets));
  process.stdout.write(`\nWrote ${out} in ${report.durationSeconds} s.\n`);
}

/** The Terraform cases of one stack: each distinct design, and the unordered baseline. */
function terraformCases(stack: TerraformCase['stack'], shape: ClusterShape, runs: number, log: (line: string) => void): TerraformCase[] {
  const out: TerraformCase[] = [];
  const configs = new Map<DesignId, { text: string; config: StandIns }>();
  for (const design of DESIGNS) {
    log(`bench: Terraform, ${stack}: synthesizing the ${design.id} design`);
    const synthesized = readStackGraph(synthOnce({ ...shape, strategy: design.strategy }));
    const { config, resources } = design.forEach ? forEachStandIns(synthesized) : { config: orderedStandIns(synthesized), resources: synthesized };
    const text = JSON.stringify(config);
    const sameAs = [...configs].find(([, c]) => c.text === text)?.[0];
    configs.set(design.id, { text, config });
    const closure = transitiveDependencyCount(resources);
    const base = { stack, design: design.id, label: design.label, resources: resources.length, references: countReferences(resources), closure };
    if (sameAs !== undefined) {
      out.push({ ...base, sameAs });
      continue;
    }
    if (closure > CLOSURE_CAP_FOR_PLAN) {
      out.push({ ...base, notRun: `not run: ${closure.toLocaleString('en-US')} state dependency entries, over the cap of ${CLOSURE_CAP_FOR_PLAN.toLocaleString('en-US')} for a plan (plan time grows with them)` });
      continue;
    }
    log(`bench: Terraform, ${stack}, ${design.id}: ${resources.length} stand-ins, validate and plan x${runs}${closure <= CLOSURE_CAP_FOR_APPLY ? ', apply x1' : ''}`);
    const figures = measureTerraform(config, { runs, apply: closure <= CLOSURE_CAP_FOR_APPLY, timeoutMs: 300_000, terraform: 'terraform' });
    // The computed closure stands in for the state where no apply runs: check it where one does.
    if (figures.stateDependencies !== undefined && figures.stateDependencies !== closure) {
      throw new Error(`${stack} ${design.id}: the state after apply holds ${figures.stateDependencies} dependency entries, the computed closure ${closure}; the computed figures would be wrong`);
    }
    out.push({ ...base, figures });
  }
  const unordered = unorderedStandIns(generateCluster(shape));
  const n = Object.keys(unordered.resource.terraform_data).length;
  log(`bench: Terraform, ${stack}, unordered: ${n} stand-ins, validate and plan x${runs}`);
  out.unshift({ stack, design: 'unordered', label: 'same objects, one stand-in per document, chart and namespace, no edges', resources: n, closure: 0, figures: measureTerraform(unordered, { runs, apply: false, timeoutMs: 300_000, terraform: 'terraform' }) });
  return out;
}

/** The design a case stands for, following `sameAs`. */
function resolveCase(cases: readonly TerraformCase[], c: TerraformCase): TerraformCase {
  return c.sameAs !== undefined ? cases.find((o) => o.stack === c.stack && o.design === c.sameAs)! : c;
}

function planRatio(cases: readonly TerraformCase[], stack: TerraformCase['stack'], design: DesignId): Ratio | undefined {
  const base = cases.find((c) => c.stack === stack && c.design === 'unordered')?.figures?.plan.sample;
  const found = cases.find((c) => c.stack === stack && c.design === design);
  const plan = found !== undefined ? resolveCase(cases, found).figures?.plan.sample : undefined;
  return base !== undefined && plan !== undefined ? ratio(plan, base) : undefined;
}

function evaluate(libraryLoad: LoadFigures, cdktfLoad: LoadFigures, synth: readonly SynthFigures[], references: readonly ReferenceCount[], cases: readonly TerraformCase[]): Target[] {
  const targets: Target[] = [];
  const largest = synth[synth.length - 1];
  const synthRatio = ratio(largest.library.totalMs, largest.plain.totalMs);
  targets.push({ name: `synthesis at ${largest.shape.layers.toLocaleString('en-US')} layers against plain cdktf`, limit: '<= 1.25x', value: synthRatio.value, measured: formatRatio(synthRatio), pass: synthRatio.value <= 1.25 });
  const loadRatio = ratio(libraryLoad.requireMs, cdktfLoad.requireMs);
  targets.push({ name: 'entry-point load against require("cdktf")', limit: '<= 1.5x', value: loadRatio.value, measured: formatRatio(loadRatio), pass: loadRatio.value <= 1.5 });
  const all = [...references.map((r, i) => ({ what: `${synth[i].shape.layers} layers`, r })), ...cases.flatMap((c) => (c.references !== undefined ? [{ what: `${c.stack} ${c.design}`, r: c.references }] : []))];
  const worst = all.reduce((a, b) => (b.r.perResource > a.r.perResource ? b : a));
  targets.push({ name: 'dependency references per resource (worst stack)', limit: '<= 3', value: worst.r.perResource, measured: `${worst.r.perResource.toFixed(2)} (${worst.what})`, pass: worst.r.perResource <= 3 });
  const defaultRatio = planRatio(cases, 'realistic', 'default');
  const defaultDesign = cases.find((c) => c.stack === 'realistic' && c.design === 'default');
  const which = defaultDesign?.sameAs !== undefined ? ` (default = ${defaultDesign.sameAs})` : '';
  targets.push({
    name: `Terraform plan, realistic stack, ordered stand-ins against unordered${which}`,
    limit: '<= 2x',
    value: defaultRatio?.value ?? null,
    measured: defaultRatio !== undefined ? formatRatio(defaultRatio) : 'not measured',
    pass: defaultRatio !== undefined && defaultRatio.value <= 2,
  });
  // Memory: the peak above what the process held before synthesis, per layer, from 100 to 1,000 layers against 10 to 100.
  const [small, mid, big] = synth.map((s) => s.library.synthRssKiB.median);
  const early = (mid - small) / (synth[1].shape.layers - synth[0].shape.layers);
  const late = (big - mid) / (synth[2].shape.layers - synth[1].shape.layers);
  targets.push({
    name: 'synthesis memory grows at most linearly with layers',
    limit: 'KiB/layer from 100 to 1,000 <= 1.25x KiB/layer from 10 to 100',
    value: early > 0 ? late / early : null,
    measured: `${late.toFixed(0)} vs ${early.toFixed(0)} KiB/layer`,
    pass: late <= 1.25 * early,
  });
  return targets;
}

/** Adds a footnote and returns its number. */
function note(notes: string[], text: string): number {
  notes.push(text);
  return notes.length;
}

function formatRatio(r: Ratio): string {
  return `${r.value.toFixed(2)}x (${r.low.toFixed(2)}-${r.high.toFixed(2)})`;
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]))).join('  ')}`.trimEnd()).join('\n');
}

function formatReport(
  machine: Machine,
  runs: { synth: number; load: number; terraform: number },
  libraryLoad: LoadFigures,
  cdktfLoad: LoadFigures,
  synth: readonly SynthFigures[],
  references: readonly ReferenceCount[],
  cases: readonly TerraformCase[],
  targets: readonly Target[],
): string {
  const lines: string[] = [];
  lines.push(`cdktf-cluster-profiles benchmark: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}, terraform ${machine.terraform ?? 'not found'}, load ${machine.loadAtStart.join(' ')}`);
  lines.push('Every figure: median (min-max) of the runs; ratios: median over median (range of run over run).');
  lines.push('');
  lines.push(`Module load, each run in a fresh process (${runs.load} runs)`);
  lines.push(
    table([
      ['module', 'require()', 'whole process', 'peak RSS'],
      ...[cdktfLoad, libraryLoad].map((l) => [l === cdktfLoad ? 'cdktf' : 'library (dist/src/index.js)', formatSample(l.requireMs), formatSample(l.processMs), mib(l.maxRssKiB.median)]),
      ['library / cdktf', formatRatio(ratio(libraryLoad.requireMs, cdktfLoad.requireMs)), formatRatio(ratio(libraryLoad.processMs, cdktfLoad.processMs)), ''],
    ]),
  );
  lines.push('');
  lines.push(`Synthesis, each run in its own process (${runs.synth} runs each; same resources and edges checked)`);
  lines.push(
    table([
      ['layers', 'tiers', 'resources', 'library', 'plain cdktf', 'ratio', 'library peak RSS', 'plain peak RSS', 'refs/resource'],
      ...synth.map((s, i) => [
        String(s.shape.layers),
        String(s.shape.tiers),
        String(references[i].resources),
        formatSample(s.library.totalMs),
        formatSample(s.plain.totalMs),
        formatRatio(ratio(s.library.totalMs, s.plain.totalMs)),
        mib(s.library.maxRssKiB.median),
        mib(s.plain.maxRssKiB.median),
        references[i].perResource.toFixed(2),
      ]),
    ]),
  );
  if (cases.length > 0) {
    lines.push('');
    lines.push(`Terraform on terraform_data stand-ins: validate, plan -refresh=false (realistic: ${runs.terraform} runs; 1000 layers: 1 run)`);
    const rows: string[][] = [['stack', 'design', 'resources', 'state deps', 'validate', 'plan', 'plan/unordered', 'plan peak RSS']];
    const notes: string[] = [];
    for (const c of cases) {
      const shown = resolveCase(cases, c);
      const f = shown.figures;
      const plan: Sample | undefined = f?.plan.sample;
      const base = cases.find((o) => o.stack === c.stack && o.design === 'unordered')?.figures?.plan.sample;
      const deps = f?.stateDependencies !== undefined ? `${f.stateDependencies.toLocaleString('en-US')} (applied)` : `${c.closure.toLocaleString('en-US')}${c.design === 'unordered' ? '' : ' (computed)'}`;
      rows.push([
        c.stack,
        c.sameAs !== undefined ? `${c.design} (= ${c.sameAs})` : c.design,
        String(c.resources),
        deps,
        f?.validate.sample !== undefined ? formatSample(f.validate.sample) : '-',
        plan !== undefined ? `${formatSample(plan)}${f?.plan.timedOut ? ' (timed out)' : ''}` : shown.notRun !== undefined ? `(${note(notes, `${c.stack} ${c.design}: ${shown.notRun}`)})` : '-',
        plan !== undefined && base !== undefined && c.design !== 'unordered' ? formatRatio(ratio(plan, base)) : '',
        f?.plan.maxRssKiB !== undefined ? mib(f.plan.maxRssKiB) : '',
      ]);
    }
    lines.push(table(rows));
    notes.forEach((n, i) => lines.push(`  (${i + 1}) ${n}`));
    lines.push('  state deps: entries of all `dependencies` lists in the state after an apply (applied: measured; computed: the graph\'s transitive closure, which is what Terraform records)');
    lines.push('  designs: ' + DESIGNS.filter((d) => d.id !== 'default').map((d) => `${d.id} = ${d.label}`).join('; '));
  }
  lines.push('');
  lines.push('Targets');
  for (const t of targets) lines.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured} (target ${t.limit})`);
  const also: string[] = [];
  for (const stack of ['realistic', '1000 layers'] as const) {
    for (const design of DESIGNS) {
      const c = cases.find((o) => o.stack === stack && o.design === design.id);
      if (c === undefined || c.sameAs !== undefined || (stack === 'realistic' && design.id === 'default')) continue;
      const r = planRatio(cases, stack, design.id);
      also.push(`${stack}, ${design.id}: ${r !== undefined ? formatRatio(r) : (c.notRun ?? 'not measured')}`);
    }
  }
  if (also.length > 0) lines.push(`  Also reported, Terraform plan against unordered: ${also.join('; ')}`);
  const missed = targets.filter((t) => !t.pass);
  lines.push(missed.length === 0 ? 'All targets met.' : `Missed ${missed.length} of ${targets.length} targets: ${missed.map((t) => t.name).join('; ')}.`);
  return `${lines.join('\n')}\n`;
}

try {
  main();
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(1);
}
