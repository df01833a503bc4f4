import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { LOCK_FILE_NAME, defaultLockPath } from '../core/input/lock';
import { UsageError } from './options';

/**
 * Profile files as they were at a git revision (`--base origin/main`), read with `git show REV:./path`
 * from each file's own folder, so CI compares a branch with its base without a second checkout.
 * The files are written to a scratch folder under the same names; the lock file beside the first one
 * comes along, so version trains resolve as they did at that revision.
 */
export interface FilesAtRevision {
  /** The scratch copies, in the order given; files that did not exist at the revision are left out. */
  readonly files: readonly string[];
  /** Files that did not exist at the revision (new in the change). */
  readonly missing: readonly string[];
  /** Removes the scratch folder. */
  dispose(): void;
}

/** Reads `files` at git revision `ref`; throws a UsageError when git cannot read the revision. */
export function filesAtRevision(ref: string, files: readonly string[]): FilesAtRevision {
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`--base "${ref}" must be a git revision, such as origin/main`);
  const dir = mkdtempSync(join(tmpdir(), 'cluster-profiles-base-'));
  try {
    verifyRevision(ref, files.length > 0 ? dirname(resolve(files[0])) : process.cwd());
    const out: string[] = [];
    const missing: string[] = [];
    files.forEach((file, i) => {
      const text = show(ref, file);
      if (text === undefined) {
        missing.push(file);
        return;
      }
      // One folder per input keeps two files of the same name apart; the first holds the lock file.
      const copy = join(dir, String(i), basename(file));
      mkdirSync(dirname(copy), { recursive: true });
      writeFileSync(copy, text);
      out.push(copy);
    });
    if (out.length > 0) {
      const lock = show(ref, defaultLockPath([files[0]]));
      if (lock !== undefined) writeFileSync(join(dirname(out[0]), LOCK_FILE_NAME), lock);
    }
    return { files: out, missing, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function verifyRevision(ref: string, cwd: string): void {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    throw new UsageError(`--base "${ref}" is not a commit git knows in ${cwd}${stderr !== '' ? ` (${stderr})` : ''}; give a branch, tag or commit, such as origin/main`);
  }
}

/** The file's content at the revision; undefined when the file did not exist there. */
function show(ref: string, file: string): string | undefined {
  try {
    return execFileSync('git', ['show', `${ref}:./${basename(file)}`], { cwd: dirname(resolve(file)), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  } catch {
    return undefined;
  }
}
