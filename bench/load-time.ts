/**
 * Module load time: how long `require()` of the library's entry point takes in a fresh Node.js
 * process, against `require('cdktf')` alone, which any cdktf program pays.
 */
import { spawnSync } from 'node:child_process';
import { Sample, summarize } from './stats';

/** Load figures of one module. */
export interface LoadFigures {
  /** The module required. */
  readonly module: string;
  /** Time spent in `require()`, in ms. */
  readonly requireMs: Sample;
  /** Wall time of the whole process (start-up, require, exit), in ms. */
  readonly processMs: Sample;
  /** Peak resident memory of the process, in KiB. */
  readonly maxRssKiB: Sample;
}

/** The script each child runs: times the require and prints one JSON line. */
const SCRIPT = [
  'const started = process.hrtime.bigint();',
  'require(process.argv[1]);',
  'const ms = Number(process.hrtime.bigint() - started) / 1e6;',
  'process.stdout.write(JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS }));',
].join('\n');

/**
 * Requires each module `runs` times, each time in a fresh process, alternating between the modules
 * so that a change of machine load hits them alike.
 */
export function measureLoad(modules: readonly string[], runs: number, cwd: string): LoadFigures[] {
  const results = modules.map(() => ({ requireMs: [] as number[], processMs: [] as number[], maxRssKiB: [] as number[] }));
  for (let i = 0; i < runs; i++) {
    modules.forEach((module, m) => {
      const started = process.hrtime.bigint();
      const child = spawnSync(process.execPath, ['-e', SCRIPT, module], { cwd, encoding: 'utf8' });
      const processMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (child.status !== 0) throw new Error(`require(${module}) failed: ${child.stderr}`);
      const out = JSON.parse(child.stdout) as { ms: number; maxRssKiB: number };
      results[m].requireMs.push(out.ms);
      results[m].processMs.push(processMs);
      results[m].maxRssKiB.push(out.maxRssKiB);
    });
  }
  return modules.map((module, m) => ({ module, requireMs: summarize(results[m].requireMs), processMs: summarize(results[m].processMs), maxRssKiB: summarize(results[m].maxRssKiB) }));
}
