import { HelmLayerSpec, ManifestLayerSpec, ProfileSpec } from '../src';

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
