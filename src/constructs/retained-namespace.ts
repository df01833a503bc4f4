import { Release } from '@cdktf/provider-helm/lib/release';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { manifestChartAsset } from './manifest-chart';
import { PlannedRetainedNamespace } from '../core/model/planned';

/**
 * A retained namespace as a Helm release of its generated chart, written into the stack's output
 * as an asset like a layer's generated chart (`<id>.chart`: no resource's id holds a '.'). The
 * chart's only object is the Namespace, annotated `helm.sh/resource-policy: keep`, so destroying
 * the release leaves the namespace and everything in it; `takeOwnership` adopts a namespace that
 * already exists. `version` is the chart's content-hash version, so a change of the namespace's
 * labels or annotations shows in the plan.
 */
export function retainedNamespaceRelease(scope: Construct, id: string, planned: PlannedRetainedNamespace, provider?: TerraformProvider): Release {
  const chart = manifestChartAsset(scope, `${id}.chart`, planned.namespaceChart);
  return new Release(scope, id, {
    provider,
    name: planned.releaseName,
    namespace: planned.releaseNamespace,
    chart: chart.path,
    version: planned.version,
    createNamespace: false,
    takeOwnership: true,
    wait: true,
  });
}
