import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { AssetType, TerraformAsset, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { PlannedRetainedNamespace } from '../core/plan';
import { RETAINED_NAMESPACE_CHART } from '../core/retained-namespace';
import { escapeTemplate } from './terraform-escape';

/**
 * The folder of the `retained-namespace` chart shipped with this package, found by walking up from
 * this file (it runs from `src/`, `dist/src/` or an installed package).
 */
export function retainedNamespaceChartDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, RETAINED_NAMESPACE_CHART);
    if (existsSync(join(candidate, 'Chart.yaml'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`the ${RETAINED_NAMESPACE_CHART} chart of cdktf-cluster-profiles is missing from the package (looked above ${__dirname})`);
  }
}

/**
 * A retained namespace as a Helm release of the `retained-namespace` chart, copied into the stack's
 * output as an asset. The chart's only object is the Namespace, annotated
 * `helm.sh/resource-policy: keep`, so destroying the release leaves the namespace and everything in
 * it; `takeOwnership` adopts a namespace that already exists.
 */
export function retainedNamespaceRelease(scope: Construct, id: string, planned: PlannedRetainedNamespace, chart: TerraformAsset, provider?: TerraformProvider): Release {
  return new Release(scope, id, {
    provider,
    name: planned.releaseName,
    namespace: planned.releaseNamespace,
    chart: chart.path,
    values: [escapeTemplate(planned.values)],
    createNamespace: false,
    takeOwnership: true,
    wait: true,
  });
}

/**
 * The chart as an asset of `scope`'s stack. Its hash (part of the path Terraform sees) is taken over
 * the files in name order: CDKTF's own hash follows the order the file system lists them in, which
 * differs between machines.
 */
export function retainedNamespaceChart(scope: Construct, id: string): TerraformAsset {
  const path = retainedNamespaceChartDir();
  return new TerraformAsset(scope, id, { path, type: AssetType.DIRECTORY, assetHash: hashFolder(path) });
}

function hashFolder(root: string): string {
  const hash = createHash('sha256');
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) visit(file);
      else hash.update(`${relative(root, file).split('\\').join('/')}\0`).update(readFileSync(file)).update('\0');
    }
  };
  visit(root);
  return hash.digest('hex').slice(0, 32).toUpperCase();
}
