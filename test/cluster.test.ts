import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayerSpec, ProfileSpec, resolveCluster } from '../src';
import { addOn, helmLayer, manifestLayer, packValues } from './helpers';
import { profileErrorOf } from './synth-helpers';

/** The problem lines resolveCluster reports for these profiles. */
function problemsOf(profiles: readonly ProfileSpec[], registries?: Record<string, string>): string[] {
  return profileErrorOf(() => resolveCluster(profiles, { registries })).message.split('\n');
}

const NAMESPACE_FORM = "must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters";

function full(name: string, layers: LayerSpec[], source?: string): ProfileSpec {
  return { name, type: 'full', layers, source };
}

describe('resolveCluster: profiles', () => {
  it('accepts Palette\'s "cluster" type as a full profile and defaults the version to 1.0.0', () => {
    // GIVEN a profile of type "cluster" without a version
    // WHEN resolved
    const cluster = resolveCluster([{ name: 'base', type: 'cluster', layers: [helmLayer('a')] }]);
    // THEN it is a full profile at 1.0.0
    assert.deepEqual(cluster.profiles, [{ name: 'base', version: '1.0.0', type: 'full', description: undefined, source: undefined }]);
  });

  it('rejects no profiles at all', () => {
    // GIVEN an empty list
    // WHEN resolved
    // THEN the problem explains what a cluster takes
    assert.deepEqual(problemsOf([]), ['no profiles given: a cluster takes one infrastructure or full profile and any number of add-on profiles']);
  });

  it('rejects a second infrastructure or full profile', () => {
    // GIVEN two full profiles
    // WHEN resolved
    // THEN the second is named together with the first
    assert.deepEqual(problemsOf([full('one', [helmLayer('a')]), full('two', [helmLayer('b')])]), [
      'profile "two": type is "full", but profile "one" is already the cluster\'s full profile; a cluster takes one infrastructure or full profile',
    ]);
  });

  it('rejects an unknown profile type', () => {
    // GIVEN type "system"
    // WHEN resolved
    // THEN the accepted types are listed
    assert.deepEqual(problemsOf([{ name: 'x', type: 'system' as 'full', layers: [] }]), [
      'profile "x": type "system" must be one of "infra", "add-on", "full" (or Palette\'s "cluster")',
    ]);
  });

  it('rejects a version that is not major.minor.patch, naming the file', () => {
    // GIVEN version "1.0" in a profile read from a file
    // WHEN resolved
    // THEN the file, profile and field are named
    assert.deepEqual(problemsOf([{ name: 'x', version: '1.0', type: 'add-on', layers: [helmLayer('a')], source: 'x.json' }]), [
      'x.json: profile "x": version "1.0" must be a semantic version major.minor.patch, such as "1.0.0"',
    ]);
  });

  it('rejects the same profile given twice', () => {
    // GIVEN one add-on profile twice
    // WHEN resolved
    // THEN the profile and the layer clash are both reported
    assert.deepEqual(problemsOf([addOn('obs', [helmLayer('a')]), addOn('obs', [helmLayer('b')])]), [
      'profile "obs": name is given twice for one cluster; each profile may be applied once',
    ]);
  });
});

