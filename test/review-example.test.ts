/**
 * docs/review.md shows the review of the example as `cluster-profiles review --format markdown`
 * prints it today (slow: the real terraform plans the example's change, see review-example.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReviewExample, docSample, reviewExample } from './review-example';
import { REPO } from './synth-helpers';

let example: ReviewExample;
before(async () => {
  example = await reviewExample();
});
after(() => example?.dispose());

describe('the review of the example in docs/review.md', () => {
  it('is what the command prints for the example change now (npm run docs:review writes it)', async () => {
    // GIVEN the sample in docs/review.md
    const sample = docSample(readFileSync(join(REPO, 'docs', 'review.md'), 'utf8'));
    // WHEN the example's change is reviewed
    const markdown = await example.review('markdown');
    // THEN the sample is the same text, and it shows the namespaces the change deletes as destructive
    assert.equal(sample, markdown, 'docs/review.md is out of date: run npm run docs:review');
    assert.match(markdown, /^- :warning: `kubernetes_namespace_v1\.blackbox` .*: namespace blackbox is deleted with everything in it/m);
  });
});
