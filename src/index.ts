// The public API, listed on purpose: what a platform stack, a script or a pipeline builds on. Each
// section follows a stage of docs/architecture.md. Everything not listed here is internal (the
// validation and planning steps inside each stage, the rehearsal's building blocks) and may change
// without notice.

// Constructs: profiles to Terraform resources.
export { ClusterProfiles, ClusterProfilesProps } from './constructs/cluster-profiles';
export { ClusterStack, ClusterStackProps } from './constructs/cluster-stack';
export { ClusterFleet, ClusterFleetProps, FleetClusterProps } from './constructs/fleet';
export { ClusterConnection, ClusterConnectionExec, ClusterConnectionSource } from './constructs/cluster-connection';
export { KubectlAccess } from './constructs/manifest-chart';
export { TerraformData } from './constructs/terraform-data';
export { synthToDirectory, SynthOptions, SynthResult, FileWrite } from './synth';

// Input: profiles, catalogs, locks and chart indexes, from files and the network.
export { loadProfileFile, loadProfileFiles } from './core/input/load';
export { parsePaletteExport } from './core/input/palette-export';
export { parseAuthoringProfile, readAuthoringProfile } from './core/input/authoring';
export { toPaletteExport, formatPaletteExport } from './core/input/palette-writer';
export { PackCatalog, CatalogPack, CatalogChart, CatalogPreset, CatalogRegistry } from './core/model/catalog';
export { loadCatalogFile, parseCatalog, readCatalog } from './core/input/catalog';
export { resolveTrains, TrainOptions, TrainResolution, ResolvedTrains, PackVersionLister, HelmIndexSource } from './core/input/trains';
export { Lock, LockEntry, LOCK_FILE_NAME, EMPTY_LOCK, defaultLockPath, readLockFile, writeLockFile } from './core/input/lock';
export { HelmIndex, HelmIndexCache, HelmIndexError, ReadHelmIndexOptions, readHelmIndex } from './core/input/helm-index';

// Resolve and plan: the pure core.
export { planCluster } from './core';
export { resolveCluster } from './core/resolve/cluster';
export { ResolveOptions, MacroContext, VariableOptions } from './core/model/resolve-options';
export { LayerValueOverrides, overrideLayerValues } from './core/resolve/layer-overrides';
export { planInstall } from './core/plan/plan';

// Report: plans in words and pictures.
export { PlanSummary, LayerSummary, TierSummary, describePlan, formatPlan } from './core/report/plan-summary';
export { Hazard, HazardKind, HAZARD_KINDS, findHazards, formatHazard, formatHazards } from './core/report/hazards';
export { PlanDiff, LayerDiff, LayerChange, NamespaceDiff, ProfileDiff, diffPlans, formatDiff } from './core/report/diff';
export { GraphFormat, GRAPH_FORMATS, renderGraph, renderMermaid, renderDot } from './core/report/graph';

// Rehearsal: the plan applied and destroyed by the real terraform on stand-in resources.
export { rehearse, findTerraform, RehearseOptions, RehearsalProgress, RehearsalResult, DEFAULT_PARALLELISM } from './rehearse/rehearse';
export { RehearsalError } from './rehearse/rehearsal-error';
export { RehearsalEvent, RehearsalPhase } from './rehearse/rehearsal-log';
export { StackResource } from './rehearse/stack-graph';
export { OrderCheck, OrderRule, OrderViolation } from './rehearse/check-order';
export { Span, Timeline, TimelineRow, TimelineTier } from './rehearse/timeline';

// The model: what each stage hands to the next, and the errors every stage reports.
export { ProfileError, Problem, Location, formatProblem } from './core/model/errors';
export { ProfileSpec, ProfileType, LayerSpec, LayerSpecBase, LayerSlot, LayerKind, LayerValues, HelmLayerSpec, ManifestLayerSpec, ManifestSpec, PackLayerSpec, ZarfLayerSpec, RegistryIdentity } from './core/model/spec';
export { ProfileVariableSpec, VariableFormat, VariableOptionSpec, VARIABLE_FORMATS } from './core/model/spec';
export {
  ResolvedCluster, ResolvedProfile, ResolvedLayer, ResolvedLayerBase, ResolvedHelmLayer, ResolvedManifestLayer, ResolvedPackLayer, ResolvedZarfLayer, ResolvedRelease,
  LayerSettings, ManifestStrategy, ReadinessRule, Readiness, ManifestDocument, TemplatedManifest, ClusterVariable, VariableValue, VariableValidation, DEFAULT_TIMEOUT_SECONDS,
} from './core/model/resolved';
export {
  InstallPlan, PlannedTier, TierPriority, PlannedResource, PlannedResourceBase, ResourceType, PlannedRelease, PlannedManifestChart, PlannedManifest, PlannedNamespace,
  PlannedRetainedNamespace, PlannedNamespacePatch, PlannedGate, PlannedZarfPackage, PlannedReadinessCheck, PlannedLayerRelease, PlannedRole, KubectlWait, PlannedMove, SizeFinding, ManifestChart, ManifestChartFile,
} from './core/model/planned';
