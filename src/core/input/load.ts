import { Problem, ProfileError, collectProblems } from '../model/errors';
import { checkValidJsonStructure } from './json-check';
import { ProfileSpec } from '../model/spec';
import { parsePaletteExport, readPaletteExport } from './palette-export';
import { isAuthoringDocument, readAuthoringProfile } from './authoring';
import { CATALOG_KIND } from './catalog';
import { readBoundedFile } from './read-file';
import { parseValuesDoc } from './values-yaml';
import { isMap, parseYaml, yamlReason } from './yaml';

/** Files larger than this are refused before parsing: no profile comes near it. */
export const MAX_PROFILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads one profile file. The format is recognised by content: a JSON object is a Palette
 * cluster-profile export; YAML (or JSON) with `apiVersion: cluster-profiles/v1` and
 * `kind: ClusterProfile` is the authoring format.
 */
export function loadProfileFile(file: string): ProfileSpec {
  const bytes = readBoundedFile(file, { noun: 'profile file', cannotRead: 'cannot be read', maxBytes: MAX_PROFILE_BYTES });
  const text = decodeUtf8(bytes);
  if (text === undefined || text.includes('\u0000')) {
    throw new ProfileError({ file, message: 'is not UTF-8 text (binary data found); expected a Palette cluster-profile export (JSON)' });
  }
  const expected = 'expected a Palette cluster-profile export (a JSON object) or a YAML profile with apiVersion "cluster-profiles/v1" and kind "ClusterProfile"';
  if (/^\s*\{/.test(text)) {
    // Parsed once; text that is not JSON goes to the export reader, whose message names the error.
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return parsePaletteExport(text, file);
    }
    checkValidJsonStructure(text, file);
    if (isAuthoringDocument(json)) return readAuthoringProfile(json, file);
    return readPaletteExport(json, file);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, file);
  } catch (err) {
    throw new ProfileError({ file, message: `is not a recognised profile file (not valid YAML: ${yamlReason(err)}); ${expected}` });
  }
  if (isAuthoringDocument(doc)) return readAuthoringProfile(doc, file, parseValuesDoc(text, file));
  if (isMap(doc) && doc.kind === CATALOG_KIND) {
    throw new ProfileError({ file, message: 'is a pack catalog, not a profile: pass it with --catalog FILE' });
  }
  throw new ProfileError({ file, message: `is not a recognised profile file: ${expected}` });
}

/** Reads several profile files, reporting the problems of all of them at once. */
export function loadProfileFiles(files: readonly string[]): ProfileSpec[] {
  const out: ProfileSpec[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const profile = collectProblems(problems, () => loadProfileFile(file));
    if (profile !== undefined) out.push(profile);
  }
  if (problems.length > 0) throw new ProfileError(problems);
  return out;
}

/**
 * The file's text, or undefined when it is not UTF-8. A strict decoder tells invalid bytes from a
 * file that merely contains U+FFFD, and drops a leading byte order mark, which JSON.parse refuses.
 */
function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
