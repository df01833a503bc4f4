import { ProfileError } from '../../core/model/errors';
import { readBoundedFile } from '../../core/input/read-file';
import { reviewPlan } from '../../core/report/review';
import { REVIEW_FORMATS, formatReviewMarkdown, formatReviewText, reviewJson } from '../../core/report/review-format';
import { reviewHtml } from '../../core/report/review-html';
import { readMermaidScript } from '../../core/input/mermaid-script';
import { readTerraformPlan } from '../../core/input/terraform-plan';
import { UsageError, choiceOf, parseCommand, requireFiles } from '../options';
import { PROFILE_OPTIONS, ProfileOptionValues, RESOLUTION_USAGE, planFromFiles } from '../profile-input';
import { planAtRevision } from './diff';
import { InstallPlan } from '../../core/model/planned';

/** Usage of `review`. */
export const REVIEW_USAGE = `cluster-profiles review --terraform-plan PLAN.json [--format text|markdown|json|html] [--fail-on destructive] [--base GITREF] [--catalog FILE] [--registry NAME=URL]... ${RESOLUTION_USAGE} FILE...`;

/** The most a plan file may weigh: plans of thousands of resources stay far below it. */
const MAX_PLAN_BYTES = 256 * 1024 * 1024;

/** Exit code of `--fail-on destructive` when a destructive change is present. */
export const DESTRUCTIVE_EXIT_CODE = 3;

/**
 * `review`: a Terraform plan (`terraform show -json PLANFILE`) explained in profile terms, every
 * change mapped to its profile, layer and tier, destructive changes first. `--base GITREF` reads the
 * profiles before the change from git, which places deletes and tells what a chart layer's objects
 * were. `--fail-on destructive` exits with code 3 when a change is destructive.
 */
export async function reviewCommand(args: string[], print: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...PROFILE_OPTIONS,
    'terraform-plan': { type: 'string' },
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string' },
    base: { type: 'string' },
  });
  const format = choiceOf('--format', values.format, REVIEW_FORMATS);
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'destructive') throw new UsageError(`--fail-on "${failOn}" must be "destructive"`);
  const planFile = values['terraform-plan'];
  if (planFile === undefined) throw new UsageError('review needs --terraform-plan PLAN.json (the output of `terraform show -json PLANFILE`)');
  requireFiles(positionals, 'review');
  const text = readBoundedFile(planFile, { noun: 'Terraform plan', cannotRead: 'cannot be read as a Terraform JSON plan', maxBytes: MAX_PLAN_BYTES });
  const changes = readTerraformPlan(text.toString('utf8'), planFile);
  const after = await planFromFiles(positionals, values);
  const before = await basePlan(positionals, values);
  const review = reviewPlan(changes, after, before);
  const render = { text: formatReviewText, markdown: (r: typeof review) => formatReviewMarkdown(r), json: reviewJson, html: (r: typeof review) => reviewHtml(r, readMermaidScript()) }[format];
  print(render(review).replace(/\n$/, ''));
  return failOn === 'destructive' && review.summary.destructive > 0 ? DESTRUCTIVE_EXIT_CODE : 0;
}

async function basePlan(files: readonly string[], values: ProfileOptionValues & { readonly base?: string }): Promise<InstallPlan | undefined> {
  const base = values.base;
  if (base === undefined) return undefined;
  try {
    return await planAtRevision(base, files, values);
  } catch (err) {
    if (!ProfileError.isProfileError(err)) throw err;
    throw new ProfileError(err.problems.map((p) => ({ ...p, message: `${p.message} (profiles at ${base})` })));
  }
}
