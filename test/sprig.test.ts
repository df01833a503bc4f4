// Sprig pipelines evaluated by the project, compared with the real thing: Go's text/template with
// Sprig's functions (test/engines/go/sprig-eval, built against Debian's sprig), which is how Palette
// renders macros. Expected values come from that engine, never from the code under test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SprigFailure, evaluatePipeline, parsePipeline } from '../src/core/resolve/sprig';
import { SprigRendering, renderWithSprig } from './engines/engines';

/** One evaluation: an action body over `.v` (undefined: `.v` is missing). */
interface Case {
  readonly body: string;
  readonly v?: string;
}

type Ours = { readonly value: string } | SprigFailure;

function ours(c: Case): Ours {
  const pipeline = parsePipeline(c.body);
  if ('failure' in pipeline) return pipeline;
  return evaluatePipeline(pipeline, (field) => (field === '.v' && c.v !== undefined ? c.v : null));
}

function goCase(c: Case): { template: string; data: Record<string, unknown> } {
  return { template: `{{ ${c.body} }}`, data: c.v === undefined ? {} : { v: c.v } };
}

/** The isolated call a refusal names, as a template: integer literals in place, strings as data. */
function isolatedCall(call: NonNullable<SprigFailure['call']>): { template: string; data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  const args = call.args.map((a, i) => {
    if (typeof a === 'string') {
      data[`a${i}`] = a;
      return `.a${i}`;
    }
    return String(a);
  });
  return { template: `{{ ${call.function} ${args.join(' ')} }}`, data };
}

/**
 * Checks each case against Sprig: the same text where Sprig prints text; a refusal where Go fails or
 * prints "<no value>"; and where this project refuses a call that Go performs (a byte-wise cut
 * through a character, b64dec of bad input), Go's result for that call alone must be what the
 * refusal says: not UTF-8, Go's own error text, or a panic.
 */
function assertAgreesWithSprig(cases: readonly Case[]): void {
  const go = renderWithSprig(cases.map(goCase));
  const results = cases.map(ours);
  const refusedCalls = results.flatMap((r) => ('failure' in r && r.call !== undefined ? [r.call] : []));
  const isolated = renderWithSprig(refusedCalls.map(isolatedCall));
  let next = 0;
  cases.forEach((c, i) => {
    const mine = results[i];
    const theirs: SprigRendering = go[i];
    const label = `{{ ${c.body} }} with .v = ${JSON.stringify(c.v)}: ours ${JSON.stringify(mine)}, Sprig's ${JSON.stringify(theirs)}`;
    if ('value' in mine) {
      assert.deepEqual(theirs, { out: mine.value, utf8: true }, label);
      return;
    }
    if (mine.call === undefined) {
      assert.ok('error' in theirs || theirs.out === '<no value>', label);
      return;
    }
    const alone = isolated[next++];
    const expected = 'error' in alone || !alone.utf8 || (mine.call.function === 'b64dec' && alone.out.startsWith('illegal base64 data at input byte '));
    assert.ok(expected, `${label}; the refused call alone gives ${JSON.stringify(alone)}`);
  });
}

