import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClusterProfilesProps, LayerSpec, ProfileError, ProfileSpec, planCluster } from '../src';
import { main } from '../src/cli/main';
import { addOn, helmLayer, manifestLayer, problemsOf } from './helpers';
import { REPO, synth } from './synth-helpers';

/** The keys every plain object inherits, or that set its prototype. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const;

/** A map with `key` as an own key, even `__proto__` (JSON.parse makes it an own property). */
function mapWith<T>(key: string, value: T): Record<string, T> {
  return JSON.parse(JSON.stringify({ [`${key}\u0000`]: value }).replace('\\u0000', '')) as Record<string, T>;
}

const CONFIGMAP = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`;

/** One way to use a name: the profiles (and options) that put `key` in that place. */
const PLACES: Record<string, (key: string) => { profiles: ProfileSpec[]; props?: Partial<ClusterProfilesProps> }> = {
  profile: (key) => ({ profiles: [addOn(key, [helmLayer('web', 'pack:\n  namespace: web\n')])] }),
  layer: (key) => ({ profiles: [addOn('p', [helmLayer(key, 'pack:\n  namespace: web\n')])] }),
  manifest: (key) => ({ profiles: [addOn('p', [{ ...manifestLayer('m', CONFIGMAP('cm'), 'pack:\n  namespace: web\n'), manifests: [{ name: key, content: CONFIGMAP('cm') }] }])] }),
  namespace: (key) => ({ profiles: [addOn('p', [helmLayer('web', `pack:\n  namespace: ${key}\n`)])] }),
  'label key': (key) => ({ profiles: [addOn('p', [helmLayer('web', `pack:\n  namespace: web\n  namespaceLabels:\n    web: "${key}=v"\n`)])] }),
  'label target': (key) => ({ profiles: [addOn('p', [helmLayer('web', `pack:\n  namespace: web\n  namespaceLabels:\n    "${key}": "a=v"\n`)])] }),
  'release name override': (key) => ({ profiles: [addOn('p', [helmLayer('web', `pack:\n  namespace: web\n  releaseNameOverride:\n    "${key}": web\n`)])] }),
  variable: (key) => ({
    profiles: [{ ...addOn('p', [helmLayer('web', `pack:\n  namespace: web\nx: "{{.spectro.var.${key}}}"\n`)]), variables: [{ name: key, defaultValue: 'd' }] }],
    props: { variableValues: mapWith(key, 'given') },
  }),
  'undefined variable value': (key) => ({ profiles: [addOn('p', [helmLayer('web', 'pack:\n  namespace: web\n')])], props: { variableValues: mapWith(key, 'given') } }),
  'unknown registry': (key) => ({ profiles: [addOn('p', [helmLayer('web', 'pack:\n  namespace: web\n', { repository: undefined, registry: key })])] }),
  'known registry': (key) => ({
    profiles: [addOn('p', [helmLayer('web', 'pack:\n  namespace: web\n', { repository: undefined, registry: key })])],
    props: { registries: mapWith(key, 'https://charts.example.com') },
  }),
  'undefined macro': (key) => ({ profiles: [addOn('p', [helmLayer('web', `pack:\n  namespace: web\nx: "{{.spectro.macro.${key}}}"\n`)])] }),
  macro: (key) => ({ profiles: [addOn('p', [helmLayer('web', 'pack:\n  namespace: web\nx: "{{.spectro.macro.m}}"\n')])], props: { macros: { ...mapWith(key, 'v'), m: 'v' } } }),
  preset: (key) => ({ profiles: [addOn('p', [{ kind: 'pack', name: 'web', version: '1.0.0', presets: [key] } as LayerSpec])] }),
  chart: (key) => ({ profiles: [addOn('p', [helmLayer('web', 'pack:\n  namespace: web\n', { chart: key })])] }),
};

describe('names that are object-prototype keys', () => {
  for (const key of PROTOTYPE_KEYS) {
    for (const [place, make] of Object.entries(PLACES)) {
      it(`works or is refused with a ProfileError: ${JSON.stringify(key)} as a ${place}`, () => {
        // GIVEN profiles using the key as that kind of name
        const { profiles, props } = make(key);
        // WHEN synthesized
        let text: string | undefined;
        try {
          text = synth(profiles, props).text;
        } catch (err) {
          // THEN a refusal is a ProfileError, never a crash of the library or of cdktf
          assert.equal(ProfileError.isProfileError(err), true, `not a ProfileError: ${(err as Error)?.stack}`);
          return;
        }
        // THEN an accepted configuration holds no function text taken from Object.prototype
        assert.equal(text.includes('[native code]'), false);
      });
    }
  }
});

describe('the prototype-key cases found by hand', () => {
  it('creates a namespace named constructor', () => {
    // GIVEN a layer deploying into namespace "constructor" WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('web', 'pack:\n  namespace: constructor\n')])]);
    // THEN the namespace resource is there under its own name
    assert.equal(json.resource.kubernetes_namespace_v1.constructor.metadata.name, 'constructor');
  });

  it('installs a layer named toString under its own release name', () => {
    // GIVEN a Helm layer named toString (its release name is the chart's, web) WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('toString', 'pack:\n  namespace: web\n', { chart: 'web' })])]);
    // THEN its release is helm_release.toString, named after the chart
    assert.equal(json.resource.helm_release.toString.name, 'web');
  });

  it('refuses an unknown registry named constructor, naming the known ones', () => {
    // GIVEN a layer naming registry "constructor", which no option defines
    const profiles = [addOn('p', [helmLayer('web', 'pack:\n  namespace: web\n', { repository: undefined, registry: 'constructor' })])];
    // WHEN synthesized THEN refused like any unknown registry
    assert.deepEqual(problemsOf(() => synth(profiles, { registries: { R: 'https://charts.example.com' } })), [
      'profile "p" layer "web": registry "constructor" has no URL; pass --registry "constructor=URL" (known registries: "R")',
    ]);
  });

  it('labels and annotates one system namespace from one layer', () => {
    // GIVEN one layer setting both labels and annotations on kube-system WHEN synthesized
    const { json } = synth([addOn('p', [helmLayer('web', 'pack:\n  namespace: web\n  namespaceLabels:\n    kube-system: a=b\n  namespaceAnnotations:\n    kube-system: c=d\n')])]);
    // THEN both patches are there, at their own addresses
    assert.deepEqual(json.resource.kubernetes_labels['web--kube-system'].labels, { a: 'b' });
    assert.deepEqual(json.resource.kubernetes_annotations['web--kube-system'].annotations, { c: 'd' });
  });

  it('gives a variable named constructor its own default when the values given do not name it', () => {
    // GIVEN a profile variable "constructor" with default "x", used by a manifest
    const layer = manifestLayer('m', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  v: "{{.spectro.var.constructor}}"\n');
    const profile: ProfileSpec = { ...addOn('p', [layer]), variables: [{ name: 'constructor', defaultValue: 'x' }] };
    // WHEN planned with variable values that name no variable (a plain object, as an app passes it)
    const [variable] = planCluster([profile], { variableValues: {} }).variables;
    // THEN its default is its own, not Object.prototype.constructor's text
    assert.deepEqual([variable.name, variable.default], ['constructor', 'x']);
  });

  it('takes --var __proto__=1 as a variable name, not as the prototype', async () => {
    // GIVEN --var __proto__=1 for profiles that define no variable
    const err: string[] = [];
    // WHEN planned THEN the name is reported as unknown, like any other
    const code = await main(['plan', '--registry', 'Charts=https://charts.example.com', '--var', '__proto__=1', join(REPO, 'test', 'fixtures', 'web-platform.json')], () => undefined, (l) => err.push(l));
    assert.deepEqual({ code, err }, { code: 1, err: ['cluster-profiles plan: 1 problem in the profiles; nothing was written:', '  --var __proto__ names no variable of the cluster\'s profiles (defined: none)'] });
  });
});
