import { mkdtempSync, renameSync, rmSync, existsSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { App } from 'cdktf';
import { ClusterStack, ClusterStackProps } from './constructs/cluster-stack';

/** Where a synthesized stack was written. */
export interface SynthResult {
  /** The output folder. */
  readonly outdir: string;
  /** The stack's `cdk.tf.json`. */
  readonly file: string;
  /** The stack. */
  readonly stack: ClusterStack;
}

/**
 * Synthesizes one cluster stack into `outdir` atomically: everything is written into a fresh folder
 * beside it first, which then replaces `outdir`, so a failure leaves the previous output untouched
 * and never a half-written one.
 */
export function synthToDirectory(outdir: string, stackName: string, props: ClusterStackProps): SynthResult {
  const target = resolve(outdir);
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  try {
    const app = new App({ outdir: staging, skipValidation: false });
    const stack = new ClusterStack(app, stackName, props);
    app.synth();
    const old = existsSync(target) ? `${staging}-previous` : undefined;
    if (old !== undefined) renameSync(target, old);
    renameSync(staging, target);
    if (old !== undefined) rmSync(old, { recursive: true, force: true });
    return { outdir: target, file: join(target, 'stacks', stackName, 'cdk.tf.json'), stack };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
