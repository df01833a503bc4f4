import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real engines the tests compare with, built by `test/engines/setup.sh` (the `pretest` step):
 * Go programs under `test/engines/go/`, compiled into `.engines/bin/`.
 */
const BIN = join(__dirname, '..', '..', '..', '.engines', 'bin');

/** The path of a built Go engine; throws, naming the set-up command, when it was not built. */
export function enginePath(name: string): string {
  const path = join(BIN, name);
  if (!existsSync(path)) throw new Error(`test engine "${name}" is not built: run "bash test/engines/setup.sh" (npm test runs it first)`);
  return path;
}

/** Runs an engine with `input` on stdin; returns stdout, throws with stderr on a non-zero exit. */
export function runEngine(name: string, input: string, args: readonly string[] = []): string {
  const run = spawnSync(enginePath(name), args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${name} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** What reading a YAML text gives Kubernetes (sigs.k8s.io/yaml, YAML 1.1): the JSON text, or go-yaml's error. */
export type KubernetesReading = { readonly json: string } | { readonly error: string };

/** Reads each text as Kubernetes, kubectl and Helm do (sigs.k8s.io/yaml, YAML 1.1), in one process. */
export function readAsKubernetes(texts: readonly string[]): KubernetesReading[] {
  return JSON.parse(runEngine('k8s-yaml', JSON.stringify(texts))) as KubernetesReading[];
}

/** What rendering a Go template gives (text/template with sprig's functions): the text, or the error. */
export type TemplateRendering = { readonly text: string } | { readonly error: string };

/**
 * Renders each text as a Go template with sprig's functions and `values` as `.Values`, as Helm
 * renders a chart's templates (the sprig-eval engine, with the values under `Values`), in one process.
 */
export function renderGoTemplates(requests: readonly { readonly template: string; readonly values: Readonly<Record<string, unknown>> }[]): TemplateRendering[] {
  return renderWithSprig(requests.map((r) => ({ template: r.template, data: { Values: r.values } }))).map((r) =>
    'error' in r ? r : { text: r.utf8 ? r.out : Buffer.from(r.out, 'base64').toString('utf8') },
  );
}

/** What Go's text/template with Sprig's functions prints for a template: the text (or its bytes as base64 when not UTF-8), or the error. */
export type SprigRendering = { readonly out: string; readonly utf8: boolean } | { readonly error: string };

/** Executes each template with `sprig.TxtFuncMap()` over its data, as Palette renders macros, in one process. */
export function renderWithSprig(cases: readonly { readonly template: string; readonly data: Readonly<Record<string, unknown>> }[]): SprigRendering[] {
  return JSON.parse(runEngine('sprig-eval', JSON.stringify(cases))) as SprigRendering[];
}
