// Every assigned code point beyond ASCII through upper, lower, title, trim and quote, here and in Go with
// Sprig (test/engines/go/sprig-eval). Go 1.19's tables follow Unicode 13 and Node's follow a later
// version, so a difference is allowed only where Go's tables do not know one of the characters
// involved (a character or case pair added since); everything else must be equal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pipeline, evaluatePipeline, parsePipeline } from '../src/core/resolve/sprig';
import { renderWithSprig } from './engines/engines';

/**
 * Every code point beyond ASCII that any Unicode version assigns so far: planes 0 to 3 and the
 * tags and variation selectors of plane 14 (planes 4 to 13 are empty; 15 and 16 are private use).
 */
const CHARACTERS: string[] = [];
for (let c = 0x80; c <= 0x3ffff; c++) if (c < 0xd800 || c > 0xdfff) CHARACTERS.push(String.fromCodePoint(c));
for (let c = 0xe0000; c <= 0xe0fff; c++) CHARACTERS.push(String.fromCodePoint(c));
const ALL = CHARACTERS.join('');

/** Go's output for one template over `.v`. */
function go(template: string, v: string): string {
  const [result] = renderWithSprig([{ template, data: { v } }]);
  if (!('out' in result)) throw new Error(`sprig-eval: ${JSON.stringify(result)}`);
  return result.out;
}

/** The characters Go's Unicode tables assign to a category (Sprig's regexReplaceAll, Go's regexp, removes them). */
const UNKNOWN_TO_GO: ReadonlySet<string> = new Set(go('{{ regexReplaceAll "[\\\\pL\\\\pM\\\\pN\\\\pP\\\\pS\\\\pZ\\\\pC]" .v "" }}', ALL));

const parsed = new Map<string, Pipeline>();

function ours(body: string, v: string): string {
  const pipeline = parsed.get(body) ?? parsePipeline(body);
  if ('failure' in pipeline) throw new Error(pipeline.failure);
  parsed.set(body, pipeline);
  const result = evaluatePipeline(pipeline, () => v);
  if ('failure' in result) throw new Error(result.failure);
  return result.value;
}

/**
 * Compares two outputs made of one piece per character (`pieces` splits an output into them); a
 * difference is allowed only where Go's tables do not know a character involved. Returns how many
 * differences Unicode versions explain.
 */
function compareEach(what: string, mine: string, theirs: string, pieces: (out: string) => string[]): number {
  const a = pieces(mine);
  const b = pieces(theirs);
  assert.equal(a.length, b.length, `${what}: piece counts`);
  let explained = 0;
  a.forEach((piece, i) => {
    if (piece === b[i]) return;
    const involved = [...piece, ...b[i]];
    assert.ok(involved.some((x) => UNKNOWN_TO_GO.has(x)), `${what} piece ${i}: ours ${JSON.stringify(piece)}, Go ${JSON.stringify(b[i])}`);
    explained++;
  });
  return explained;
}

const codePoints = (out: string): string[] => [...out];

describe('sprig: every code point, against Go', () => {
  it('maps case as Go does (simple mappings: ß stays, İ lowers to i, ᾀ uppers to ᾈ)', (t) => {
    // GIVEN every code point beyond ASCII
    // WHEN upper and lower map them here and in Go (one code point to one)
    // THEN they agree except for characters Go's Unicode 13 tables do not know
    const upper = compareEach('upper', ours('.v | upper', ALL), go('{{ .v | upper }}', ALL), codePoints);
    const lower = compareEach('lower', ours('.v | lower', ALL), go('{{ .v | lower }}', ALL), codePoints);
    t.diagnostic(`differences from newer Unicode: upper ${upper}, lower ${lower}`);
    assert.equal(ours('.v | upper', 'ßᾀ'), 'ßᾈ');
    assert.equal(ours('.v | lower', 'İΣ'), 'iσ');
  });

  it('title-cases as Go strings.Title does (ǆ -> ǅ, Georgian kept) and splits words where Go does', (t) => {
    // GIVEN every code point beyond ASCII, once after a space and once before an "a"
    const titled = CHARACTERS.map((c) => ` ${c}`).join('');
    const separated = CHARACTERS.map((c) => `a${c}`).join('') + 'a';
    // WHEN title maps them: a character after a space is title-cased; the "a" after a character only
    // when that character separates words
    // THEN both agree except for characters Go's Unicode 13 tables do not know
    const mapping = compareEach('title', ours('.v | title', titled), go('{{ .v | title }}', titled), codePoints);
    const separators = compareEach('title separators', ours('.v | title', separated), go('{{ .v | title }}', separated), codePoints);
    t.diagnostic(`differences from newer Unicode: mapping ${mapping}, separators ${separators}`);
  });

  it('trims the spaces Go trims (U+0085 is one, U+FEFF is not)', (t) => {
    // GIVEN every code point beyond ASCII, between two x
    const padded = CHARACTERS.map((c) => `${c}x${c}`);
    // WHEN each is trimmed here and in Go
    const [result] = renderWithSprig([{ template: '{{ range .l }}{{ trim . }}\n{{ end }}', data: { l: padded } }]);
    const theirs = 'out' in result ? result.out : '';
    // THEN both trim the same characters
    const explained = compareEach('trim', padded.map((p) => `${ours('.v | trim', p)}\n`).join(''), theirs, (out) => out.split('\n'));
    t.diagnostic(`differences from newer Unicode: ${explained}`);
  });

  it('quotes as Go %q does (escapes what strconv.IsPrint refuses)', (t) => {
    // GIVEN every code point beyond ASCII, each in its own string
    const [result] = renderWithSprig([{ template: '{{ range .l }}{{ quote . }}\n{{ end }}', data: { l: CHARACTERS } }]);
    const theirs = 'out' in result ? result.out : '';
    // WHEN quoted here and in Go
    // THEN both agree except for characters Go's Unicode 13 tables do not know
    const mine = CHARACTERS.map((c) => `${ours('.v | quote', c)}\n`).join('');
    const explained = compareEach('quote', mine, theirs, (out) => out.split('\n'));
    t.diagnostic(`differences from newer Unicode: ${explained}`);
    assert.equal(ours('.v | quote', '\u00a0\u0085é'), '"\\u00a0\\u0085é"');
  });
});
