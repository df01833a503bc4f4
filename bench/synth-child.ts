/**
 * One synthesis, alone in its own process so that its peak memory is its own: generates a cluster
 * (not timed), then times building the stack and `app.synth()` with the library or with the plain
 * cdktf baseline, and prints one JSON line ({@link SynthRun}).
 *
 * Usage: node synth-child.js '{"mode":"library"|"plain","shape":{...},"outdir":"..."}'
 */
import { App } from 'cdktf';
import { ClusterStack } from '../src';
import { ClusterShape, generateCluster } from './generate';
import { plainStack } from './plain-cdktf';

/** What the parent asks for. */
export interface SynthRequest {
  readonly mode: 'library' | 'plain';
  readonly shape: ClusterShape;
  readonly outdir: string;
}

/** What one synthesis cost. */
export interface SynthRun {
  /** Building the stack (the library: validation, planning, hazards and constructs), in ms. */
  readonly constructMs: number;
  /** `app.synth()`: cdktf resolving tokens and writing cdk.tf.json, in ms. */
  readonly synthMs: number;
  /** Both, in ms. */
  readonly totalMs: number;
  /** Peak resident memory of this process, in KiB (modules loaded included). */
  readonly maxRssKiB: number;
  /** Resident memory after the modules were loaded and the cluster generated, before synthesis, in KiB. */
  readonly rssBeforeKiB: number;
}

function main(): void {
  const request = JSON.parse(process.argv[2]) as SynthRequest;
  const cluster = generateCluster(request.shape);
  const rssBeforeKiB = Math.round(process.memoryUsage.rss() / 1024);
  const started = process.hrtime.bigint();
  // The baseline skips cdktf's validations: for each terraform_data gate, cdktf's DataResource runs
  // `terraform version` in a child process (about 50 ms each), which the library avoids with its own
  // terraform_data class. Skipping them all makes the baseline the floor, not a straw man.
  const app = new App({ outdir: request.outdir, skipValidation: request.mode === 'plain' });
  if (request.mode === 'library') new ClusterStack(app, 'bench', { profiles: cluster.profiles });
  else plainStack(app, 'bench', cluster);
  const built = process.hrtime.bigint();
  app.synth();
  const done = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint): number => Number(b - a) / 1e6;
  const run: SynthRun = { constructMs: ms(started, built), synthMs: ms(built, done), totalMs: ms(started, done), maxRssKiB: process.resourceUsage().maxRSS, rssBeforeKiB };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

main();
