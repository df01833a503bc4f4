import { Span, Timeline, TimelineRow } from './timeline';

/** Options for {@link mermaidGantt}. */
export interface MermaidGanttOptions {
  /**
   * The chart's title.
   * @default 'Rehearsal'
   */
  readonly title?: string;
  /**
   * What to chart. Install and teardown in one chart share one time axis, on which a quick teardown
   * is a sliver; chart them separately to give each its own scale.
   * @default ['install', 'teardown']
   */
  readonly phases?: readonly ('install' | 'teardown')[];
}

/**
 * A timeline as a Mermaid gantt chart, which code-review pages (GitHub, GitLab) render from a
 * ```` ```mermaid ```` block: one section per tier for the install, then one per tier for the
 * teardown in reverse, one bar per namespace, layer and gate. Times are the rehearsal's wall-clock
 * times (`dateFormat x`, epoch milliseconds); every bar's label carries its duration.
 */
export function mermaidGantt(timeline: Timeline, options: MermaidGanttOptions = {}): string {
  const phases = options.phases ?? ['install', 'teardown'];
  const spans = phases.map((p) => [p, p === 'install' ? timeline.install : timeline.teardown] as const);
  const title = `${options.title ?? 'Rehearsal'}: ${spans.map(([p, span]) => `${p} ${span === undefined ? 'not run' : seconds(span)}`).join(', ')}`;
  const start = Math.min(...spans.map(([, span]) => span?.start ?? Infinity));
  const end = Math.max(...spans.map(([, span]) => span?.end ?? -Infinity));
  // Short charts need milliseconds on the axis, or every tick reads the same second.
  const axis = end - start < 10_000 ? '%H:%M:%S.%L' : '%H:%M:%S';
  const out = ['gantt', `  title ${title.replace(/[#;\n]/g, ' ')}`, '  dateFormat x', `  axisFormat ${axis}`, '  todayMarker off'];
  const section = (name: string, span: Span | undefined, rows: readonly TimelineRow[], phase: 'create' | 'destroy'): void => {
    if (span === undefined) return;
    out.push(`  section ${plain(name)}`);
    for (const row of rows) {
      const s = row[phase];
      if (s === undefined) continue;
      const from = Math.floor(timeline.startedAt + s.start);
      // A bar of zero length is not drawn; a millisecond keeps instant steps visible.
      const to = Math.max(from + 1, Math.ceil(timeline.startedAt + s.end));
      out.push(`    ${plain(taskLabel(row))} ${seconds(s)} : ${from}, ${to}`);
    }
  };
  if (phases.includes('install')) timeline.tiers.forEach((t, i) => section(`Install ${i + 1} ${t.label}`, t.create, t.rows, 'create'));
  if (phases.includes('teardown')) {
    for (let i = timeline.tiers.length - 1; i >= 0; i--) {
      const t = timeline.tiers[i];
      // Teardown goes gate first, namespaces last.
      section(`Teardown ${i + 1} ${t.label}`, t.destroy, [...t.rows].reverse(), 'destroy');
    }
  }
  return `${out.join('\n')}\n`;
}

/** Rows start with a fixed word, so no layer name can be read as a keyword (`title`, `section`). */
function taskLabel(row: TimelineRow): string {
  switch (row.kind) {
    case 'layer':
      return `layer ${row.label}`;
    case 'resource':
      return `resource ${row.label}`;
    default:
      return row.label;
  }
}

/** Mermaid's gantt grammar ends section and task names at `:`, `#` and `;`. */
function plain(text: string): string {
  return text.replace(/[:#;]/g, ' ').replace(/\s+/g, ' ').trim();
}

function seconds(span: Span): string {
  return `${((span.end - span.start) / 1000).toFixed(2)} s`;
}
