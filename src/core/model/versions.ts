import * as semver from 'semver';
import { compare } from './compare';

// major.minor.patch without leading zeros, then an optional pre-release and build: the one pattern of
// a semantic version, which both regular expressions below anchor.
const SEMANTIC_VERSION = String.raw`(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?`;

/** A semantic version as a profile's own version is written: `1.2.3`, `1.2.3-rc.1+build.5`, no `v`. */
export const SEMVER = new RegExp(`^${SEMANTIC_VERSION}$`);

/** An exact semantic version, `v` allowed in front: `1.2.3`, `v1.2.3-rc.1+build.5`. */
export const EXACT_SEMVER = new RegExp(`^v?${SEMANTIC_VERSION}$`);

/**
 * Version trains: what a layer's version may say, and how a train picks a release.
 *
 * A version is either exact (`1.27.5`, `v1.2.3`, `22.04`: used as written) or a train that follows
 * new releases: Palette's `1.x`, `1.1.x`, and what people write by habit from npm and Helm, `*`,
 * `~1.2`, `^1.2.3`, `>=1.2 <2`. Ranges are read by the `semver` package (npm's own implementation),
 * so a train means here exactly what it means in npm and, for the forms Helm shares, in Helm.
 *
 * Pre-releases (`2.0.0-rc.1`) are picked only when the train asks for them by naming a pre-release
 * itself (`^2.0.0-0`, `~1.3.0-rc`): then the newest matching version, pre-release or not, wins.
 * Otherwise only releases count.
 */

/** A layer version as written: exact, or a train to resolve. */
export type VersionRequest =
  | { readonly kind: 'exact'; readonly version: string }
  | { readonly kind: 'train'; readonly train: string; readonly range: string; readonly prerelease: boolean };

/** How a train must look, for error messages. */
export const TRAIN_FORM =
  'an exact version ("1.27.5") or a version train ("1.x", "1.27.x", "*", "~1.27", "^1.27.0", ">=1.27 <2")';

const TRAIN_MARKS = /(^|[.\s|<>=~^])[xX*](?=$|[.\s|])|^\s*[~^<>=]|\|\||\s-\s/;

/**
 * Whether a version text is a train rather than an exact version. Wildcards (`x`, `X`, `*`),
 * operators (`~ ^ < > =`), alternatives (`||`) and hyphen ranges (`1.2 - 1.4`) make a train; a bare
 * partial version such as `1.25` or `22.04` does not, since pack versions are often written so.
 */
export function isTrain(text: string): boolean {
  return TRAIN_MARKS.test(text.trim());
}

/**
 * Reads a layer's version. Returns undefined for a train that is not a valid range (the caller
 * reports it with `TRAIN_FORM`).
 */
export function parseVersionRequest(text: string): VersionRequest | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!isTrain(trimmed)) return { kind: 'exact', version: trimmed };
  const range = semver.validRange(trimmed);
  if (range === null) return undefined;
  return { kind: 'train', train: trimmed, range, prerelease: /-[0-9A-Za-z]/.test(rangeComparators(trimmed)) };
}

/** The comparator versions of a range, without the operators, so a pre-release tag can be seen. */
function rangeComparators(train: string): string {
  return train.replace(/\s-\s/g, ' ').replace(/(^|\s)[~^<>=]+/g, '$1');
}

/**
 * A candidate version's semver reading: strict semver with an optional leading `v`, or a two-part
 * numeric version (`22.04` as 22.4.0), as some packs are versioned. Undefined for anything else.
 */
function semverOf(version: string): semver.SemVer | undefined {
  const strict = semver.parse(version);
  if (strict !== null) return strict;
  if (/^v?\d+\.\d+$/.test(version)) return semver.coerce(version) ?? undefined;
  return undefined;
}

/**
 * The newest of `candidates` that the train accepts, as the candidate was written (`v1.2.3` stays
 * `v1.2.3`: the Helm provider compares it with the chart's own version text). Undefined when none
 * matches. Candidates that are not versions are ignored.
 */
export function pickNewest(request: Extract<VersionRequest, { kind: 'train' }>, candidates: readonly string[]): string | undefined {
  let best: { text: string; version: semver.SemVer } | undefined;
  for (const text of candidates) {
    const version = semverOf(text);
    if (version === undefined) continue;
    if (!semver.satisfies(version, request.range, { includePrerelease: request.prerelease })) continue;
    if (best === undefined || semver.compare(version, best.version) > 0 || (semver.compare(version, best.version) === 0 && text < best.text)) {
      best = { text, version };
    }
  }
  return best?.text;
}

/**
 * Candidates sorted newest first (versions that are not semver last, in text order), without
 * duplicates; for listing what was seen when a train matches nothing.
 */
export function sortVersionsNewestFirst(candidates: readonly string[]): string[] {
  const unique = [...new Set(candidates)];
  return unique.sort((a, b) => {
    const va = semverOf(a);
    const vb = semverOf(b);
    if (va !== undefined && vb !== undefined) return semver.rcompare(va, vb) || compare(a, b);
    if (va !== undefined) return -1;
    if (vb !== undefined) return 1;
    return compare(a, b);
  });
}

/** Lists versions for a message, newest first, at most `limit` of them. */
export function listVersions(candidates: readonly string[], limit = 15): string {
  const sorted = sortVersionsNewestFirst(candidates);
  if (sorted.length === 0) return 'none';
  const shownList = sorted.slice(0, limit).join(', ');
  return sorted.length > limit ? `${shownList} and ${sorted.length - limit} more` : shownList;
}
