import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { main } from '../src/cli/main';

/** The repository root (tests run from any one-level output folder). */
export const ROOT = resolve(__dirname, '..', '..');

/** A pack catalog with one registry pack: `web` 1.0.0, the chart nginx 15.0.1 from charts.example.com, in namespace web. */
export const SMALL_CATALOG = `apiVersion: cluster-profiles/v1
kind: PackCatalog
packs:
  - name: web
    version: 1.0.0
    charts:
      - name: nginx
        repository: https://charts.example.com
        version: 15.0.1
    values:
      pack:
        namespace: web
`;

/** What one CLI run printed, line by line, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs the CLI in this process, capturing what it prints. */
export async function cli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(...l.split('\n')), (l) => err.push(...l.split('\n')));
  return { code, out, err };
}

/**
 * A scratch folder removed after the test file, holding copies of the example profiles and catalog
 * (the CLI writes a lock file beside the profiles it reads: never into the repository).
 */
export function scratchWithExamples(prefix: string): { dir: string; file: (name: string) => string; write: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), `cluster-profiles-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'examples', 'profiles'), dir, { recursive: true, filter: (src) => !src.endsWith('.lock.yaml') });
  cpSync(join(ROOT, 'examples', 'catalog.yaml'), join(dir, 'catalog.yaml'));
  return {
    dir,
    file: (name) => join(dir, name),
    write: (name, text) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    },
  };
}
