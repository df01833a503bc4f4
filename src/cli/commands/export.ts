import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadProfileFiles } from '../../core/input/load';
import { formatPaletteExport } from '../../core/input/palette-writer';
import { UsageError, parseCommand, requireFiles } from '../options';
import { PROFILE_OPTIONS, readResolveOptions } from '../profile-input';

/** Usage of `export`. */
export const EXPORT_USAGE = 'cluster-profiles export [--out FILE|DIR] FILE...';

/**
 * `export`: writes each profile (a Palette export or an authoring-format file) as a Palette
 * cluster-profile export. Without `--out` the single profile is printed; with several profiles, or
 * when `--out` is an existing folder or ends in `/`, each goes to `DIR/<profile name>.json`. Files
 * are written whole or not at all. `--catalog` and `--registry` are accepted like everywhere, and
 * checked, but an export needs neither: it converts the files, it does not resolve them.
 */
export function exportCommand(args: string[], print: (line: string) => void): number {
  const { values, positionals } = parseCommand(args, { ...PROFILE_OPTIONS, out: { type: 'string' } });
  requireFiles(positionals, 'export');
  readResolveOptions(values);
  const profiles = loadProfileFiles(positionals);
  const out = values.out;
  if (out === undefined) {
    if (profiles.length > 1) throw new UsageError(`export of ${profiles.length} profiles needs --out DIR (one file per profile)`);
    print(formatPaletteExport(profiles[0]).trimEnd());
    return 0;
  }
  const toFolder = profiles.length > 1 || out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
  const targets = profiles.map((p) => ({ profile: p, file: toFolder ? join(out, `${p.name}.json`) : out }));
  const seen = new Map<string, string>();
  for (const { profile, file } of targets) {
    if (toFolder && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(profile.name)) {
      throw new UsageError(`profile "${profile.name}" cannot name a file (letters, digits, '.', '_' and '-' only); export it alone with --out FILE`);
    }
    const other = seen.get(file);
    if (other !== undefined) throw new UsageError(`profiles "${other}" and "${profile.name}" would both be written to ${file}`);
    seen.set(file, profile.name);
  }
  if (toFolder) mkdirSync(out, { recursive: true });
  for (const { profile, file } of targets) {
    writeAtomically(file, formatPaletteExport(profile));
    print(`Wrote ${relative(process.cwd(), file) || file} (profile ${profile.name} ${profile.version ?? '1.0.0'})`);
  }
  return 0;
}

/** Writes into a temporary file beside `file`, then renames it over `file`. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
