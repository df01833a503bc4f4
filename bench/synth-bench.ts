/**
 * Synthesis time and peak memory of the library against the plain cdktf baseline, each synthesis in
 * its own Node.js process (see synth-child.ts), and a check that both wrote the same resources and
 * edges, so that the ratio compares like with like.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterShape } from './generate';
import { Sample, summarize } from './stats';
import { SynthRequest, SynthRun } from './synth-child';

/** Figures of one mode (library or baseline) at one size. */
export interface ModeFigures {
  /** Stack building plus `app.synth()`, in ms. */
  readonly totalMs: Sample;
  /** Building the stack alone, in ms. */
  readonly constructMs: Sample;
  /** `app.synth()` alone, in ms. */
  readonly synthMs: Sample;
  /** Peak resident memory of the process, in KiB. */
  readonly maxRssKiB: Sample;
  /** Peak resident memory above the memory before synthesis (modules loaded, cluster generated), in KiB. */
  readonly synthRssKiB: Sample;
}

/** Library and baseline at one size. */
export interface SynthFigures {
  readonly shape: ClusterShape;
  readonly library: ModeFigures;
  readonly plain: ModeFigures;
  /** Whether both wrote the same `resource` block (same resources, attributes and dependencies). */
  readonly sameResources: boolean;
  /** The first difference found, when not the same. */
  readonly difference?: string;
  /** The library's synthesized stack (parsed cdk.tf.json), from its first run. */
  readonly stack: Record<string, unknown>;
}

/**
 * Synthesizes `shape` `runs` times with each mode, alternating library and baseline, each in a fresh
 * process writing into its own temporary folder.
 */
export function measureSynth(shape: ClusterShape, runs: number): SynthFigures {
  const child = join(__dirname, 'synth-child.js');
  const runsOf = { library: [] as SynthRun[], plain: [] as SynthRun[] };
  const first: Partial<Record<'library' | 'plain', Record<string, unknown>>> = {};
  for (let i = 0; i < runs; i++) {
    for (const mode of i % 2 === 0 ? (['plain', 'library'] as const) : (['library', 'plain'] as const)) {
      const outdir = mkdtempSync(join(tmpdir(), `cluster-profiles-bench-${mode}-`));
      try {
        const request: SynthRequest = { mode, shape, outdir };
        const result = spawnSync(process.execPath, [child, JSON.stringify(request)], { encoding: 'utf8', maxBuffer: 1 << 26 });
        if (result.status !== 0) throw new Error(`${mode} synthesis of ${shape.layers} layers failed: ${result.stderr}`);
        runsOf[mode].push(JSON.parse(result.stdout) as SynthRun);
        if (first[mode] === undefined) first[mode] = JSON.parse(readFileSync(join(outdir, 'stacks', 'bench', 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    }
  }
  const difference = firstDifference(first.library!.resource, first.plain!.resource);
  return { shape, library: figures(runsOf.library), plain: figures(runsOf.plain), sameResources: difference === undefined, difference, stack: first.library! };
}

function figures(runs: readonly SynthRun[]): ModeFigures {
  return {
    totalMs: summarize(runs.map((r) => r.totalMs)),
    constructMs: summarize(runs.map((r) => r.constructMs)),
    synthMs: summarize(runs.map((r) => r.synthMs)),
    maxRssKiB: summarize(runs.map((r) => r.maxRssKiB)),
    synthRssKiB: summarize(runs.map((r) => Math.max(0, r.maxRssKiB - r.rssBeforeKiB))),
  };
}

/**
 * The first difference between two `resource` blocks, ignoring cdktf's `//` metadata (construct
 * paths), key order, the order of `depends_on` and whether a `depends_on` entry is written bare
 * (`type.name`) or as a template (`${type.name}`); undefined when they are the same.
 */
export function firstDifference(a: unknown, b: unknown, path = 'resource'): string | undefined {
  const ca = canonical(a);
  const cb = canonical(b);
  return diff(ca, cb, path);
}

function canonical(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v));
    return key === 'depends_on' ? items.map((d) => String(d).replace(/^\$\{(.*)\}$/, '$1')).sort() : items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) if (k !== '//') out[k] = canonical((value as Record<string, unknown>)[k], k);
    return out;
  }
  return value;
}

function diff(a: unknown, b: unknown, path: string): string | undefined {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return `${path}: ${short(a)} vs ${short(b)}`;
  if (typeof a === 'object' && a !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b as object);
    for (const k of new Set([...ka, ...kb])) {
      if (!(k in a)) return `${path}.${k}: only in the baseline`;
      if (!(k in (b as object))) return `${path}.${k}: only in the library's output`;
      const d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${short(a)} vs ${short(b)}`;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Synthesizes `shape` once with the library in a fresh process and returns the parsed cdk.tf.json. */
export function synthOnce(shape: ClusterShape): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'cluster-profiles-bench-library-'));
  try {
    const request: SynthRequest = { mode: 'library', shape, outdir };
    const result = spawnSync(process.execPath, [join(__dirname, 'synth-child.js'), JSON.stringify(request)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (result.status !== 0) throw new Error(`synthesis of ${shape.layers} layers failed: ${result.stderr}`);
    return JSON.parse(readFileSync(join(outdir, 'stacks', 'bench', 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
