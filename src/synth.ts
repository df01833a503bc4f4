import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, basename, join, relative, resolve, sep } from 'node:path';
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
  /** The extra files (`SynthOptions.alsoWrite`) that were written. */
  readonly alsoWritten: readonly string[];
}

/** A file written together with the output: both are replaced, or neither. */
export interface FileWrite {
  /** The file's path. */
  readonly path: string;
  /** Its new content. */
  readonly content: string;
}

/** Options of {@link synthToDirectory}. */
export interface SynthOptions {
  /**
   * The files the run read (profiles, catalog, variable files, lock file): the output folder may not
   * hold any of them.
   * @default - none checked
   */
  readonly inputs?: readonly string[];
  /**
   * Files written in the same all-or-nothing step as the output (the lock file): when one cannot be
   * written, the output is left as it was.
   * @default - none
   */
  readonly alsoWrite?: readonly FileWrite[];
}

/**
 * The marker a synth output carries: the files this tool wrote there, one relative path a line.
 * Only a folder holding it is ever written into again, and only the files it lists are replaced or
 * removed; everything else (`.terraform/`, `.terraform.lock.hcl`, state files, a user's notes) stays.
 */
export const OUTPUT_MARKER = '.cluster-profiles-output';

const MARKER_HEADER = '# Written by cluster-profiles synth: the files below are replaced or removed by the next synth; nothing else in this folder is touched.';

/**
 * Synthesizes one cluster stack into `outdir`, owning only what it wrote there.
 *
 * - `outdir` must be absent, empty, or an earlier output (it holds the marker file `.cluster-profiles-output`); it may not
 *   be or contain the working folder, nor hold an input file.
 * - Everything is synthesized into a staging folder beside `outdir` first. Then, file by file, the
 *   new files replace the old ones and the files of the previous output that are no longer written
 *   are removed; the old files are kept aside until the extra files (`alsoWrite`: the lock file) are
 *   written too. Any failure puts every old file back: the output and the lock are replaced together
 *   or not at all. The folder itself is never replaced, so its mode, owner and a symlink to it stay.
 * - A lock file beside `outdir` serializes runs on one folder: a second run is refused while the
 *   first is alive.
 */
export function synthToDirectory(outdir: string, stackName: string, props: ClusterStackProps, options: SynthOptions = {}): SynthResult {
  const target = resolve(outdir);
  const previous = checkWritable(target, options.inputs ?? []);
  for (const write of options.alsoWrite ?? []) checkFileWritable(write.path);
  mkdirSync(dirname(target), { recursive: true });
  const release = lockOutput(target);
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-staging-`));
  const aside = `${staging}-previous`;
  try {
    // No stack traces in manifest.json's annotations (hazard warnings): they name this machine's paths.
    const app = new App({ outdir: staging, skipValidation: false, stackTraces: false });
    const stack = new ClusterStack(app, stackName, props);
    if (!stack.node.children.some((c) => TerraformBackend.isBackend(c))) {
      // CDKTF's default local backend writes the working folder's absolute path into cdk.tf.json. The
      // same state file, named relative to the stack's folder, keeps the output the same everywhere.
      // The working folder is never inside the output (checkWritable), so neither is the state.
      const state = join(process.cwd(), `terraform.${stackName}.tfstate`);
      new LocalBackend(stack, { path: relative(join(target, 'stacks', stackName), state) });
    }
    app.synth();
    const written = filesUnder(staging);
    writeFileSync(join(staging, OUTPUT_MARKER), [MARKER_HEADER, ...written].join('\n') + '\n');
    const alsoWritten = install(staging, target, [...written, OUTPUT_MARKER], previous, aside, options.alsoWrite ?? []);
    return { outdir: target, file: join(target, 'stacks', stackName, 'cdk.tf.json'), stack, alsoWritten };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(aside, { recursive: true, force: true });
    release();
  }
}

/**
 * Throws unless `target` may be written: absent, an empty folder, or a folder holding the marker.
 * Returns the files the previous output listed (relative, `/`-separated).
 */
function checkWritable(target: string, inputs: readonly string[]): string[] {
  const cwd = realOrSelf(process.cwd());
  const real = realOrSelf(target);
  if (cwd === real || cwd.startsWith(real.endsWith(sep) ? real : real + sep)) {
    throw new Error(`output folder ${target} is the working folder or holds it; synth writes into its output folder and the state file beside the working folder, so give --out a folder of its own (the default is cdktf.out)`);
  }
  for (const input of inputs) {
    const file = realOrSelf(resolve(input));
    if (file.startsWith(real + sep)) throw new Error(`output folder ${target} holds the input file ${input}; give --out a folder that holds no profile, catalog, variable or lock file`);
  }
  if (!existsSync(target)) return [];
  if (!statSync(target).isDirectory()) throw new Error(`output folder ${target} is a file; give --out a folder to write into`);
  const entries = readdirSync(target);
  if (entries.length === 0) return [];
  if (!entries.includes(OUTPUT_MARKER)) {
    throw new Error(
      `output folder ${target} is not empty and was not written by cluster-profiles synth (it has no ${OUTPUT_MARKER}); ` +
        'synth writes only into folders it made, so give --out a new or empty folder' +
        (entries.includes('manifest.json') ? ` (an output of an earlier version or of cdktf itself: delete the folder, keeping any .terraform/ or state you need, then run again)` : ''),
    );
  }
  const listed = readFileSync(join(target, OUTPUT_MARKER), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const file of listed) {
    // A marker is only ever written by this tool; a hand-edited one must not reach outside the folder.
    if (file.split('/').some((part) => part === '..' || part === '' || part === '.') || file.startsWith('/')) {
      throw new Error(`output folder ${target}: ${OUTPUT_MARKER} lists "${file}", which is not a path inside the folder; delete the marker's line or the folder`);
    }
  }
  return listed;
}

