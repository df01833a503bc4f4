import { GRAPH_FORMATS, renderGraph } from '../../core/report/graph';
import { choiceOf, parseCommand, requireFiles } from '../options';
import { PROFILE_OPTIONS, RESOLUTION_USAGE, planFromFiles } from '../profile-input';

/** Usage of `graph`. */
export const GRAPH_USAGE = `cluster-profiles graph [--format mermaid|dot] [--catalog FILE] [--registry NAME=URL]... ${RESOLUTION_USAGE} FILE...`;

/**
 * `graph`: the install plan as a picture: tiers as columns, layers as nodes, the namespaces they
 * own, and the gates between tiers. Mermaid (the default) renders on code-review pages; DOT renders
 * with Graphviz.
 */
export async function graphCommand(args: string[], print: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...PROFILE_OPTIONS,
    format: { type: 'string', default: 'mermaid' },
  });
  const format = choiceOf('--format', values.format, GRAPH_FORMATS);
  requireFiles(positionals, 'graph');
  print(renderGraph(await planFromFiles(positionals, values), format));
  return 0;
}