describe('sprig: pipelines as Palette writes them, against Go text/template + Sprig', () => {
  it('evaluates the functions of real pack values exactly as Sprig does', () => {
    // GIVEN the pipelines real packs and profiles write, over the values they meet
    const cases: Case[] = [
      { body: '.v | substr 0 4', v: '1.27.3' },
      { body: '.v | substr 0 4', v: '1.9' },
      { body: '.v | substr -1 2', v: 'abc' },
      { body: '.v | trunc 63', v: 'a'.repeat(70) },
      { body: '.v | trunc -2', v: '1.27.3' },
      { body: '.v | trunc -10', v: 'abc' },
      { body: '.v | trimPrefix "v"', v: 'v1.28.2' },
      { body: '.v | trimSuffix ".0"', v: '1.28.0' },
      { body: '.v | replace "." "-"', v: '1.27.3' },
      { body: '.v | replace "" "-"', v: '日a' },
      { body: '.v | default "eu-west-1"', v: '' },
      { body: '.v | default "eu-west-1"' },
      { body: '.v | default 5' },
      { body: '.v | default false' },
      { body: '.v | quote' },
      { body: '.v | toString' },
      { body: '.v | default "x" | upper', v: 'prod' },
      { body: '.v | title', v: 'hello wORLD ǆx o\'neil snake_case' },
      { body: '.v | upper', v: 'straße ﬁ ǰ ᾀ' },
      { body: '.v | lower', v: 'ΑΣ İSTANBUL' },
      { body: '.v | trim', v: '\u0085 x \ufeff' },
      { body: '.v | quote', v: 'a"b\\\n\u00a0é\u007f\u0007\u200b🎉' },
      { body: '.v | squote', v: "it's" },
      { body: '.v | b64enc', v: 'é' },
      { body: '.v | b64dec', v: 'aGk=\n' },
      { body: 'upper .v', v: 'direct' },
      { body: 'default "x" .v', v: '' },
      { body: 'quote .v .v', v: 'twice' },
      { body: '.v | substr 0 4 | quote', v: 'v1.27.3' },
    ];
    // WHEN both evaluate them
    // THEN the texts are the same, byte for byte
    assertAgreesWithSprig(cases);
    assert.deepEqual(
      cases.slice(0, 8).map((c) => ours(c)),
      [{ value: '1.27' }, { value: '1.9' }, { value: 'ab' }, { value: 'a'.repeat(63) }, { value: '.3' }, { value: 'abc' }, { value: '1.28.2' }, { value: '1.28' }],
    );
  });

  it('refuses where Sprig panics, fails a type check or writes text that is not UTF-8', () => {
    // GIVEN pipelines that Sprig cannot evaluate into text
    const cases: Case[] = [
      { body: '.v | substr 2 1', v: 'abcdef' },
      { body: '.v | substr 5 -1', v: 'abc' },
      { body: '.v | substr -1 -1', v: 'abc' },
      { body: '.v | substr 0 1', v: 'é' },
      { body: '.v | trunc -1', v: 'é' },
      { body: '.v | b64dec', v: 'aGk' },
      { body: '.v | b64dec', v: '/w==' },
      { body: '.v | default 5 | upper' },
      { body: '.v | upper "a"', v: 'x' },
      { body: '.v | substr "0" 4', v: 'x' },
      { body: '.v | trimPrefix 1', v: 'x' },
      { body: '.v | upper' },
    ];
    // WHEN evaluated
    // THEN each is refused with the reason, and Sprig fails or mangles the same call
    assertAgreesWithSprig(cases);
    assert.deepEqual(
      cases.map((c) => {
        const r = ours(c);
        return 'failure' in r ? r.failure : r.value;
      }),
      [
        'substr: 2 1 is out of range for "abcdef" (6 bytes): Sprig slices s[2:1], which panics',
        'substr: 5 -1 is out of range for "abc" (3 bytes): Sprig slices s[5:], which panics',
        'substr: -1 -1 is out of range for "abc" (3 bytes): Sprig slices s[0:-1], which panics',
        'substr: 0 1 cuts through a multi-byte character of "é" (Sprig counts bytes, not characters), which would leave text that is not UTF-8',
        'trunc: -1 cuts through a multi-byte character of "é" (Sprig counts bytes, not characters), which would leave text that is not UTF-8',
        'b64dec: "aGk" is not base64 (Sprig would write the text of its error, such as "illegal base64 data at input byte 0", in its place)',
        'b64dec: "/w==" decodes to bytes that are not UTF-8 text',
        'upper needs a string as its last argument (the piped value), found int 5',
        'upper takes 1 argument (the piped value last), found 2; write upper',
        'substr needs an integer as argument 1, found string "0"; write substr START END',
        'trimPrefix needs a string as argument 1, found int 1',
        'upper needs a string as its last argument (the piped value), found no value; give a default first (| default "VALUE" | upper)',
      ],
    );
  });

  it('names what is not supported when reading a pipeline', () => {
    // GIVEN actions with constructs outside the supported pipelines
    const bodies = ['.v | nospace', 'if .v', '.v | upper | (lower)', '$x := .v', '.v | substr 0 0x4', '.v | default none', '.v |', '.v | default "\\xff"', '.v "a"'];
    // WHEN parsed
    // THEN each names the construct
    assert.deepEqual(
      bodies.map((b) => (parsePipeline(b) as SprigFailure).failure),
      [
        'calls "nospace", which is not a supported function; supported: upper, lower, title, trim, trimPrefix "PREFIX", trimSuffix "SUFFIX", replace "OLD" "NEW", substr START END, trunc COUNT, default "VALUE", quote, squote, b64enc, b64dec, toString',
        'uses the template keyword "if", which is not supported around a .spectro name',
        'uses parentheses, which are not supported in a .spectro expression; write {{ .spectro.<name> | function "argument" ... }}',
        'uses template variables ($x), which are not supported in a .spectro expression; write {{ .spectro.<name> | function "argument" ... }}',
        'has the number 0x4; only decimal integers such as 4 or -2 are supported',
        'gives "none" as an argument of default; write a quoted string ("none") or a .field',
        'has an empty command (a "|" with nothing on one side)',
        'has the escape \\xff in a string, which is not a valid Go escape for text (byte escapes must stay below \\x80)',
        'gives arguments to .v, which is not a function',
      ],
    );
  });
});