describe('resolveCluster: layers', () => {
  it('rejects a layer name used in two profiles, naming both profiles', () => {
    // GIVEN layer "grafana" in add-on profiles "obs" (from obs.json) and "team" (from team.json)
    const profiles: ProfileSpec[] = [
      { ...addOn('obs', [helmLayer('grafana')]), source: 'obs.json' },
      { ...addOn('team', [helmLayer('grafana')]), source: 'team.json' },
    ];
    // WHEN resolved
    // THEN the second occurrence names the first profile
    assert.deepEqual(problemsOf(profiles), [
      'team.json: profile "team" layer "grafana": name "grafana" is also a layer of profile "obs"; layer names must be unique within a cluster (they name the Terraform resources)',
    ]);
  });

  it('rejects an invalid namespace in the STYLE.md form', () => {
    // GIVEN layer "grafana" of profile "observability" in namespace "Grafana_NS"
    // WHEN resolved
    // THEN the message names profile, layer, field, value and the form
    assert.deepEqual(problemsOf([addOn('observability', [helmLayer('grafana', packValues('Grafana_NS'))])]), [
      `profile "observability" layer "grafana": pack.namespace "Grafana_NS" ${NAMESPACE_FORM}`,
    ]);
  });

  it('rejects a non-integer priority', () => {
    // GIVEN priority "1.5"
    // WHEN resolved
    // THEN the field and value are named
    assert.deepEqual(problemsOf([addOn('p', [helmLayer('a', packValues('a', '1.5'))])]), [
      'profile "p" layer "a": pack.spectrocloud.com/install-priority "1.5" must be an integer (negative, 0 or positive), as a number or a string such as "30"',
    ]);
  });

  it('rejects unparsable values', () => {
    // GIVEN values with a tab where indentation is expected
    // WHEN resolved
    // THEN the YAML reason with its position
    assert.deepEqual(problemsOf([addOn('p', [helmLayer('a', 'a:\n\t- b\n')])]), [
      'profile "p" layer "a": values is not valid YAML: tab characters must not be used in indentation at line 2, column 1',
    ]);
  });

  it('rejects an unknown layer kind', () => {
    // GIVEN a layer of kind "kustomize"
    const layer = { kind: 'kustomize', name: 'bundle', version: '1.0.0' } as unknown as LayerSpec;
    // WHEN resolved
    // THEN the accepted kinds are named
    assert.deepEqual(problemsOf([addOn('p', [layer])]), ['profile "p" layer "bundle": kind "kustomize" must be "helm", "manifest", "pack" or "zarf"']);
  });

  it('rejects an invalid layer name, naming its position', () => {
    // GIVEN a layer named "my layer"
    // WHEN resolved
    // THEN the position in the profile and the form are given
    assert.deepEqual(problemsOf([addOn('p', [helmLayer('ok'), helmLayer('my layer')])]), [
      `profile "p": layers[1].name "my layer" must be letters, digits, '-', '_' and '.', start and end with a letter or digit, and be at most 128 characters`,
    ]);
  });

  it('rejects a registry without a URL, listing the known registries', () => {
    // GIVEN a Helm layer from registry "Bitnami" while only "Jetstack" is known
    const layer = helmLayer('redis', undefined, { repository: undefined, registry: 'Bitnami' });
    // WHEN resolved
    // THEN the fix is spelled out
    assert.deepEqual(problemsOf([addOn('p', [layer])], { Jetstack: 'https://charts.jetstack.io' }), [
      'profile "p" layer "redis": registry "Bitnami" has no URL; pass --registry "Bitnami=URL" (known registries: "Jetstack")',
    ]);
  });

  it('takes the repository URL from the registry', () => {
    // GIVEN a Helm layer naming registry "Jetstack"
    const layer = helmLayer('cert-manager', undefined, { repository: undefined, registry: 'Jetstack' });
    // WHEN resolved with that registry
    const cluster = resolveCluster([addOn('p', [layer])], { registries: { Jetstack: 'https://charts.jetstack.io' } });
    // THEN the layer has its URL
    assert.equal(cluster.layers[0].kind === 'helm' && cluster.layers[0].repository, 'https://charts.jetstack.io');
  });

  it('rejects a Helm layer with neither repository nor registry', () => {
    // GIVEN no repository
    // WHEN resolved
    // THEN both ways to fix it are named
    assert.deepEqual(problemsOf([addOn('p', [helmLayer('a', undefined, { repository: undefined })])]), [
      'profile "p" layer "a": repository is missing: give the chart repository URL, or a registry name with its URL (--registry NAME=URL)',
    ]);
  });

  it('rejects a version train for a Helm chart', () => {
    // GIVEN version "1.x"
    // WHEN resolved
    // THEN an exact version is asked for
    assert.deepEqual(problemsOf([addOn('p', [helmLayer('a', undefined, { version: '1.x' })])]), [
      'profile "p" layer "a": version "1.x" must be an exact chart version such as "1.14.4" (a version train such as "1.x" is resolved by the CLI, or in code by resolveTrains() before planning)',
    ]);
  });

  it('rejects an add-on slot in an infrastructure profile and an infra slot in an add-on profile', () => {
    // GIVEN an infra profile with an add-on layer, and an add-on profile with a CNI layer
    const profiles: ProfileSpec[] = [
      { name: 'infra', type: 'infra', layers: [helmLayer('app')] },
      addOn('extras', [helmLayer('cilium', undefined, { slot: 'cni' })]),
    ];
    // WHEN resolved
    // THEN each is named with the slots its profile holds
    assert.deepEqual(problemsOf(profiles), [
      'profile "infra" layer "app": layer "addon" is not allowed in a profile of type "infra", which holds "os", "k8s", "cni", "csi" layers',
      'profile "extras" layer "cilium": layer "cni" is not allowed in a profile of type "add-on", which holds "addon" layers',
    ]);
  });

  it('rejects two layers in one infrastructure slot', () => {
    // GIVEN two CNI layers
    // WHEN resolved
    // THEN the second names the first
    assert.deepEqual(problemsOf([full('base', [helmLayer('cilium', undefined, { slot: 'cni' }), helmLayer('calico', undefined, { slot: 'cni' })])]), [
      'profile "base" layer "calico": layer "cni" is already filled by layer "cilium"; a cluster has one cni layer',
    ]);
  });

  it('rejects a timeout that is not a positive whole number', () => {
    // GIVEN timeoutSeconds 0
    // WHEN resolved
    // THEN the field and value are named
    assert.deepEqual(problemsOf([addOn('p', [helmLayer('a', undefined, { timeoutSeconds: 0 })])]), [
      'profile "p" layer "a": timeoutSeconds 0 must be a whole number of seconds greater than 0',
    ]);
  });

  it('rejects a chart generated from a layer\'s manifests whose release is another layer\'s, and a readiness rule naming no document, when resolving', () => {
    // GIVEN a Helm layer "operator" released as "widgets" in namespace "widgets", and a manifest layer
    // "widgets" there, whose generated chart takes the release name "widgets"
    const widget = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: w\n';
    const clash = [helmLayer('operator', packValues('widgets'), { chart: 'widgets' }), manifestLayer('widgets', widget, packValues('widgets'))];
    // WHEN resolved THEN the clash is named at the generated chart's layer, before anything is planned
    assert.deepEqual(problemsOf([addOn('apps', clash)]), [
      'profile "apps" layer "widgets": the Helm release "widgets" of the chart generated from its manifests, in namespace "widgets", is also the release of layer "operator"; rename one of the layers, or give this one another pack.namespace',
    ]);
    // GIVEN a manifest layer whose readiness rule names a kind none of its documents has
    const rule = manifestLayer('site', widget, packValues('site', undefined, '  readiness:\n    - {kind: Deployment, condition: Available}\n'));
    // WHEN resolved THEN the rule is named: it is a check of the layer
    assert.deepEqual(problemsOf([addOn('apps', [rule])]), [
      'profile "apps" layer "site": pack.readiness[0] names kind Deployment, but no manifest document of the layer is of that kind; pack.readiness applies to the layer\'s own manifest documents',
    ]);
  });

  it('rejects two layers making the same Helm release in one namespace', () => {
    // GIVEN two layers installing chart "redis" into "cache"
    const layers = [helmLayer('redis-a', packValues('cache'), { chart: 'redis' }), helmLayer('redis-b', packValues('cache'), { chart: 'redis' })];
    // WHEN resolved
    // THEN the second names the first and the fixes
    assert.deepEqual(problemsOf([addOn('p', layers)]), [
      'profile "p" layer "redis-b": release "redis" in namespace "cache" is also the release of layer "redis-a"; give one a pack.releaseNameOverride or another namespace',
    ]);
  });

  it('rejects two layers defining the same Kubernetes object', () => {
    // GIVEN ConfigMap "settings" in "default" from two layers
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';
    // WHEN resolved
    // THEN the second names the first, with manifest and document
    assert.deepEqual(problemsOf([addOn('p', [manifestLayer('one', cm), manifestLayer('two', cm)])]), [
      'profile "p" layer "two" manifest "two" document 1: ConfigMap "default/settings" is also defined by layer "one"; each Kubernetes object may be defined once',
    ]);
  });

  it('reports every problem of every profile at once', () => {
    // GIVEN three independent mistakes in two profiles
    const profiles = [
      addOn('a', [helmLayer('x', packValues('Bad'))]),
      addOn('b', [helmLayer('y', packValues('y', 'abc')), helmLayer('z', undefined, { version: 'latest' })]),
    ];
    // WHEN resolved
    const error = profileErrorOf(() => resolveCluster(profiles));
    // THEN all three, in input order, each with its location
    assert.deepEqual(
      error.problems.map((p) => [p.profile, p.layer, p.field]),
      [
        ['a', 'x', 'pack.namespace'],
        ['b', 'y', 'pack.spectrocloud.com/install-priority'],
        ['b', 'z', 'version'],
      ],
    );
  });
});

