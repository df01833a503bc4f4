// The public API. Everything not listed here is internal and may change without notice.
export { ProfileError, Problem, Location, formatProblem } from './core/errors';
export { ProfileSpec, ProfileType, LayerSpec, LayerSlot, LayerKind, LayerValues, HelmLayerSpec, ManifestLayerSpec, ManifestSpec, PackLayerSpec } from './core/model';
export { ResolveOptions, ResolvedCluster, ResolvedLayer, ResolvedProfile, DEFAULT_TIMEOUT_SECONDS, resolveCluster } from './core/cluster';
export { InstallPlan, PlannedTier, PlannedResource, TierPriority, planInstall } from './core/plan';
export { PlanSummary, LayerSummary, TierSummary, describePlan, formatPlan } from './core/plan-summary';
export { parsePaletteExport } from './core/palette-export';
export { loadProfileFile, loadProfileFiles } from './core/load';
export { planCluster } from './core';
export { ClusterProfiles, ClusterProfilesProps } from './constructs/cluster-profiles';
export { ClusterStack, ClusterStackProps } from './constructs/cluster-stack';
export { synthToDirectory, SynthResult } from './synth';
