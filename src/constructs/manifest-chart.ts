import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { AssetType, LocalExecProvisioner, TerraformAsset, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { REFERENCES_VALUE, objectsValues } from '../core/plan/manifest-chart';
import { kubectlWaitCommand } from '../core/resolve/readiness';
import { VARIABLE_REFERENCE } from '../core/resolve/variables';
import { interpolateVariables, terraformExpression } from './profile-variables';
import { TerraformData } from './terraform-data';
import { escapeTemplate, hclLiteral, hclString } from '../core/resolve/terraform-escape';
import { PlannedManifestChart, PlannedReadinessCheck, ManifestChart } from '../core/model/planned';

/** How `kubectl` reaches the cluster for the readiness checks of chart layers (`pack.readiness`). */
export interface KubectlAccess {
  /**
   * The kubeconfig file, given to kubectl as `KUBECONFIG`: a path or a Terraform expression.
   * @default - kubectl's own: `$KUBECONFIG`, else `~/.kube/config`
   */
  readonly kubeconfig?: string;
  /**
   * The kubeconfig context, given as `--context`.
   * @default - the kubeconfig's current context
   */
  readonly context?: string;
}

/** The shell the readiness check runs its command with: the command is quoted for a POSIX shell. */
export const READINESS_INTERPRETER: readonly string[] = ['/bin/sh', '-c'];

/**
 * The folder an app's generated charts are written to before CDKTF copies them into the stacks'
 * output as assets: one per app (a child of its root, the construct whose lifetime it shares, made
 * with the app's first chart), removed when the process exits. It synthesizes nothing.
 */
class ChartFolder extends Construct {
  /** The chart folder of `scope`'s app. */
  public static of(scope: Construct): string {
    const root = scope.node.root;
    // Not instanceof: another copy of this package in the same app finds the same folder.
    const found = root.node.tryFindChild(CHART_FOLDER_ID) as ChartFolder | undefined;
    return (found ?? new ChartFolder(root, CHART_FOLDER_ID)).path;
  }

  /** The folder, created with the construct. */
  public readonly path: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const path = mkdtempSync(join(tmpdir(), 'cluster-profiles-charts-'));
    this.path = path;
    process.once('exit', () => rmSync(path, { recursive: true, force: true }));
  }
}

const CHART_FOLDER_ID = 'cluster-profiles-charts';

/**
 * A generated chart as an asset of `scope`'s stack: its files are written to a scratch folder
 * (named by the content hash, so a chart is written once per app) and CDKTF copies them to
 * `assets/<id>/<hash>/` beside `cdk.tf.json`. The asset's hash is the chart's content hash, so the
 * path is the same on every machine and changes with the content.
 */
export function manifestChartAsset(scope: Construct, id: string, chart: ManifestChart): TerraformAsset {
  const folder = join(ChartFolder.of(scope), chart.hash);
  if (!existsSync(folder)) {
    // Written beside the final folder, then renamed: a folder that exists is always complete.
    const staging = `${folder}.partial`;
    rmSync(staging, { recursive: true, force: true });
    for (const file of chart.files) {
      const target = join(staging, ...file.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    renameSync(staging, folder);
  }
  return new TerraformAsset(scope, id, { path: folder, type: AssetType.DIRECTORY, assetHash: chart.hash.slice(0, 32).toUpperCase() });
}

/**
 * The release of a generated chart: the chart from its asset, `wait` and `wait_for_jobs` within the
 * layer's budget, `version` the chart's content-hash version (so every change shows in the plan).
 * Its values list the chart's objects with digests of their content (`clusterProfilesObjects`, for
 * plan review); strings that use profile variables reach the chart as the value
 * `clusterProfilesReferences`, which Terraform computes from the stack's variables.
 */
export function manifestChartRelease(scope: Construct, id: string, planned: PlannedManifestChart, chart: TerraformAsset, provider?: TerraformProvider): Release {
  const references = Object.entries(planned.manifestChart.references);
  return new Release(scope, id, {
    provider,
    name: planned.releaseName,
    namespace: planned.namespace,
    chart: chart.path,
    version: planned.version,
    // The objects and their digests first (plan review), then the strings that use profile variables.
    values: [escapeTemplate(objectsValues(planned.manifestChart.digests)), ...(references.length > 0 ? [referencesValues(references, planned.manifestChart.textReferences)] : [])],
    createNamespace: false,
    // The layer's objects are the profile's: adopt those already in the cluster (a layer that had one
    // kubernetes_manifest per document, which Terraform now forgets), as `kubectl apply` would.
    takeOwnership: true,
    wait: true,
    waitForJobs: true,
    timeout: planned.timeoutSeconds,
  });
}

/**
 * The release values holding the strings that use profile variables, as one Terraform template
 * whose value for each token is the JSON text to write in its place:
 * `${yamlencode({clusterProfilesReferences = {"<token>" = jsonencode(var.replicas), "<token>" = jsonencode("https://${var.host}/")}})}`.
 * A string that is one variable alone becomes the variable itself, keeping its number or bool type,
 * unless its token is in `textTokens` (a field that takes only strings): then `tostring(var.NAME)`.
 * The values carry JSON texts, not numbers: the helm provider reads numbers as float64, which
 * would round integers beyond 2^53; Terraform's `jsonencode` writes a number exactly.
 */
export function referencesValues(references: readonly (readonly [string, string])[], textTokens: readonly string[] = []): string {
  const asText = new Set(textTokens);
  const entries = references.map(([token, text]) => {
    const expression = hclExpression(text);
    const value = asText.has(token) && expression.startsWith('var.') ? `tostring(${expression})` : expression;
    return `${hclString(token)} = jsonencode(${value})`;
  });
  return `\${yamlencode({${REFERENCES_VALUE} = {${entries.join(', ')}}})}`;
}

/** A string with `{{.spectro.var.NAME}}` uses as an HCL expression: `var.NAME` alone, else a quoted template. */
export function hclExpression(text: string): string {
  const uses = [...text.matchAll(VARIABLE_REFERENCE)];
  if (uses.length === 1 && uses[0][0] === text) return terraformExpression(uses[0]);
  return `"${interpolateVariables(text, hclLiteral)}"`;
}

/**
 * The readiness check of a generated chart's objects: a `terraform_data` whose create-time
 * provisioner runs `kubectl wait` for each condition `pack.readiness` names, each call bounded by
 * the layer's budget. A new chart version replaces it (`triggers_replace`), so it waits again after
 * every upgrade. The kubeconfig is kept in `input` and given as `KUBECONFIG`; kubectl must be
 * installed where Terraform runs.
 */
export function readinessCheck(scope: Construct, id: string, planned: PlannedReadinessCheck, kubectl: KubectlAccess = {}): TerraformData {
  const wait: LocalExecProvisioner = {
    type: 'local-exec',
    interpreter: [...READINESS_INTERPRETER],
    command: escapeTemplate(kubectlWaitCommand(planned.waits, planned.timeoutSeconds, kubectl.context)),
    environment: kubectl.kubeconfig !== undefined ? { KUBECONFIG: '${self.input.kubeconfig}' } : undefined,
  };
  return new TerraformData(scope, id, {
    input: kubectl.kubeconfig !== undefined ? { kubeconfig: kubectl.kubeconfig } : undefined,
    triggersReplace: { ...planned.replaceWhen },
    provisioners: [wait],
  });
}
