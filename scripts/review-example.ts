/**
 * Writes the plan review of the example into docs/review.md (between its markers), as
 * `cluster-profiles review --format markdown` prints it, and a screenshot of the review's HTML page,
 * taken by headless Chromium the way the browser tests take theirs, to docs/review-page.png.
 * Needs terraform and Debian's chromium (test/engines/setup.sh).
 *
 *   npm run docs:review
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openReviewPage } from '../test/engines/chromium';
import { reviewExample, withDocSample } from '../test/review-example';

const DOCS = join(__dirname, '..', '..', 'docs');

async function run(): Promise<void> {
  const example = await reviewExample();
  try {
    const doc = join(DOCS, 'review.md');
    writeFileSync(doc, withDocSample(readFileSync(doc, 'utf8'), await example.review('markdown')));
    const page = join(example.dir, 'review.html');
    writeFileSync(page, await example.review('html'));
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const opened = await openReviewPage(tab, page);
      if (opened.dataset.diagram !== 'rendered' || opened.problems.length > 0) throw new Error(`the review page did not draw: ${JSON.stringify(opened)}`);
      await tab.screenshot({ path: join(DOCS, 'review-page.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    console.log(`wrote ${doc} and ${join(DOCS, 'review-page.png')}`);
  } finally {
    example.dispose();
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
