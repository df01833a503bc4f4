import { HelmProvider, HelmProviderKubernetes } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider, KubernetesProviderConfig } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';

/**
 * A command that prints a short-lived credential (client-go's exec plugin protocol), such as
 * `aws eks get-token` or `gke-gcloud-auth-plugin`. It runs wherever Terraform runs.
 */
export interface ClusterConnectionExec {
  /** The `apiVersion` of the ExecCredential the command prints, such as `client.authentication.k8s.io/v1beta1`. */
  readonly apiVersion: string;
  /** The command. */
  readonly command: string;
  /**
   * Its arguments.
   * @default - none
   */
  readonly args?: readonly string[];
  /**
   * Environment variables set for the command.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * How the helm and kubernetes providers reach a cluster without a kubeconfig: the API server's
 * address and credentials. Every field may be a Terraform reference (a token), typically taken from
 * the construct that manages the cluster: a resource in another stack (cdktf turns the reference
 * into a cross-stack output and remote-state lookup), or a `DataTerraformRemoteState*` reading the
 * state of the configuration that built the cluster. Secrets given as literal strings are written
 * into `cdk.tf.json`: pass them as references or sensitive variables instead.
 */
export interface ClusterConnection {
  /** The API server's URL, such as `https://10.0.0.1:6443`. */
  readonly host: string;
  /**
   * The PEM-encoded certificate authority of the API server (not base64 encoded: wrap an EKS
   * `certificate_authority[0].data` in `Fn.base64decode`).
   * @default - the system's trusted authorities
   */
  readonly clusterCaCertificate?: string;
  /**
   * A bearer token.
   * @default - no token
   */
  readonly token?: string;
  /**
   * A PEM-encoded client certificate, for client-certificate authentication (with `clientKey`).
   * @default - no client certificate
   */
  readonly clientCertificate?: string;
  /**
   * The PEM-encoded key of `clientCertificate`.
   * @default - no client key
   */
  readonly clientKey?: string;
  /**
   * A command that prints a credential at plan and apply time.
   * @default - no exec plugin
   */
  readonly exec?: ClusterConnectionExec;
}

/**
 * A cluster connection, or a function that makes one inside the cluster's stack: it may create the
 * construct the connection reads from there (for example a `DataTerraformRemoteStateS3`).
 */
export type ClusterConnectionSource = ClusterConnection | ((stack: TerraformStack) => ClusterConnection);

/** Provider settings for one way of reaching a cluster. */
export interface ProviderConnection {
  /** The kubernetes provider's connection settings. */
  readonly kubernetes: KubernetesProviderConfig;
  /** The helm provider's `kubernetes` block. */
  readonly helm: HelmProviderKubernetes;
  /**
   * The exec plugin, set on both providers by override (see {@link createProviders}).
   * @default - none
   */
  readonly exec?: ClusterConnectionExec;
}

/** Turns a cluster connection into the settings of both providers. */
export function connectionSettings(stack: TerraformStack, source: ClusterConnectionSource): ProviderConnection {
  const connection = typeof source === 'function' ? source(stack) : source;
  if (typeof connection?.host !== 'string' || connection.host === '') {
    throw new Error(`ClusterStack "${stack.node.id}": connection.host must be the API server's URL, found ${JSON.stringify(connection?.host)}`);
  }
  const settings = {
    host: connection.host,
    clusterCaCertificate: connection.clusterCaCertificate,
    token: connection.token,
    clientCertificate: connection.clientCertificate,
    clientKey: connection.clientKey,
  };
  return { kubernetes: settings, helm: settings, exec: connection.exec };
}

/** The cluster's two providers. */
export interface ClusterProviders {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
}

/**
 * Creates the kubernetes and helm providers of a cluster stack (ids `kubernetes` and `helm`).
 *
 * The exec plugin is written by override, not through the bindings: cdktf rewrites every key of a
 * provider's configuration to snake_case, which would turn the plugin's environment variable
 * `AWS_PROFILE` into `aws_profile`; overrides are written as given. The kubernetes provider takes
 * `exec` as a list of blocks, the helm provider 3.x as one object: the same command either way.
 */
export function createProviders(stack: TerraformStack, reach: ProviderConnection): ClusterProviders {
  const kubernetes = new KubernetesProvider(stack, 'kubernetes', reach.kubernetes);
  const helm = new HelmProvider(stack, 'helm', { kubernetes: reach.helm });
  if (reach.exec !== undefined) {
    const exec: Record<string, unknown> = { api_version: reach.exec.apiVersion, command: reach.exec.command };
    if (reach.exec.args !== undefined) exec.args = [...reach.exec.args];
    if (reach.exec.env !== undefined) exec.env = { ...reach.exec.env };
    kubernetes.addOverride('exec', [exec]);
    helm.addOverride('kubernetes.exec', exec);
  }
  return { kubernetes, helm };
}
