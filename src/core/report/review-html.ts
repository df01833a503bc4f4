import { CHANGE_KINDS, PlanReview } from './review';
import { groupByLayer, reviewMermaid, summaryRows } from './review-format';

/**
 * A plan review as one self-contained HTML page: the same content as the Markdown comment, with the
 * diagram drawn by the Mermaid library inlined into the page, so it opens offline (a CI artifact, a
 * file attached to a change request) and loads nothing from the network.
 */

function inlineScript(script: string): string {
  // `</script` inside the library would end the inline script: written as `<\/script`, which
  // JavaScript reads the same in strings and regular expressions.
  return script.replace(/<\/(script)/gi, '<\\/$1');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The page. When the diagram is drawn (or fails), `<body>` gets `data-diagram="rendered"` (or
 * `"failed"`). `mermaidScript` is the Mermaid library as one script (`readMermaidScript`).
 */
export function reviewHtml(review: PlanReview, mermaidScript: string): string {
  const s = review.summary;
  const kinds = CHANGE_KINDS.filter((k) => s.byKind[k] > 0);
  const rows = summaryRows(review)
    .map((r) => `<tr${r.destructive > 0 ? ' class="destructive"' : ''}><td>${esc(r.tier)}</td><td>${r.destructive}</td>${kinds.map((k) => `<td>${r.counts[k]}</td>`).join('')}</tr>`)
    .join('\n');
  const destructive = review.changes.filter((c) => c.destructive);
  const sections = groupByLayer(review)
    .map((g) => {
      const bad = g.changes.some((c) => c.destructive);
      const items = g.changes.map((c) => `<li${c.destructive ? ' class="destructive"' : ''}><b>${c.kind}</b> <code>${esc(c.address)}</code>: ${esc(c.reason)}</li>`).join('\n');
      return `<details${bad ? ' open' : ''}><summary><b>${esc(g.title)}</b>: ${g.changes.length} change${g.changes.length === 1 ? '' : 's'}${bad ? ' (destructive)' : ''}</summary>\n<ul>\n${items}\n</ul>\n</details>`;
    })
    .join('\n');
  const headline =
    s.destructive > 0 ? `<p class="destructive"><b>${s.destructive} destructive change${s.destructive === 1 ? '' : 's'}</b> among ${s.changes}.</p>` : `<p>${s.changes} change${s.changes === 1 ? '' : 's'}, none destructive.</p>`;
  const diagram = review.changes.some((c) => c.tier !== null) ? `<h2>Tiers touched</h2>\n<pre class="mermaid">\n${esc(reviewMermaid(review))}\n</pre>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>Terraform plan review</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; color: #1f2328; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: 0.3em 0.7em; text-align: left; }
.destructive { color: #b00; } tr.destructive td { background: #fff0f0; }
details { margin: 0.4em 0; } code { background: #f6f8fa; padding: 0 0.2em; }
</style>
</head>
<body data-diagram="pending">
<h1>Terraform plan review</h1>
${headline}
<table>
<tr><th>tier</th><th>destructive</th>${kinds.map((k) => `<th>${k}</th>`).join('')}</tr>
${rows}
</table>
${destructive.length > 0 ? `<h2 class="destructive">Destructive changes</h2>\n<ul>\n${destructive.map((c) => `<li class="destructive"><code>${esc(c.address)}</code>: ${esc(c.reason)}</li>`).join('\n')}\n</ul>` : ''}
${diagram}
<h2>Changes by layer</h2>
${sections}
<script>${inlineScript(mermaidScript)}</script>
<script>
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', flowchart: { htmlLabels: true } });
mermaid.run({ querySelector: 'pre.mermaid' }).then(
  function () { document.body.dataset.diagram = 'rendered'; },
  function (e) { document.body.dataset.diagram = 'failed'; document.body.dataset.error = String(e && e.message || e); });
</script>
</body>
</html>
`;
}
