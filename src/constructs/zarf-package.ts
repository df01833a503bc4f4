import { LocalExecProvisioner } from 'cdktf';
import { TerraformData } from './terraform-data';
import { Construct } from 'constructs';
import { escapeDeepWithVariables } from './profile-variables';
import { escapeTemplate, nonEmpty } from '../core/resolve/terraform-escape';
import { PlannedZarfPackage } from '../core/model/planned';

/** The shell both provisioners run their command with: the commands are quoted for a POSIX shell. */
export const ZARF_INTERPRETER: readonly string[] = ['/bin/sh', '-c'];

/**
 * A Zarf layer as a `terraform_data` resource, the way Terraform drives an external tool:
 * - `triggers_replace` holds the package, version, variables and components, so changing any of
 *   them replaces the resource: the destroy-time provisioner removes the package, then the
 *   create-time provisioner deploys the new one;
 * - the create-time `local-exec` runs `zarf package deploy ... --confirm`, with each Zarf variable's
 *   `--set-variables` item in its environment (so no value can break the command's quoting);
 * - the destroy-time `local-exec` runs `zarf package remove ... --confirm`.
 *
 * `kubeconfig` (a path or a Terraform expression) is kept in `input` and given to both commands as
 * `KUBECONFIG`: a destroy-time provisioner may refer to nothing but its own resource (`self`).
 * Without it the Zarf CLI uses its own default (`$KUBECONFIG`, else `~/.kube/config`).
 */
export function zarfPackage(scope: Construct, id: string, planned: PlannedZarfPackage, kubeconfig?: string): TerraformData {
  const cluster = kubeconfig === undefined ? undefined : { KUBECONFIG: '${self.input.kubeconfig}' };
  const deploy: LocalExecProvisioner = {
    type: 'local-exec',
    interpreter: [...ZARF_INTERPRETER],
    command: escapeTemplate(planned.deployCommand),
    environment: nonEmpty({ ...(escapeDeepWithVariables(planned.environment) as Record<string, string>), ...cluster }),
  };
  const remove: LocalExecProvisioner = {
    type: 'local-exec',
    when: 'destroy',
    interpreter: [...ZARF_INTERPRETER],
    command: escapeTemplate(planned.removeCommand),
    environment: cluster,
  };
  return new TerraformData(scope, id, {
    input: kubeconfig === undefined ? undefined : { kubeconfig },
    triggersReplace: escapeDeepWithVariables(planned.triggers) as Record<string, unknown>,
    provisioners: [deploy, remove],
  });
}