function checkFileWritable(path: string): void {
  if (existsSync(path) && (statSync(path).mode & 0o222) === 0) {
    throw new Error(`${path} is read-only; synth would replace it together with the output. Make it writable (chmod u+w ${path}) or give another file`);
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Every file under `root`, relative with `/`, sorted. */
function filesUnder(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(root, rel));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * Moves the staged files into `target`, removes the previous output's files that are not written
 * again, then writes `alsoWrite`; on any failure undoes every step, newest first. Returns the extra
 * files written.
 */
function install(staging: string, target: string, files: readonly string[], previous: readonly string[], aside: string, alsoWrite: readonly FileWrite[]): string[] {
  const undo: (() => void)[] = [];
  const keepAside = (rel: string): void => {
    const from = join(target, ...rel.split('/'));
    if (!existsSync(from) && !isSymlink(from)) return;
    const to = join(aside, ...rel.split('/'));
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
    undo.push(() => renameSync(to, from));
  };
  try {
    mkdirSync(target, { recursive: true });
    const fresh = new Set(files);
    for (const rel of previous) if (!fresh.has(rel)) keepAside(rel);
    for (const rel of files) {
      keepAside(rel);
      const to = join(target, ...rel.split('/'));
      const made = makeParents(target, dirname(rel));
      renameSync(join(staging, ...rel.split('/')), to);
      undo.push(() => {
        rmSync(to, { force: true });
        for (const dir of made.reverse()) removeIfEmpty(dir);
      });
    }
    const written: string[] = [];
    for (const write of alsoWrite) {
      const temp = join(dirname(write.path), `.${basename(write.path)}.${process.pid}.tmp`);
      let created = false;
      try {
        // Exclusive: a file of that name that is not ours is never overwritten nor removed.
        const fd = openSync(temp, 'wx');
        created = true;
        try {
          writeFileSync(fd, write.content);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        if (created) rmSync(temp, { force: true });
        throw new Error(`${write.path} cannot be written (${(err as Error).message}); the output folder ${target} was left as it was`);
      }
      const before = existsSync(write.path) ? readFileSync(write.path) : undefined;
      renameSync(temp, write.path);
      undo.push(() => (before === undefined ? rmSync(write.path, { force: true }) : writeFileSync(write.path, before)));
      written.push(write.path);
    }
    // Folders the previous output had and that are now empty: ours to remove.
    for (const rel of previous) if (!fresh.has(rel)) removeEmptyParents(target, dirname(rel));
    return written;
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Best effort: every other step still runs.
      }
    }
    throw err;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Creates the folders of `relDir` under `root` that are missing; returns those it created, outermost first. */
function makeParents(root: string, relDir: string): string[] {
  const made: string[] = [];
  let dir = root;
  for (const part of relDir === '.' ? [] : relDir.split('/')) {
    dir = join(dir, part);
    if (!existsSync(dir)) {
      mkdirSync(dir);
      made.push(dir);
    }
  }
  return made;
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Not there or not empty: keep it.
  }
}

function removeEmptyParents(root: string, relDir: string): void {
  for (let rel = relDir; rel !== '.' && rel !== ''; rel = dirname(rel)) removeIfEmpty(join(root, ...rel.split('/')));
}

/**
 * Takes the lock of `target` (a file beside it holding this process's id), so that two runs never
 * write one folder at once; returns its release. A lock left by a process that is gone is taken over.
 */
function lockOutput(target: string): () => void {
  const lock = join(dirname(target), `.${basename(target)}.synth-lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`output folder ${target} is being written by another synth (process ${pid}, lock ${lock}); run again when it has finished`);
      }
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`output folder ${target}: could not take the lock ${lock}; run again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
