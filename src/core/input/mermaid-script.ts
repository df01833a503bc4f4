import { readFileSync } from 'node:fs';

/** The Mermaid library as one script, from the `mermaid` package, for pages that draw offline. */
export function readMermaidScript(): string {
  return readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
}
