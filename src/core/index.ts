import { resolveCluster } from './resolve/cluster';
import { ResolveOptions } from './model/resolve-options';
import { ProfileSpec } from './model/spec';
import { InstallPlan } from './model/planned';
import { planInstall } from './plan/plan';

/** Validates one cluster's profiles and orders them into an install plan. Pure: no cdktf, no I/O. */
export function planCluster(profiles: readonly ProfileSpec[], options: ResolveOptions = {}): InstallPlan {
  return planInstall(resolveCluster(profiles, options));
}
