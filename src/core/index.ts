import { ResolveOptions, resolveCluster } from './cluster';
import { ProfileSpec } from './model';
import { InstallPlan, planInstall } from './plan';

/** Validates one cluster's profiles and orders them into an install plan. Pure: no cdktf, no I/O. */
export function planCluster(profiles: readonly ProfileSpec[], options: ResolveOptions = {}): InstallPlan {
  return planInstall(resolveCluster(profiles, options));
}
