import { readFileSync } from 'node:fs';
import { ProfileError } from './errors';

/** What {@link readBoundedFile} reads, as its messages name it. */
export interface FileKind {
  /** `profile file`, `catalog file`: the noun of "is a directory, not a ..." and "... may be at most". */
  readonly noun: string;
  /** How a failed read is said: `cannot be read`, `cannot be read as a pack catalog`. */
  readonly cannotRead: string;
  /** Files larger than this are refused before they are parsed. */
  readonly maxBytes: number;
}

/**
 * The bytes of an input file, or a ProfileError naming it: missing, a folder, unreadable, or larger
 * than `kind.maxBytes`.
 */
export function readBoundedFile(file: string, kind: FileKind): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? `is a directory, not a ${kind.noun}` : (err as Error).message;
    throw new ProfileError({ file, message: `${kind.cannotRead}: ${why}` });
  }
  if (bytes.length > kind.maxBytes) {
    throw new ProfileError({ file, message: `is ${bytes.length} bytes; ${kind.noun}s may be at most ${kind.maxBytes} bytes` });
  }
  return bytes;
}
