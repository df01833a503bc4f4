import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compare } from '../model/compare';
import { ProblemList, ProfileError, shown } from '../model/errors';
import { isMap, parseYaml, toYaml, yamlReason } from './yaml';
import { readBoundedFile } from './read-file';

/**
 * The lock file: the exact version each version train resolved to, kept next to the profiles and
 * committed with them. Later runs take a train's version from the lock without any network, so a
 * synthesized stack changes only when the profiles or the lock change; `--update` resolves every
 * train again and rewrites the lock.
 *
 * ```yaml
 * # cluster-profiles lock file: the exact version each version train resolved to.
 * # ...
 * lockfileVersion: 1
 * trains:
 *   - profile: edge-platform
 *     layer: cilium
 *     source: registry Cilium, chart cilium
 *     train: 1.14.x
 *     version: 1.14.5
 * ```
 *
 * Entries are sorted by profile then layer and each field has its own line, so a change of one
 * resolution is a one-line diff.
 */

/** The lock file's default name, in the folder of the first profile file. */
export const LOCK_FILE_NAME = 'cluster-profiles.lock.yaml';

/** The format version written in `lockfileVersion`. */
export const LOCKFILE_VERSION = 1;

/** Lock files larger than this are refused before they are parsed. */
export const MAX_LOCK_BYTES = 16 * 1024 * 1024;

/** One resolved train. */
export interface LockEntry {
  /** The profile holding the layer. */
  readonly profile: string;
  /** The layer's name. */
  readonly layer: string;
  /**
   * Where the versions came from: `registry <name>, chart <chart>`, `repository <url>, chart
   * <chart>` or `pack <name>` (with `, registry <name>` when the pack names one). An entry whose
   * source no longer matches the layer is resolved again.
   */
  readonly source: string;
  /** The train as the profile writes it (`1.14.x`). */
  readonly train: string;
  /** The exact version it resolved to. */
  readonly version: string;
}

/** The content of a lock file. */
export interface Lock {
  /** The entries, sorted by profile then layer. */
  readonly entries: readonly LockEntry[];
}

/** A lock with no entries. */
export const EMPTY_LOCK: Lock = { entries: [] };

const HEADER: readonly string[] = [
  '# cluster-profiles lock file: the exact version each version train resolved to.',
  '# Commit it with the profiles. Runs take these versions without any network;',
  '# run with --update to resolve every train again. Written by cluster-profiles.',
];

const FIELDS = ['profile', 'layer', 'source', 'train', 'version'] as const;

/** The default lock file of a run: `cluster-profiles.lock.yaml` beside the first profile file. */
export function defaultLockPath(profileFiles: readonly string[]): string {
  return join(profileFiles.length > 0 ? dirname(profileFiles[0]) : '.', LOCK_FILE_NAME);
}

/** The entry of one layer, if the lock has it. */
export function findLocked(lock: Lock, profile: string, layer: string): LockEntry | undefined {
  return lock.entries.find((e) => e.profile === profile && e.layer === layer);
}

/**
 * The lock after a run: entries of profiles the run did not read are kept (several clusters may
 * share one lock file), entries of the profiles it read are replaced by this run's resolutions.
 */
export function updateLock(previous: Lock, profilesInRun: Iterable<string>, resolved: readonly LockEntry[]): Lock {
  const inRun = new Set(profilesInRun);
  const kept = previous.entries.filter((e) => !inRun.has(e.profile));
  return { entries: sortEntries([...kept, ...resolved]) };
}

function sortEntries(entries: readonly LockEntry[]): LockEntry[] {
  const key = (e: LockEntry): string => `${e.profile}\u0000${e.layer}`;
  return [...entries].sort((a, b) => compare(key(a), key(b)));
}

/** The lock as file text: a comment header, then the sorted entries with fields in a fixed order. */
export function formatLock(lock: Lock): string {
  const entries = sortEntries(lock.entries).map((e) => Object.fromEntries(FIELDS.map((f) => [f, e[f]])));
  const body = toYaml({ lockfileVersion: LOCKFILE_VERSION, trains: entries });
  return `${HEADER.join('\n')}\n${body}`;
}

/** Parses lock file text. Every problem is reported at once, naming the file and entry. */
export function parseLock(text: string, file: string): Lock {
  let doc: unknown;
  try {
    doc = parseYaml(text, file);
  } catch (err) {
    throw new ProfileError({ file, message: `is not valid YAML: ${yamlReason(err)}` });
  }
  if (doc === null || doc === undefined) return EMPTY_LOCK;
  if (!isMap(doc)) throw new ProfileError({ file, message: `must be a map with lockfileVersion and trains, found ${shown(doc)}` });
  if (doc.lockfileVersion !== LOCKFILE_VERSION) {
    throw new ProfileError({ file, field: 'lockfileVersion', message: `${shown(doc.lockfileVersion)} is not a lock format this version reads (expected ${LOCKFILE_VERSION}); delete the file and run again to re-create it` });
  }
  const list = doc.trains ?? [];
  if (!Array.isArray(list)) throw new ProfileError({ file, field: 'trains', message: `must be a list of entries, found ${shown(list)}` });
  const problems = new ProblemList();
  const entries: LockEntry[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const field = `trains[${i}]`;
    if (!isMap(item)) {
      problems.add({ file, field }, `must be a map with ${FIELDS.join(', ')}, found ${shown(item)}`);
      return;
    }
    let ok = true;
    for (const f of FIELDS) {
      if (typeof item[f] !== 'string' || item[f] === '') {
        problems.add({ file, field: `${field}.${f}` }, `must be a non-empty string, found ${shown(item[f])}`);
        ok = false;
      }
    }
    if (!ok) return;
    const entry = Object.fromEntries(FIELDS.map((f) => [f, item[f] as string])) as unknown as LockEntry;
    const key = `${entry.profile}\u0000${entry.layer}`;
    if (seen.has(key)) {
      problems.add({ file, field }, `locks profile "${entry.profile}" layer "${entry.layer}" a second time; keep one entry per layer`);
      return;
    }
    seen.add(key);
    entries.push(entry);
  });
  problems.throwIfAny();
  return { entries: sortEntries(entries) };
}

/** Reads a lock file; a missing file is an empty lock. */
export function readLockFile(file: string): Lock {
  if (!existsSync(file)) return EMPTY_LOCK;
  const text = readBoundedFile(file, { noun: 'lock file', cannotRead: 'cannot be read', maxBytes: MAX_LOCK_BYTES }).toString('utf8');
  return parseLock(text, file);
}

/** The text `file` must hold for `lock`, or undefined when it already does (or when an empty lock would create the file). */
export function changedLockText(file: string, lock: Lock): string | undefined {
  const text = formatLock(lock);
  const exists = existsSync(file);
  if (!exists && lock.entries.length === 0) return undefined;
  if (exists && readFileSync(file, 'utf8') === text) return undefined;
  return text;
}

/**
 * Writes a lock file if its content changes (so an unchanged lock keeps its timestamp), atomically:
 * a temporary file beside it is renamed over it. Returns whether the file was written. A lock with
 * no entries creates no file.
 */
export function writeLockFile(file: string, lock: Lock): boolean {
  const text = changedLockText(file, lock);
  if (text === undefined) return false;
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new ProfileError({ file, message: `cannot be written: ${(err as Error).message}` });
  }
  return true;
}
