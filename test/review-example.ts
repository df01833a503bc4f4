import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main';
import { planFromFiles } from '../src/cli/profile-input';
import { originalPlan, realPlanJson, standInsWithAttributes, synthesizeStack } from './terraform-plan-stand-ins';
import { REPO } from './synth-helpers';

/**
 * The plan review of the example, as docs/review.md shows it. The example profiles
 * (`edge-platform`, `team-observability`, with `examples/catalog.yaml`) are the base commit of a
 * scratch git repository; the change is team-observability 1.1.0, which drops its
 * `blackbox-exporter` layer (so namespaces `blackbox` and `probes` are deleted) and retitles its
 * dashboard. The real `terraform` applies the base and plans the change on stand-ins
 * (terraform-plan-stand-ins.ts), and `cluster-profiles review --base HEAD` explains that plan, as a
 * pull request's CI would against `origin/main`.
 */

const EXAMPLES = join(REPO, 'examples');

/** The example's files, as the base commit holds them. */
const FILES = ['edge-platform.json', 'team-observability.json'];

/** The profile edit the example reviews: team-observability 1.1.0 without blackbox-exporter, its dashboard retitled. */
export function editedTeamObservability(text: string): string {
  const profile = JSON.parse(text);
  profile.spec.version = '1.1.0';
  profile.spec.template.packs = profile.spec.template.packs.filter((p: { name: string }) => p.name !== 'blackbox-exporter');
  for (const pack of profile.spec.template.packs) {
    for (const m of pack.manifests ?? []) m.content = m.content.replace('"title": "Cluster overview"', '"title": "Cluster overview (SRE)"');
  }
  return `${JSON.stringify(profile, null, 2)}\n`;
}

/** The example change, planned by the real terraform, ready to review. */
export interface ReviewExample {
  /** The scratch folder, removed by `dispose`. */
  readonly dir: string;
  /** The profile files after the change, in the scratch repository (HEAD holds them before it). */
  readonly files: readonly string[];
  /** `terraform show -json` of the plan. */
  readonly planFile: string;
  /** Runs `cluster-profiles review` on the change in a format; returns what it printed, or throws with its errors. */
  review(format: 'text' | 'markdown' | 'json' | 'html'): Promise<string>;
  /** Removes the scratch folder. */
  dispose(): void;
}

/** Builds the example change in a scratch folder and plans it with the real terraform (a few seconds). */
export async function reviewExample(): Promise<ReviewExample> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-profiles-review-example-'));
  try {
    const repo = join(dir, 'profiles');
    mkdirSync(repo);
    const files = FILES.map((f) => join(repo, f));
    FILES.forEach((f, i) => writeFileSync(files[i], readFileSync(join(EXAMPLES, 'profiles', f))));
    const git = (...args: string[]): void => void execFileSync('git', ['-C', repo, '-c', 'user.name=example', '-c', 'user.email=example@example.com', '-c', 'commit.gpgsign=false', ...args], { stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    const options = { catalog: join(EXAMPLES, 'catalog.yaml') };
    const before = await planFromFiles(files, options);
    writeFileSync(files[1], editedTeamObservability(readFileSync(files[1], 'utf8')));
    const after = await planFromFiles(files, options);
    const stacks = join(dir, 'cdktf');
    const plan = originalPlan(realPlanJson(join(dir, 'terraform'), standInsWithAttributes(synthesizeStack(before, stacks)), standInsWithAttributes(synthesizeStack(after, stacks))));
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const review = async (format: string): Promise<string> => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['review', '--catalog', options.catalog, '--terraform-plan', planFile, '--base', 'HEAD', '--format', format, ...files], (l) => out.push(l), (l) => err.push(l));
      if (code !== 0) throw new Error(`cluster-profiles review exited ${code}:\n${err.join('\n')}`);
      return `${out.join('\n')}\n`;
    };
    return { dir, files, planFile, review, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The markers around the example's review in docs/review.md. */
export const SAMPLE_BEGIN = '<!-- review-example:begin (written by npm run docs:review; test/review-example.test.ts checks it) -->';
export const SAMPLE_END = '<!-- review-example:end -->';

/** The example's review as a document holds it between the markers; undefined when it has no markers. */
export function docSample(doc: string): string | undefined {
  const begin = doc.indexOf(SAMPLE_BEGIN);
  const end = doc.indexOf(SAMPLE_END);
  if (begin < 0 || end < begin) return undefined;
  return doc.slice(begin + SAMPLE_BEGIN.length, end).replace(/^\n/, '');
}

/** The document with the review between the markers replaced. */
export function withDocSample(doc: string, markdown: string): string {
  const begin = doc.indexOf(SAMPLE_BEGIN);
  const end = doc.indexOf(SAMPLE_END);
  if (begin < 0 || end < begin) throw new Error(`the document has no ${SAMPLE_BEGIN} ... ${SAMPLE_END} markers`);
  return `${doc.slice(0, begin + SAMPLE_BEGIN.length)}\n${markdown}${doc.slice(end)}`;
}
