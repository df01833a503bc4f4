import { Span, Timeline, TimelineRow, TimelineTier } from './timeline';

/** Options for {@link formatTimeline}. */
export interface FormatTimelineOptions {
  /**
   * Columns of the bars that show when each row ran.
   * @default 40
   */
  readonly barWidth?: number;
}

/** Labels longer than this are cut, so the bars stay on screen. */
const MAX_LABEL = 44;

/** Width of the `12.34-56.78 s` column. */
const TIME_WIDTH = 15;

interface Layout {
  readonly labelWidth: number;
  readonly barWidth: number;
}

interface NumberedTier {
  readonly tier: TimelineTier;
  readonly heading: string;
}

/**
 * A timeline as text for a terminal: the install tier by tier, then the teardown in reverse. Each
 * tier shows its span, layers, resources and the most resources that ran at once, then one row per
 * namespace, layer and gate with its times in seconds and a bar showing when it ran, so what ran in
 * parallel and what waited can be seen at a glance.
 */
export function formatTimeline(timeline: Timeline, options: FormatTimelineOptions = {}): string {
  const tiers = timeline.tiers.map((tier, i) => ({ tier, heading: `${String(i + 1).padStart(3)}. ${tier.label}` }));
  const labels = tiers.flatMap(({ tier, heading }) => [heading, ...tier.rows.map(rowLabel)]);
  const layout = { labelWidth: Math.min(MAX_LABEL, Math.max(0, ...labels.map((l) => l.length))), barWidth: options.barWidth ?? 40 };
  return [
    ...section(`Install: ${count(timeline.resources, 'resource')} in ${count(tiers.length, 'tier')}`, timeline.install, tiers, 'create', layout),
    '',
    ...section('Teardown, tiers in reverse', timeline.teardown, [...tiers].reverse(), 'destroy', layout),
  ].join('\n');
}

function section(title: string, total: Span | undefined, tiers: readonly NumberedTier[], phase: 'create' | 'destroy', layout: Layout): string[] {
  if (total === undefined) return [`${title}: nothing was logged`];
  const length = seconds(total.end - total.start);
  const axis = `${' '.repeat(2 + layout.labelWidth + 2 + TIME_WIDTH + 2)}${'0 s'.padEnd(layout.barWidth + 2 - length.length)}${length}`;
  const out = [`${title}, ${length}`, axis];
  for (const { tier, heading } of tiers) {
    const detail =
      phase === 'create'
        ? `${count(tier.layers, 'layer')}, ${count(tier.resources, 'resource')}, up to ${tier.createdAtOnce} at once`
        : `${count(tier.resources, 'resource')}, up to ${tier.destroyedAtOnce} at once`;
    out.push(line(heading, tier[phase], total, layout, detail));
    // Teardown goes gate first, namespaces last: list the rows the way they ran.
    const rows = phase === 'create' ? tier.rows : [...tier.rows].reverse();
    for (const row of rows) out.push(line(rowLabel(row), row[phase], total, layout, row.kind === 'layer' ? count(row.resources.length, 'resource') : ''));
  }
  return out;
}

function line(label: string, span: Span | undefined, total: Span, layout: Layout, detail: string): string {
  const cut = label.length > layout.labelWidth ? `${label.slice(0, layout.labelWidth - 3)}...` : label;
  const time = span === undefined ? 'not run' : `${((span.start - total.start) / 1000).toFixed(2)}-${seconds(span.end - total.start)}`;
  const text = `  ${cut.padEnd(layout.labelWidth)}  ${time.padStart(TIME_WIDTH)}  |${bar(span, total, layout.barWidth)}|`;
  return detail === '' ? text : `${text}  ${detail}`;
}

function rowLabel(row: TimelineRow): string {
  return `       ${row.label}`;
}

/** `#` where the span ran, in `width` columns scaled to the total; at least one column. */
function bar(span: Span | undefined, total: Span, width: number): string {
  if (span === undefined) return ' '.repeat(width);
  const length = Math.max(total.end - total.start, 1e-9);
  const from = Math.max(0, Math.min(width - 1, Math.floor(((span.start - total.start) / length) * width)));
  const to = Math.max(from + 1, Math.min(width, Math.ceil(((span.end - total.start) / length) * width)));
  return `${' '.repeat(from)}${'#'.repeat(to - from)}${' '.repeat(width - to)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
