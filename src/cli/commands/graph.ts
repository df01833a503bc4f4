import { GRAPH_FORMATS, GraphFormat, renderGraph } from '../../core/report/graph';
import { PROFILE_OPTIONS, RESOLUTION_USAGE, UsageError, parseCommand, requireFiles } from '../options';
import { planFromFiles } from '../profile-input';

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
  const format = values.format as string;
  if (!GRAPH_FORMATS.includes(format as GraphFormat)) {
    throw new UsageError(`--format "${format}" must be one of ${GRAPH_FORMATS.join(', ')}`);
  }
  requireFiles(positionals, 'graph');
  print(renderGraph(await planFromFiles(positionals, values), format as GraphFormat));
  return 0;
}
