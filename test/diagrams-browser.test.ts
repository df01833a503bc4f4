/**
 * The diagrams drawn in a real browser (Debian's chromium, headless, see engines/chromium.ts): the
 * review's HTML page, the Mermaid of `graph` and the Mermaid of `rehearse` each become SVG with one
 * node per layer and no error text. Screenshots go to test-artifacts/ (not committed) for a person
 * to look at. Slow: one browser for the file; the real terraform plans the review's change and runs
 * the rehearsal.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser, Page } from 'puppeteer-core';
import { main } from '../src/cli/main';
import { ARTIFACTS, Drawing, drawMermaid, launchChromium, openReviewPage } from './engines/chromium';
import { ReviewExample, reviewExample } from './review-example';
import { REPO } from './synth-helpers';

const EXAMPLE_FILES = ['edge-platform.json', 'team-observability.json'].map((f) => join(REPO, 'examples', 'profiles', f));
const CATALOG = join(REPO, 'examples', 'catalog.yaml');

/** The layers of the example that deploy something (its os and k8s layers describe the cluster), read from its files by hand. */
const EXAMPLE_LAYERS = ['blackbox-exporter', 'cert-manager', 'cilium', 'grafana-dashboards', 'hello-universe', 'ingress-nginx', 'kube-prometheus-stack', 'longhorn', 'platform-issuers'];

let browser: Browser;
let page: Page;
let example: ReviewExample;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  example = await reviewExample();
  browser = await launchChromium();
  page = await browser.newPage();
});
after(async () => {
  await browser?.close();
  example?.dispose();
});

/** The first line of each label, sorted. */
function firstLines(nodes: Drawing['nodes']): string[] {
  return nodes.map((n) => n.label.split('\n')[0].trim()).sort();
}

/** Runs the CLI; returns what it printed. */
async function cli(args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (l) => out.push(l), (l) => err.push(l));
  assert.equal(code, 0, err.join('\n'));
  return `${out.join('\n')}\n`;
}

describe('diagrams in a real browser (headless Chromium)', () => {
  it('draws the review page of the example offline: the diagram of touched tiers has one node per layer touched, and no error', async () => {
    // GIVEN the example's change (blackbox-exporter removed, the dashboard retitled) reviewed as an HTML page, opened from a file
    const file = join(ARTIFACTS, 'review.html');
    writeFileSync(file, await example.review('html'));
    // WHEN Chromium loads it and the page's script has drawn the diagram
    const { dataset, drawing, requests, problems } = await openReviewPage(page, file);
    await page.screenshot({ path: join(ARTIFACTS, 'review.png'), fullPage: true });
    // THEN one SVG, a node for each layer touched and one for the tier's namespaces and gate, no error, nothing fetched
    assert.deepEqual(dataset, { diagram: 'rendered' });
    assert.equal(drawing.svgs, 1);
    assert.deepEqual(firstLines(drawing.nodes), ['blackbox-exporter', 'grafana-dashboards', 'namespaces and gate']);
    assert.deepEqual([drawing.errors, problems, requests], [[], [], []]);
  });

  it('draws the Mermaid of graph for the example: one node per layer, no error', async () => {
    // GIVEN the example's graph, as the command prints it
    const text = await cli(['graph', '--catalog', CATALOG, ...EXAMPLE_FILES]);
    // WHEN drawn
    const drawing = await drawMermaid(page, [text]);
    await page.screenshot({ path: join(ARTIFACTS, 'graph.png'), fullPage: true });
    // THEN one SVG whose layer nodes (L1, L2, ...) are the example's layers
    assert.equal(drawing.svgs, 1);
    assert.deepEqual(firstLines(drawing.nodes.filter((n) => /-L\d+-/.test(n.id))), EXAMPLE_LAYERS);
    assert.deepEqual(drawing.errors, []);
  });

  it('draws the Mermaid of rehearse for the example: install and teardown charts, one bar per layer each, no error', async () => {
    // GIVEN the example rehearsed with the real terraform, its timeline written as Markdown (two charts)
    const charts = join(ARTIFACTS, 'rehearsal.md');
    await cli(['rehearse', '--catalog', CATALOG, '--mermaid', charts, ...EXAMPLE_FILES]);
    const blocks = [...readFileSync(charts, 'utf8').matchAll(/```mermaid\n([\s\S]*?)```\n/g)].map((m) => m[1]);
    // WHEN drawn
    const drawing = await drawMermaid(page, blocks);
    await page.screenshot({ path: join(ARTIFACTS, 'rehearsal.png'), fullPage: true });
    // THEN two SVGs, each with one bar per layer ("layer <name> <seconds> s")
    const layers = drawing.bars.map((b) => /^layer (\S+) /.exec(b.label)?.[1]).filter((n): n is string => n !== undefined);
    assert.equal(drawing.svgs, 2);
    assert.deepEqual(layers.sort(), [...EXAMPLE_LAYERS, ...EXAMPLE_LAYERS].sort());
    assert.deepEqual(drawing.errors, []);
  });
});
