import { readFileSync } from 'node:fs';
import { ProfileError } from './errors';
import { ProfileSpec } from './model';
import { parsePaletteExport } from './palette-export';

/** Files larger than this are refused before parsing: no profile comes near it. */
export const MAX_PROFILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads one profile file. The format is recognised by content: a JSON object is a Palette
 * cluster-profile export.
 */
export function loadProfileFile(file: string): ProfileSpec {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a profile file' : (err as Error).message;
    throw new ProfileError({ file, message: `cannot be read: ${why}` });
  }
  if (bytes.length > MAX_PROFILE_BYTES) {
    throw new ProfileError({ file, message: `is ${bytes.length} bytes; profile files may be at most ${MAX_PROFILE_BYTES} bytes` });
  }
  const text = bytes.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    throw new ProfileError({ file, message: 'is not UTF-8 text (binary data found); expected a Palette cluster-profile export (JSON)' });
  }
  if (/^\s*\{/.test(text)) return parsePaletteExport(text, file);
  throw new ProfileError({ file, message: 'is not a recognised profile file: expected a Palette cluster-profile export (a JSON object)' });
}

/** Reads several profile files, reporting the problems of all of them at once. */
export function loadProfileFiles(files: readonly string[]): ProfileSpec[] {
  const out: ProfileSpec[] = [];
  const problems: ProfileError[] = [];
  for (const file of files) {
    try {
      out.push(loadProfileFile(file));
    } catch (err) {
      if (!ProfileError.isProfileError(err)) throw err;
      problems.push(err);
    }
  }
  if (problems.length > 0) throw new ProfileError(problems.flatMap((p) => p.problems));
  return out;
}
