import { closeSync, constants, fstatSync, openSync, readSync, Stats } from 'node:fs';
import { ProfileError } from '../model/errors';

/** What {@link readBoundedFile} reads, as its messages name it. */
export interface FileKind {
  /** `profile file`, `catalog file`: the noun of "is a directory, not a ..." and "... may be at most". */
  readonly noun: string;
  /** How a failed read is said: `cannot be read`, `cannot be read as a pack catalog`. */
  readonly cannotRead: string;
  /** Files larger than this are refused before they are parsed. */
  readonly maxBytes: number;
}

/** What a path is when it is not a regular file, for "is a FIFO, not a profile file". */
function specialKind(stats: Stats): string | undefined {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return stats.isFile() ? undefined : 'not a regular file';
}

/**
 * The bytes of an input file, or a ProfileError naming it: missing, not a regular file (a folder,
 * `/dev/zero`, a FIFO), unreadable, or larger than `kind.maxBytes`. The file is opened without
 * blocking (a FIFO with no writer would wait forever), checked by its type and size before any byte
 * is read, and read with the cap in force, so a file that grows while it is read is still refused.
 */
export function readBoundedFile(file: string, kind: FileKind): Buffer {
  const tooBig = (size: number | string): ProfileError => new ProfileError({ file, message: `is ${size} bytes; ${kind.noun}s may be at most ${kind.maxBytes} bytes` });
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? `is a directory, not a ${kind.noun}` : (err as Error).message;
    throw new ProfileError({ file, message: `${kind.cannotRead}: ${why}` });
  }
  try {
    const stats = fstatSync(fd);
    const special = specialKind(stats);
    if (special !== undefined) throw new ProfileError({ file, message: `${kind.cannotRead}: is ${special}, not a ${kind.noun}` });
    if (stats.size > kind.maxBytes) throw tooBig(stats.size);
    const chunks: Buffer[] = [];
    const chunk = Buffer.alloc(64 * 1024);
    let total = 0;
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      total += read;
      // The file may have grown since fstat: the cap holds for what is read, too.
      if (total > kind.maxBytes) throw tooBig(`more than ${kind.maxBytes}`);
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (ProfileError.isProfileError(err)) throw err;
    throw new ProfileError({ file, message: `${kind.cannotRead}: ${(err as Error).message}` });
  } finally {
    closeSync(fd);
  }
}
