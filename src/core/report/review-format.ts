import { parseAddress, resourceInPlan } from '../model/address';
import { CHANGE_KINDS, ChangeKind, PlanReview, ReviewChange } from './review';

/**
 * A plan review as text for a terminal, as JSON for bots, and as a pull-request comment (Markdown
 * with a Mermaid diagram of the touched tiers). The comment stays within GitHub's comment limit:
 * what does not fit is cut with a count of what was left out, never silently.
 */

/** GitHub's limit on a pull-request comment, in characters. */
export const MARKDOWN_LIMIT = 65536;

/** The review formats of the CLI. */
export type ReviewFormat = 'text' | 'markdown' | 'json' | 'html';

/** Every review format. */
export const REVIEW_FORMATS: readonly ReviewFormat[] = ['text', 'markdown', 'json', 'html'];

/**
 * The stable JSON shape: `{"changes": [{"address","actions","profile","layer","tier","destructive",
 * "reason","kind","previousAddress","objects"}], "summary": {...}}`.
 */
export function reviewJson(review: PlanReview): string {
  return JSON.stringify(review, null, 2);
}

/** One line per change, destructive ones marked `!`, grouped as the review orders them. */
export function formatReviewText(review: PlanReview): string {
  const s = review.summary;
  const out = [`${s.changes} change${s.changes === 1 ? '' : 's'} (${countsText(review)}), ${s.destructive} destructive, ${s.unmapped} not in the profiles`];
  if (review.changes.length === 0) return out[0];
  for (const c of review.changes) {
    out.push(`${c.destructive ? '!' : ' '} ${c.kind.padEnd(7)} ${c.address}  [${where(c)}]`);
    out.push(`            ${c.reason}`);
  }
  return out.join('\n');
}

