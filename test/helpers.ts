import { HelmLayerSpec, ManifestLayerSpec, ProfileSpec } from '../src';
import { ProfileError } from '../src/core/model/errors';

/** A Helm layer with sensible test defaults. */
export function helmLayer(name: string, values?: HelmLayerSpec['values'], extra: Partial<HelmLayerSpec> = {}): HelmLayerSpec {
  return { kind: 'helm', name, version: '1.0.0', repository: 'https://charts.example.com', values, ...extra };
}

/** A manifest layer with one manifest. */
export function manifestLayer(name: string, content: string, values?: ManifestLayerSpec['values'], extra: Partial<ManifestLayerSpec> = {}): ManifestLayerSpec {
  return { kind: 'manifest', name, manifests: [{ name, content }], values, ...extra };
}

/** An add-on profile. */
export function addOn(name: string, layers: ProfileSpec['layers'], version = '1.0.0'): ProfileSpec {
  return { name, version, type: 'add-on', layers };
}

/** `pack:` values setting a namespace and a priority. */
export function packValues(namespace: string | undefined, priority?: number | string, rest = ''): string {
  const lines = ['pack:'];
  if (namespace !== undefined) lines.push(`  namespace: ${namespace}`);
  if (priority !== undefined) lines.push(`  spectrocloud.com/install-priority: "${priority}"`);
  return `${lines.join('\n')}\n${rest}`;
}

/** The error `fn` throws, of the class `is` recognises (`what` names it); fails the test when it throws nothing or something else. */
export function thrownBy<E>(fn: () => unknown, is: (err: unknown) => err is E, what: string): E {
  try {
    fn();
  } catch (err) {
    if (is(err)) return err;
    throw new Error(`expected a ${what}, got ${String(err)}`);
  }
  throw new Error(`expected a ${what}, but nothing was thrown`);
}

/** The ProfileError `fn` throws; fails the test when it throws nothing or something else. */
export function profileErrorOf(fn: () => unknown): ProfileError {
  return thrownBy(fn, ProfileError.isProfileError, 'ProfileError');
}

/** The messages of the ProfileError `fn` throws, one line per problem. */
export function problemsOf(fn: () => unknown): string[] {
  return profileErrorOf(fn).message.split('\n');
}

/** The CustomResourceDefinition of kind Widget (`widgets.example.com`, group example.com, version v1), as YAML. */
export function widgetCrd(scope: 'Namespaced' | 'Cluster' = 'Namespaced'): string {
  return [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: widgets.example.com',
    'spec:',
    '  group: example.com',
    `  scope: ${scope}`,
    '  names: {kind: Widget, plural: widgets}',
    '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]',
    '',
  ].join('\n');
}
