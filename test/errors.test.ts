import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Problem, ProfileError, collectProblems } from '../src/core/model/errors';

describe('collectProblems', () => {
  it('returns what the step returns and records nothing when it succeeds', () => {
    // GIVEN a step that succeeds  WHEN run  THEN its result, and no problem
    const problems: Problem[] = [];
    assert.equal(collectProblems(problems, () => 42), 42);
    assert.deepEqual(problems, []);
  });

  it('records the problems of a ProfileError, in order, after those already there, and returns undefined', () => {
    // GIVEN a list holding one problem, and a step that throws two
    const problems: Problem[] = [{ file: 'a.yaml', message: 'first' }];
    const step = (): number => {
      throw new ProfileError([{ file: 'b.yaml', message: 'second' }, { file: 'b.yaml', field: 'name', message: 'third' }]);
    };
    // WHEN run  THEN undefined, and the list holds all three in order
    assert.equal(collectProblems(problems, step), undefined);
    assert.deepEqual(problems, [{ file: 'a.yaml', message: 'first' }, { file: 'b.yaml', message: 'second' }, { file: 'b.yaml', field: 'name', message: 'third' }]);
  });

  it('relabels each problem it records', () => {
    // GIVEN a step that throws, and a relabelling that marks the side
    const problems: Problem[] = [];
    collectProblems(problems, () => {
      throw new ProfileError({ layer: 'a', message: 'is wrong' });
    }, (p) => ({ ...p, message: `${p.message} (old profiles)` }));
    // THEN the recorded problem carries the mark
    assert.deepEqual(problems, [{ layer: 'a', message: 'is wrong (old profiles)' }]);
  });

  it('awaits a step that returns a promise, recording a rejection with a ProfileError', async () => {
    // GIVEN one step that resolves and one that rejects
    const problems: Problem[] = [];
    const ok = await collectProblems(problems, () => Promise.resolve('plan'));
    const failed = await collectProblems(problems, () => Promise.reject(new ProfileError({ file: 'c.yaml', message: 'is not valid YAML' })));
    // THEN the first result, undefined for the second, and its problem recorded
    assert.equal(ok, 'plan');
    assert.equal(failed, undefined);
    assert.deepEqual(problems, [{ file: 'c.yaml', message: 'is not valid YAML' }]);
  });

  it('lets other errors through, synchronous or not', async () => {
    // GIVEN steps that fail with an error that is not a ProfileError
    const problems: Problem[] = [];
    // WHEN run  THEN the error propagates and nothing is recorded
    assert.throws(() => collectProblems(problems, () => {
      throw new TypeError('bug');
    }), { name: 'TypeError', message: 'bug' });
    await assert.rejects(collectProblems(problems, () => Promise.reject(new RangeError('also a bug'))), { name: 'RangeError', message: 'also a bug' });
    assert.deepEqual(problems, []);
  });
});