function countsText(review: PlanReview): string {
  const parts = CHANGE_KINDS.filter((k) => review.summary.byKind[k] > 0).map((k) => `${review.summary.byKind[k]} ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing to do';
}

/** `profile / layer / tier`, or `not in the profiles`. */
function where(c: ReviewChange): string {
  if (c.tier === null) return 'not in the profiles';
  return [c.profile !== null ? `profile ${c.profile}` : undefined, c.layer !== null ? `layer ${c.layer}` : undefined, c.tier].filter((x) => x !== undefined).join(' / ');
}

const NAMESPACE_TYPES: ReadonlySet<string> = new Set(['kubernetes_namespace', 'kubernetes_namespace_v1']);

/** Whether a change is to a namespace resource, in any module, deposed or not. */
function isNamespaceChange(c: ReviewChange): boolean {
  const type = parseAddress(resourceInPlan(c.address.replace(/ \(deposed [^)]*\)$/, '')))?.type;
  return type !== undefined && NAMESPACE_TYPES.has(type);
}

/** A layer's group of changes (or a tier's changes without a layer, or the unmapped ones). */
export interface ReviewGroup {
  readonly title: string;
  readonly tier: string | null;
  readonly layer: string | null;
  readonly changes: readonly ReviewChange[];
}

/** The changes grouped by layer, in the review's order of first appearance. */
export function groupByLayer(review: PlanReview): ReviewGroup[] {
  const groups = new Map<string, { title: string; tier: string | null; layer: string | null; changes: ReviewChange[] }>();
  for (const c of review.changes) {
    // Namespaces serve several layers: they go with the gate, under their tier.
    const key = c.tier === null ? 'unmapped' : c.layer !== null && !isNamespaceChange(c) ? `layer ${c.layer}` : `tier ${c.tier}`;
    const title = c.tier === null ? 'Not in the profiles' : key.startsWith('layer') ? `${c.layer} (${c.profile ?? '?'}, ${c.tier})` : `${c.tier}: namespaces and gate`;
    const g = groups.get(key) ?? { title, tier: c.tier, layer: key.startsWith('layer') ? c.layer : null, changes: [] };
    g.changes.push(c);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** A Mermaid flowchart of the tiers touched: one subgraph per tier, one node per layer touched; destructive nodes drawn red. */
export function reviewMermaid(review: PlanReview): string {
  const out = ['flowchart LR'];
  const groups = groupByLayer(review).filter((g) => g.tier !== null);
  const tiers = review.summary.tiers;
  const ids: string[] = [];
  tiers.forEach((tier, i) => {
    out.push(`  subgraph T${i + 1}["${mermaidText(tier)}"]`);
    out.push('    direction TB');
    for (const g of groups.filter((x) => x.tier === tier)) {
      const id = `C${ids.length + 1}`;
      ids.push(id);
      const label = [g.layer ?? 'namespaces and gate', kindCounts(g.changes)].map(mermaidText).join('<br/>');
      out.push(`    ${id}["${label}"]`);
      if (g.changes.some((c) => c.destructive)) out.push(`    class ${id} destructive`);
    }
    out.push('  end');
  });
  if (tiers.length > 1) out.push(`  ${tiers.map((_, i) => `T${i + 1}`).join(' --> ')}`);
  out.push('  classDef destructive fill:#ffd6d6,stroke:#c00,stroke-width:2px');
  return out.join('\n');
}

function kindCounts(changes: readonly ReviewChange[]): string {
  const counts = new Map<ChangeKind, number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return CHANGE_KINDS.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`).join(', ');
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Text safe inside Markdown table cells and HTML: `<`, `>`, `&` and `|` escaped. */
function md(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

/** The summary rows: one per tier touched (destructive tiers first), then the unmapped changes. */
export function summaryRows(review: PlanReview): { tier: string; destructive: number; counts: Record<ChangeKind, number> }[] {
  const rows = new Map<string, { tier: string; destructive: number; counts: Record<ChangeKind, number> }>();
  const row = (tier: string) => rows.get(tier) ?? rows.set(tier, { tier, destructive: 0, counts: Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number> }).get(tier)!;
  for (const t of review.summary.tiers) row(t);
  for (const c of review.changes) {
    const r = row(c.tier ?? 'not in the profiles');
    r.counts[c.kind]++;
    if (c.destructive) r.destructive++;
  }
  const list = [...rows.values()];
  return [...list.filter((r) => r.destructive > 0), ...list.filter((r) => r.destructive === 0)];
}

/**
 * The pull-request comment. Parts in order: headline, summary table, destructive changes, diagram,
 * one collapsible section per layer. When the whole exceeds `limit`, the per-layer sections that do
 * not fit are left out (and then destructive lines), with a line counting what was left out.
 */
export function formatReviewMarkdown(review: PlanReview, limit = MARKDOWN_LIMIT): string {
  const s = review.summary;
  const head = [
    '## Terraform plan review',
    '',
    s.destructive > 0
      ? `**${s.destructive} destructive change${s.destructive === 1 ? '' : 's'}** among ${s.changes} (${countsText(review)})${s.unmapped > 0 ? `; ${s.unmapped} not in the profiles` : ''}.`
      : `${s.changes} change${s.changes === 1 ? '' : 's'} (${countsText(review)}), none destructive${s.unmapped > 0 ? `; ${s.unmapped} not in the profiles` : ''}.`,
    '',
  ];
  const kinds = CHANGE_KINDS.filter((k) => s.byKind[k] > 0);
  if (kinds.length > 0) {
    head.push(`| tier | destructive | ${kinds.join(' | ')} |`, `|---|---|${kinds.map(() => '---|').join('')}`);
    for (const r of summaryRows(review)) head.push(`| ${md(r.tier)} | ${r.destructive > 0 ? `**${r.destructive}**` : '0'} | ${kinds.map((k) => r.counts[k]).join(' | ')} |`);
    head.push('');
  }
  const destructive = review.changes.filter((c) => c.destructive).map((c) => `- :warning: \`${c.address}\` (${md(where(c))}): ${md(c.reason)}`);
  const diagram = review.changes.some((c) => c.tier !== null) ? ['```mermaid', reviewMermaid(review), '```', ''] : [];
  const sections = groupByLayer(review).map((g) => {
    const lines = [`<details${g.changes.some((c) => c.destructive) ? ' open' : ''}><summary><b>${md(g.title)}</b>: ${kindCounts(g.changes)}${g.changes.some((c) => c.destructive) ? ' :warning:' : ''}</summary>`, ''];
    for (const c of g.changes) lines.push(`- ${c.destructive ? ':warning: ' : ''}**${c.kind}** \`${c.address}\`: ${md(c.reason)}`);
    lines.push('', '</details>', '');
    return { text: lines.join('\n'), changes: g.changes.length };
  });
  const size = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);
  const cut = (left: number, noun: string): string => `\n_${left} more ${noun} not shown (the comment limit is ${limit} characters); run \`cluster-profiles review --format json\` for every change._\n`;
  const out = [...head];
  // Destructive lines come before the diagram and the sections, so they are the last to be cut.
  const reserve = 400;
  if (destructive.length > 0) {
    out.push('### Destructive changes', '');
    let shown = 0;
    for (const line of destructive) {
      if (size(out) + line.length + 1 + reserve > limit) break;
      out.push(line);
      shown++;
    }
    if (shown < destructive.length) out.push(cut(destructive.length - shown, 'destructive changes'));
    out.push('');
  }
  if (size(out) + size(diagram) + reserve <= limit) out.push(...diagram);
  else if (diagram.length > 0) out.push('_The diagram of touched tiers is left out: it does not fit the comment limit._', '');
  let shown = 0;
  for (const section of sections) {
    if (size(out) + section.text.length + 1 + reserve > limit) break;
    out.push(section.text);
    shown++;
  }
  if (shown < sections.length) {
    const left = sections.slice(shown);
    out.push(cut(left.length, `layer sections (${left.reduce((n, x) => n + x.changes, 0)} changes)`));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
