import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { ClusterProfiles, ClusterProfilesProps, ProfileSpec } from '../src';
import { assertChartsDeliverTheirFiles } from './chart-delivery';

/** The repository's root, from a compiled test in any one-level output folder (`dist/test`, `.build-x/test`). */
export const REPO = resolve(__dirname, '..', '..');

/** A synthesized configuration as Terraform JSON (any shape: tests read it field by field). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = Record<string, any>;

/** What {@link synth} returns. */
export interface Synthesized {
  /** `Testing.synth` output: the configuration without `//` metadata, keys sorted. */
  readonly text: string;
  /** `text`, parsed. */
  readonly json: TfJson;
  /** The configuration with its `//` metadata (construct paths). */
  readonly full: TfJson;
  /** The construct. */
  readonly construct: ClusterProfiles;
}

let outdir: string | undefined;

/** One scratch folder per test process for cdktf's test apps, removed when the process exits. */
function testOutdir(): string {
  if (outdir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-profiles-test-'));
    outdir = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return outdir;
}

/** cdktf's test app, writing (if ever) into this process's scratch folder rather than a new temporary folder each time. */
export function testApp(): App {
  return Testing.app({ outdir: testOutdir() });
}

/**
 * Synthesizes a ClusterProfiles in a bare stack (no providers), as cdktf's Testing helpers do. Every
 * generated chart goes through the Helm rendering harness, which must install exactly its files.
 */
export function synth(profiles: readonly ProfileSpec[], props: Partial<ClusterProfilesProps> = {}): Synthesized {
  const app = testApp();
  const stack = new TerraformStack(app, 'test');
  const construct = new ClusterProfiles(stack, 'cluster', { profiles, ...props });
  const text = Testing.synth(stack);
  assertChartsDeliverTheirFiles(construct.plan);
  const full = JSON.parse(JSON.stringify(stack.toTerraform())) as TfJson;
  return { text, json: JSON.parse(text) as TfJson, full, construct };
}

/** Every resource address (`type.name`) of a synthesized configuration, sorted. */
export function addresses(json: TfJson): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const name of Object.keys(byName as object)) out.push(`${type}.${name}`);
  }
  return out.sort();
}

/**
 * Each resource address with its `depends_on` entries, verbatim: Terraform reads them only as bare
 * addresses (`helm_release.x`), so an entry in any other form (`${helm_release.x}`) names no resource
 * and {@link createOrder} refuses it.
 */
export function dependencyGraph(json: TfJson): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName as Record<string, { depends_on?: string[] }>)) {
      graph.set(`${type}.${name}`, [...(body.depends_on ?? [])]);
    }
  }
  return graph;
}

/**
 * The order Terraform may create resources in (dependencies first; ties by address), as Kahn's
 * algorithm gives it. Throws on a cycle or a reference to a missing resource.
 */
export function createOrder(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [node, deps] of graph) {
    waiting.set(node, deps.length);
    for (const dep of deps) {
      if (!graph.has(dep)) throw new Error(`${node} depends on ${dep}, which is not in the configuration`);
      dependents.set(dep, [...(dependents.get(dep) ?? []), node]);
    }
  }
  const ready = [...graph.keys()].filter((n) => waiting.get(n) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const node = ready.shift()!;
    order.push(node);
    for (const next of dependents.get(node) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) {
        ready.push(next);
        ready.sort();
      }
    }
  }
  if (order.length !== graph.size) throw new Error('the dependency graph has a cycle');
  return order;
}

/** Every address `node` waits for, directly or through others. */
export function transitiveDependencies(graph: ReadonlyMap<string, readonly string[]>, node: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(node) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

/** Re-exported for the tests that import it from here. */
export { profileErrorOf } from './helpers';