describe('resolveCluster: namespaces and cluster layers', () => {
  it('accepts os and k8s layers of any kind, which create no namespace', () => {
    // GIVEN os and k8s layers as registry packs with pack blocks naming namespaces
    const layers: LayerSpec[] = [
      { kind: 'pack', name: 'ubuntu', slot: 'os', version: '22.04', values: 'pack:\n  namespace: os-stuff\n' },
      { kind: 'pack', name: 'k3s', slot: 'k8s', version: '1.29.5' },
    ];
    // WHEN resolved
    const cluster = resolveCluster([full('base', layers)]);
    // THEN both are kept, with no namespace to create
    assert.deepEqual(
      cluster.layers.map((l) => [l.name, l.kind, l.slot, l.ownedNamespaces]),
      [
        ['ubuntu', 'pack', 'os', []],
        ['k3s', 'pack', 'k8s', []],
      ],
    );
  });

  it('never owns a system namespace, while still deploying into it', () => {
    // GIVEN a layer in kube-system with additional namespaces "default" and "tools"
    const layer = helmLayer('agent', 'pack:\n  namespace: kube-system\n  additionalNamespaces: [default, tools]\n');
    // WHEN resolved
    const [resolved] = resolveCluster([addOn('p', [layer])]).layers;
    // THEN it deploys into kube-system and owns only "tools"
    assert.equal(resolved.namespace, 'kube-system');
    assert.deepEqual(resolved.ownedNamespaces, ['tools']);
  });

  it('deploys a layer without a namespace into "default"', () => {
    // GIVEN no pack block
    // WHEN resolved
    const [resolved] = resolveCluster([addOn('p', [helmLayer('a')])]).layers;
    // THEN "default", owning nothing
    assert.equal(resolved.namespace, 'default');
    assert.deepEqual(resolved.ownedNamespaces, []);
  });
});
