import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXACT_SEMVER, SEMVER, VersionRequest, isTrain, listVersions, parseVersionRequest, pickNewest, sortVersionsNewestFirst } from '../src/core/model/versions';

type Train = Extract<VersionRequest, { kind: 'train' }>;

/** A train request, failing the test when the text is not one. */
function train(text: string): Train {
  const request = parseVersionRequest(text);
  assert.equal(request?.kind, 'train', `${text} should be a train`);
  return request as Train;
}

const RELEASES = ['1.2.0', '1.9.0', '1.10.1', '1.11.0-rc.1', '2.0.0', '2.1.0-beta.1'];

describe('versions: what is a train', () => {
  it('reads exact versions as written, including a leading v and two-part pack versions', () => {
    // GIVEN exact versions of charts and packs
    // WHEN read
    // THEN each is exact and kept byte for byte
    for (const text of ['1.27.5', 'v1.2.3', '1.2.3-rc.1', '22.04', '1.25']) {
      assert.deepEqual(parseVersionRequest(text), { kind: 'exact', version: text });
    }
  });

  it("reads Palette's trains and the ranges people write by habit as trains", () => {
    // GIVEN trains
    // WHEN read
    // THEN each becomes a semver range
    assert.deepEqual(
      ['1.x', '1.1.x', '*', '~1.2', '^1.2.3', '>=1.2 <2', '1.2 - 1.4'].map((t) => [t, train(t).range]),
      [
        ['1.x', '>=1.0.0 <2.0.0-0'],
        ['1.1.x', '>=1.1.0 <1.2.0-0'],
        ['*', '*'],
        ['~1.2', '>=1.2.0 <1.3.0-0'],
        ['^1.2.3', '>=1.2.3 <2.0.0-0'],
        ['>=1.2 <2', '>=1.2.0 <2.0.0-0'],
        ['1.2 - 1.4', '>=1.2.0 <1.5.0-0'],
      ],
    );
  });

  it('marks a train that names a pre-release as asking for pre-releases', () => {
    // GIVEN trains with and without a pre-release tag
    // WHEN read
    // THEN only the ones naming a pre-release ask for them
    assert.deepEqual(['^2.0.0-0', '~1.11.0-rc', '1.x', '^1.2.3'].map((t) => [t, train(t).prerelease]), [
      ['^2.0.0-0', true],
      ['~1.11.0-rc', true],
      ['1.x', false],
      ['^1.2.3', false],
    ]);
  });

  it('refuses a train that is not a valid range', () => {
    // GIVEN a wildcard in a four-part version
    // WHEN read
    // THEN there is no request (the caller reports it)
    assert.equal(isTrain('1.2.x.y'), true);
    assert.equal(parseVersionRequest('1.2.x.y'), undefined);
  });
});

describe('versions: picking the newest matching release', () => {
  it('picks the newest release of a major train, comparing numerically (1.10 after 1.9)', () => {
    assert.equal(pickNewest(train('1.x'), RELEASES), '1.10.1');
  });

  it('picks within a minor train', () => {
    assert.equal(pickNewest(train('1.9.x'), RELEASES), '1.9.0');
  });

  it('skips pre-releases unless the train asks for them', () => {
    // GIVEN 1.11.0-rc.1 and 2.1.0-beta.1 among the candidates
    // WHEN a plain train and one naming a pre-release are resolved
    // THEN only the second may pick a pre-release
    assert.equal(pickNewest(train('~1.11'), RELEASES), undefined);
    assert.equal(pickNewest(train('~1.11.0-0'), RELEASES), '1.11.0-rc.1');
    assert.equal(pickNewest(train('^2.0.0-0'), RELEASES), '2.1.0-beta.1');
    assert.equal(pickNewest(train('*'), RELEASES), '2.0.0');
  });

  it('returns the candidate as written, with its leading v', () => {
    assert.equal(pickNewest(train('0.x'), ['v0.3.0', '0.2.0', 'not-a-version']), 'v0.3.0');
  });

  it('reads two-part candidates as x.y.0', () => {
    assert.equal(pickNewest(train('22.x'), ['20.04', '22.04', '22.10']), '22.10');
  });

  it('returns undefined when nothing matches', () => {
    assert.equal(pickNewest(train('3.x'), RELEASES), undefined);
  });
});

describe('versions: listing what was seen', () => {
  it('sorts newest first, non-versions last, without duplicates', () => {
    assert.deepEqual(sortVersionsNewestFirst(['1.2.0', 'latest', '1.10.1', 'v1.9.0', '1.2.0']), ['1.10.1', 'v1.9.0', '1.2.0', 'latest']);
  });

  it('shortens long lists', () => {
    assert.equal(listVersions(RELEASES, 3), '2.1.0-beta.1, 2.0.0, 1.11.0-rc.1 and 3 more');
    assert.equal(listVersions([]), 'none');
  });
});

describe('versions: the semantic version pattern', () => {
  it('reads a profile version without a v, and an exact chart version with or without one', () => {
    // GIVEN versions as profiles and charts write them  THEN SEMVER refuses the leading v, EXACT_SEMVER takes it
    const texts = ['1.2.3', 'v1.2.3', '1.2.3-rc.1+build.5', '01.2.3', '1.2', '1.x'];
    assert.deepEqual(texts.map((t) => SEMVER.test(t)), [true, false, true, false, false, false]);
    assert.deepEqual(texts.map((t) => EXACT_SEMVER.test(t)), [true, true, true, false, false, false]);
  });

  it('keeps the source Terraform validations quote', () => {
    // GIVEN a version variable's validation, which writes EXACT_SEMVER's source into the configuration  THEN it is unchanged
    assert.equal(EXACT_SEMVER.source, '^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$');
  });
});
