import { PackCatalog } from './catalog';
import { VariableValue } from './resolved';

/**
 * What resolving a cluster's profiles takes besides the profiles: defined here once, and passed
 * unchanged from the constructs (`ClusterProfilesProps`, `ClusterStackProps` and `ClusterFleetProps`
 * extend it) and from the CLI (`readResolveOptions`) to `resolveCluster`. A new option is added to
 * `ResolveOptions` and to `combineResolveOptions`; the compiler asks for the second.
 */

/** What macros expand to for one cluster (see resolve/macros.ts). */
export interface MacroContext {
  /**
   * The cluster's name, for `{{ .spectro.system.cluster.name }}`.
   * @default - the macro is an error
   */
  readonly clusterName?: string;
  /**
   * User macros by name, for `{{ .spectro.macro.NAME }}`.
   * @default - no user macros
   */
  readonly macros?: Readonly<Record<string, string>>;
}

/** This cluster's values of the profiles' variables (see resolve/variables.ts). */
export interface VariableOptions {
  /**
   * Values for this cluster (`--var`, `--var-file`). When given, every required variable that is
   * not sensitive must have a value here or a default. Sensitive variables may not be given: their
   * values are never written, Terraform asks for them at plan time.
   * @default - no values: the stack asks Terraform for them
   */
  readonly variableValues?: Readonly<Record<string, VariableValue>>;
}

/**
 * Options for resolving a cluster's profiles. `clusterName` and `macros` expand Palette macros
 * (see macros.ts); `variableValues` are this cluster's profile variable values (see variables.ts).
 */
export interface ResolveOptions extends MacroContext, VariableOptions {
  /**
   * Registry name (or uid) to repository URL, for Helm layers that name a registry instead of a
   * URL. These entries win over the catalog's registries.
   * @default - no registries
   */
  readonly registries?: Readonly<Record<string, string>>;
  /**
   * The pack catalog: what registry packs outside the os and k8s slots deploy. Its registries with a
   * URL serve Helm layers too; `registries` entries win over the catalog's.
   * @default - no catalog: registry packs only in the os and k8s slots
   */
  readonly catalog?: PackCatalog;
}

/** Every key of `T`, each to be given (its value may still be undefined). */
type EveryKey<T> = { readonly [K in keyof Required<T>]: T[K] };

/**
 * The options of `over` over those of `base`: maps (registries, macros, variable values) merge
 * name by name, `over`'s entry winning; any other option of `over` replaces `base`'s when given. A
 * map stays undefined when neither gives it (given variable values, even none, make every required
 * variable need a value).
 */
export function combineResolveOptions(base: ResolveOptions, over: ResolveOptions): EveryKey<ResolveOptions> {
  return {
    registries: mergedMap(base.registries, over.registries),
    catalog: over.catalog ?? base.catalog,
    clusterName: over.clusterName ?? base.clusterName,
    macros: mergedMap(base.macros, over.macros),
    variableValues: mergedMap(base.variableValues, over.variableValues),
  };
}

function mergedMap<V>(base: Readonly<Record<string, V>> | undefined, over: Readonly<Record<string, V>> | undefined): Readonly<Record<string, V>> | undefined {
  return base === undefined && over === undefined ? undefined : { ...base, ...over };
}
