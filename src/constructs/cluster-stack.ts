import { Fn, TerraformStack, TerraformVariable } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { ClusterConnectionSource, ProviderConnection, connectionSettings, createProviders } from './cluster-connection';
import { ClusterProfiles, ClusterProfilesProps } from './cluster-profiles';
import { quotedList } from '../core/model/errors';

/** Properties of {@link ClusterStack}. */
export interface ClusterStackProps extends Omit<ClusterProfilesProps, 'helmProvider' | 'kubernetesProvider'> {
  /**
   * The kubeconfig file both providers read, unless overridden with `-var kubeconfig_path=...`.
   * @default '~/.kube/config'
   */
  readonly kubeconfigPath?: string;
  /**
   * The kubeconfig context to use.
   * @default - the kubeconfig's current context
   */
  readonly kubeContext?: string;
  /**
   * Reach the cluster by host and credentials instead of a kubeconfig, for example from the outputs
   * of the construct that manages the cluster. Excludes `kubeconfigPath` and `kubeContext`.
   * @default - the kubeconfig at `kubeconfigPath`
   */
  readonly connection?: ClusterConnectionSource;
}

/**
 * A stack for one cluster: helm and kubernetes providers reading a kubeconfig (its path is the
 * Terraform variable `kubeconfig_path`, so each run can point elsewhere), and the cluster's profiles.
 */
export class ClusterStack extends TerraformStack {
  /** The cluster's profiles as resources. */
  public readonly profiles: ClusterProfiles;

  /** The helm provider every release of this stack uses. */
  public readonly helmProvider: HelmProvider;

  /** The kubernetes provider every namespace, manifest and patch of this stack uses. */
  public readonly kubernetesProvider: KubernetesProvider;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    let reach: ProviderConnection;
    let kubeconfigFile: string | undefined;
    if (props.connection !== undefined) {
      if (props.kubeconfigPath !== undefined || props.kubeContext !== undefined) {
        throw new Error(`ClusterStack "${id}": give either connection or kubeconfigPath/kubeContext, not both`);
      }
      reach = connectionSettings(this, props.connection);
    } else {
      const path = new TerraformVariable(this, 'kubeconfig_path', {
        type: 'string',
        default: props.kubeconfigPath ?? '~/.kube/config',
        description: 'Path of the kubeconfig file used to reach the cluster',
      });
      const kubeconfig = { configPath: path.stringValue, configContext: props.kubeContext };
      reach = { kubernetes: kubeconfig, helm: kubeconfig };
      kubeconfigFile = Fn.pathexpand(path.stringValue);
    }
    const { kubernetes: kubernetesProvider, helm: helmProvider } = createProviders(this, reach);
    this.helmProvider = helmProvider;
    this.kubernetesProvider = kubernetesProvider;
    const zarfKubeconfig = props.zarfKubeconfig ?? kubeconfigFile;
    // kubectl (readiness checks of generated charts) reads the providers' kubeconfig and context.
    const kubectl = props.kubectl ?? (kubeconfigFile !== undefined ? { kubeconfig: kubeconfigFile, context: props.kubeContext } : undefined);
    this.profiles = new ClusterProfiles(this, 'cluster', { ...props, helmProvider, kubernetesProvider, zarfKubeconfig, kubectl });
    // The Zarf CLI has no context or host flags: it must not silently deploy to another cluster.
    const zarfLayers = this.profiles.plan.resources.flatMap((r) => (r.role === 'zarf-package' ? [r.layer] : []));
    if (zarfLayers.length > 0 && props.zarfKubeconfig === undefined && (props.connection !== undefined || props.kubeContext !== undefined)) {
      throw new Error(`ClusterStack "${id}": Zarf layers (${zarfLayers.join(', ')}) run the Zarf CLI, which reaches the cluster through a kubeconfig's current context, not ${props.connection !== undefined ? 'a connection' : 'kubeContext'}; use kubeconfigPath alone (a kubeconfig whose current context is this cluster), or set zarfKubeconfig`);
    }
    const checked = this.profiles.plan.resources.flatMap((r) => (r.role === 'readiness-check' ? [r.layer] : []));
    if (checked.length > 0 && kubectl === undefined) {
      throw new Error(`ClusterStack "${id}": layers ${quotedList(checked)} declare pack.readiness, which kubectl checks after their release, and kubectl cannot use a connection; set kubectl (a kubeconfig and context for this cluster), remove pack.readiness, or give those layers pack.manifestStrategy: manifest (one kubernetes_manifest per document, which waits for the conditions itself)`);
    }
  }
}
