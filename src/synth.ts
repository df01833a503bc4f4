import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, basename, join, relative, resolve } from 'node:path';
import { App, LocalBackend, TerraformBackend } from 'cdktf';
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
 * and never a half-written one. Since the whole folder is replaced, an existing `outdir` must be
 * empty or an earlier synth output (it holds CDKTF's `manifest.json`): `--out .` must never wipe a
 * project.
 */
export function synthToDirectory(outdir: string, stackName: string, props: ClusterStackProps): SynthResult {
  const target = resolve(outdir);
  checkReplaceable(target);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  try {
    // No stack traces in manifest.json's annotations (hazard warnings): they name this machine's paths.
    const app = new App({ outdir: staging, skipValidation: false, stackTraces: false });
    const stack = new ClusterStack(app, stackName, props);
    if (!stack.node.children.some((c) => TerraformBackend.isBackend(c))) {
      // CDKTF's default local backend writes the working folder's absolute path into cdk.tf.json. The
      // same state file, named relative to the stack's folder, keeps the output the same everywhere.
      const state = join(process.cwd(), `terraform.${stackName}.tfstate`);
      new LocalBackend(stack, { path: relative(join(target, 'stacks', stackName), state) });
    }
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

/** Throws unless `target` is absent, an empty folder, or a folder an earlier synth wrote. */
function checkReplaceable(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw new Error(`output folder ${target} is a file; give --out a folder to write into`);
  }
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes('manifest.json')) {
    throw new Error(`output folder ${target} is not empty and holds no synth output (no manifest.json); it would be replaced as a whole, so give --out a new or earlier output folder`);
  }
}
