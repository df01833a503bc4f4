import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { ClusterProfiles, ClusterProfilesProps } from './cluster-profiles';

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
}

/**
 * A stack for one cluster: helm and kubernetes providers reading a kubeconfig (its path is the
 * Terraform variable `kubeconfig_path`, so each run can point elsewhere), and the cluster's profiles.
 */
export class ClusterStack extends TerraformStack {
  /** The cluster's profiles as resources. */
  public readonly profiles: ClusterProfiles;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const path = new TerraformVariable(this, 'kubeconfig_path', {
      type: 'string',
      default: props.kubeconfigPath ?? '~/.kube/config',
      description: 'Path of the kubeconfig file used to reach the cluster',
    });
    const connection = { configPath: path.stringValue, configContext: props.kubeContext };
    const kubernetesProvider = new KubernetesProvider(this, 'kubernetes', connection);
    const helmProvider = new HelmProvider(this, 'helm', { kubernetes: connection });
    this.profiles = new ClusterProfiles(this, 'cluster', { ...props, helmProvider, kubernetesProvider });
  }
}