const VALUES = ['', 'v1.27.3', '1.27', '  padded\t', 'é', '日本語', '🎉x', 'ǆemo', 'İstanbul', 'ΑΣ', 'ß', 'a"b\\c', '\u0085x\u0085', '\ufeffx', 'YQ==', 'YQ=\n=', 'aGVsbG8=', '/w==', 'not base64', 'x\r\ny', 'ﬁ', 'hello_world-foo.bar', '0', 'false', "it's"];
const AFFIXES = ['', 'v', 'x', 'é', '1.', '.', '"', '$&'];

const literal = (s: string): string => JSON.stringify(s);
const call: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('upper', 'lower', 'title', 'trim', 'b64enc', 'b64dec', 'quote', 'squote', 'toString'),
  fc.tuple(fc.constantFrom('trimPrefix', 'trimSuffix'), fc.constantFrom(...AFFIXES)).map(([f, a]) => `${f} ${literal(a)}`),
  fc.tuple(fc.constantFrom(...AFFIXES), fc.constantFrom(...AFFIXES)).map(([a, b]) => `replace ${literal(a)} ${literal(b)}`),
  fc.tuple(fc.integer({ min: -3, max: 12 }), fc.integer({ min: -3, max: 12 })).map(([a, b]) => `substr ${a} ${b}`),
  fc.integer({ min: -12, max: 12 }).map((n) => `trunc ${n}`),
  fc.oneof(fc.constantFrom(...VALUES).map(literal), fc.integer({ min: -1, max: 2 }).map(String), fc.constantFrom('true', 'false')).map((d) => `default ${d}`),
);
const generatedCase: fc.Arbitrary<Case> = fc.record({
  direct: fc.boolean(),
  calls: fc.array(call, { minLength: 1, maxLength: 4 }),
  v: fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 5 }),
}).map(({ direct, calls, v }) => ({ body: direct ? [`${calls[0]} .v`, ...calls.slice(1)].join(' | ') : ['.v', ...calls].join(' | '), v }));

describe('sprig: property, generated pipelines against Go text/template + Sprig', () => {
  it('agrees with Sprig on 4,000 generated pipelines over unicode, empty and missing values', (t) => {
    // GIVEN generated pipelines of 1-4 calls (out-of-range substr and trunc, empty affixes, default on
    // empty and missing values, literals of every type), piped or in the direct form
    const seed = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : 42;
    t.diagnostic(`fast-check seed ${seed}`);
    const cases = fc.sample(generatedCase, { seed, numRuns: 4000 });
    // WHEN evaluated here and by Sprig
    // THEN the outputs are the same wherever Sprig prints text, and refusals are Sprig's failures
    assertAgreesWithSprig(cases);
    const evaluated = cases.filter((c) => 'value' in ours(c)).length;
    t.diagnostic(`${evaluated} of ${cases.length} evaluated to text`);
    assert.ok(evaluated > 1500, `only ${evaluated} cases evaluated to text`);
  });
});

