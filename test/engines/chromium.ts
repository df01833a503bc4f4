import { existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { Browser, Page } from 'puppeteer-core';

/**
 * A real browser for the tests that draw diagrams: Debian's `chromium` (installed by
 * `test/engines/setup.sh`), headless, driven with puppeteer-core, which downloads no browser.
 * `CHROMIUM` names another binary.
 */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// The functions given to page.evaluate run in the page; the project compiles without the DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any, window: any;

/** Where the tests put screenshots and pages for a person to look at; git ignores it. */
export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');

/** Starts Chromium headless; throws, naming the set-up command, when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: run "bash test/engines/setup.sh" (npm test runs it first), or set CHROMIUM to its path`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // A container without user namespaces cannot start Chromium's sandbox; /dev/shm is small there.
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
    defaultViewport: { width: 1200, height: 800 },
  });
}

/** One node of a drawn diagram: a flowchart node, or a gantt chart's bar. */
export interface DrawnNode {
  /** The element's id in the SVG. */
  readonly id: string;
  /** Its text as shown, lines joined with `\n`. */
  readonly label: string;
}

/** What the page shows once its diagrams are drawn. */
export interface Drawing {
  /** The SVG diagrams on the page. */
  readonly svgs: number;
  /** Flowchart nodes, in document order. */
  readonly nodes: readonly DrawnNode[];
  /** Gantt chart bars' labels, in document order. */
  readonly bars: readonly DrawnNode[];
  /** Error text anywhere on the page (Mermaid's "Syntax error in text", its error diagram). */
  readonly errors: readonly string[];
}

/** Reads the drawn diagrams of the page. */
export async function readDrawing(page: Page): Promise<Drawing> {
  return page.evaluate(() => {
    type Shown = { id: string; innerText?: string; textContent: string | null; querySelector(s: string): Shown | null };
    // An HTML label (in a foreignObject) has innerText, with its <br/> as line breaks; SVG text has only textContent.
    const text = (e: Shown): string => (e.querySelector('.nodeLabel')?.innerText ?? e.innerText ?? e.textContent ?? '').trim();
    const all = (selector: string): Shown[] => [...document.querySelectorAll(selector)];
    const nodes = all('svg g.node').map((g) => ({ id: g.id, label: text(g) }));
    const bars = all('svg text.taskText, svg text.taskTextOutsideRight, svg text.taskTextOutsideLeft').map((t) => ({ id: t.id, label: text(t) }));
    const errors = all('.error-text, .error-icon').map(text);
    if (/syntax error|parse error/i.test(document.body.innerText)) errors.push(document.body.innerText);
    return { svgs: document.querySelectorAll('svg[id]').length, nodes, bars, errors };
  });
}

/**
 * Draws Mermaid texts in a page of their own, each in a `<pre class="mermaid">`, with the library the
 * review page inlines (the `mermaid` package's one-file build); returns what was drawn. A text
 * Mermaid cannot read shows as error text.
 */
export async function drawMermaid(page: Page, texts: readonly string[]): Promise<Drawing> {
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.evaluate((all: readonly string[]) => {
    for (const t of all) {
      const pre = document.createElement('pre');
      pre.className = 'mermaid';
      pre.textContent = t;
      document.body.appendChild(pre);
    }
  }, texts);
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  await page.evaluate(async () => {
    const m = window.mermaid as { initialize(o: object): void; run(o: object): Promise<void> };
    m.initialize({ startOnLoad: false, securityLevel: 'strict' });
    // A text it cannot read: the error is shown on the page (read as error text), not thrown here.
    await m.run({ querySelector: 'pre.mermaid', suppressErrors: true });
  });
  return readDrawing(page);
}

/** A page opened from a file, once its script has drawn its diagram. */
export interface OpenedPage {
  /** `<body data-diagram>` after drawing: `rendered`, or `failed` (with `data-error`). */
  readonly dataset: Readonly<Record<string, string>>;
  readonly drawing: Drawing;
  /** Requests other than the page's own file and data: URLs. */
  readonly requests: readonly string[];
  /** Script errors and console errors (a Content-Security-Policy refusal among them). */
  readonly problems: readonly string[];
}

/**
 * Opens the review page (`review --format html`) from a file and waits until its script has drawn
 * the diagram (`<body data-diagram>` leaves `pending`), at most 30 seconds.
 */
export async function openReviewPage(page: Page, file: string): Promise<OpenedPage> {
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => void (/^(file|data):/.test(r.url()) ? undefined : requests.push(r.url())));
  page.on('pageerror', (e) => void problems.push(String(e)));
  page.on('console', (m) => void (m.type() === 'error' ? problems.push(m.text()) : undefined));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => document.body.dataset.diagram !== 'pending', { timeout: 30_000 });
  const dataset = (await page.evaluate(() => ({ ...document.body.dataset }))) as Record<string, string>;
  return { dataset, drawing: await readDrawing(page), requests, problems };
}
