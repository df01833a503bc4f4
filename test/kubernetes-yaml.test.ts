// Manifests and values are read as Kubernetes, kubectl and Helm read them (go-yaml v2 through
// sigs.k8s.io/yaml, YAML 1.1): every expected value here comes from that reader itself, run in Go
// (test/engines/go/k8s-yaml), never from the code under test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InstallPlan, ProfileError, planCluster } from '../src';
import { parseHelmYaml } from '../src/core/input/values-yaml';
import { PlannedManifestChart } from '../src/core/model/planned';
import { readAsKubernetes } from './engines/engines';
import { addOn, manifestLayer, widgetCrd } from './helpers';
import { hasLongNumber, writtenScalar } from './yaml-scalars';

const RANDOM_SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : Math.floor(Math.random() * 2 ** 31);

/** A Widget whose spec holds the scalar as a value, in a list, and as a key. */
function widget(value: string, key: string): string {
  return `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  value: ${value}\n  list: [${value}]\n  keys:\n    ${key}: k\n`;
}

/** The plan of a cluster with that Widget (and its CRD), with the given manifest strategy. */
function planWidget(text: string, strategy: 'chart' | 'manifest'): InstallPlan {
  return planCluster([
    addOn('p', [
      manifestLayer('crd', widgetCrd()),
      manifestLayer('w', text, `pack:\n  namespace: w\n  spectrocloud.com/install-priority: "1"\n  manifestStrategy: ${strategy}\n`),
    ]),
  ]);
}

/** The Widget's `spec` as the project delivers it: from the generated chart's file, or the kubernetes_manifest's object. */
function deliveredSpec(plan: InstallPlan, strategy: 'chart' | 'manifest'): unknown {
  if (strategy === 'chart') {
    const chart = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === 'w')!.manifestChart;
    const file = chart.files.find((f) => /^(files|crds)\/.*\.json$/.test(f.path) && f.content.includes('"Widget"'))!;
    return (JSON.parse(file.content) as { spec: unknown }).spec;
  }
  const manifest = plan.resources.find((r) => r.type === 'kubernetes_manifest' && r.layer === 'w') as unknown as { document: { object: { spec: unknown } } };
  return manifest.document.object.spec;
}

describe('manifests reach the cluster as Kubernetes reads them (YAML 1.1)', () => {
  it('delivers each generated scalar, as a value, in a list and as a key, exactly as sigs.k8s.io/yaml reads it, or refuses it', (t) => {
    for (const seed of [42, RANDOM_SEED]) {
      t.diagnostic(`fast-check seed ${seed}`);
      // GIVEN many pairs of scalars (value, key)
      const cases = fc.sample(fc.tuple(writtenScalar, writtenScalar), { seed, numRuns: 300 });
      const texts = cases.map(([value, key]) => widget(value, key));
      // WHEN Kubernetes' own reader reads each document, and the project plans it under both strategies
      const readings = readAsKubernetes(texts);
      texts.forEach((text, i) => {
        const reading = readings[i];
        for (const strategy of ['chart', 'manifest'] as const) {
          let delivered: unknown;
          let refused: ProfileError | undefined;
          try {
            delivered = deliveredSpec(planWidget(text, strategy), strategy);
          } catch (err) {
            if (!ProfileError.isProfileError(err)) throw err;
            refused = err;
          }
          // THEN what reaches the cluster is what Kubernetes reads; a text it cannot carry is refused
          const expected = 'json' in reading ? JSON.parse(reading.json, (_k, v) => v) : undefined;
          const exact = 'json' in reading && !hasLongNumber(reading.json);
          if (exact) {
            assert.equal(refused, undefined, `${strategy}: ${JSON.stringify(text)} was refused: ${refused?.message}`);
            assert.deepEqual(delivered, (expected as { spec: unknown }).spec, `${strategy}: ${JSON.stringify(text)}`);
          } else {
            assert.ok(refused !== undefined, `${strategy}: ${JSON.stringify(text)} was accepted as ${JSON.stringify(delivered)}; Kubernetes reads ${JSON.stringify(reading)}`);
          }
        }
      });
    }
  });

  it('reads the file modes of real packs as the API server does: 0400 is 256, 0644 is 420', () => {
    // GIVEN a Deployment mounting a Secret and a ConfigMap with octal modes, as packs write them
    const text = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: agent', 'spec:', '  selector: {matchLabels: {app: agent}}', '  template:',
      '    metadata: {labels: {app: agent}}', '    spec:', '      containers: [{name: agent, image: "agent:1.0"}]', '      volumes:',
      '        - name: key', '          secret: {secretName: agent-key, defaultMode: 0400}',
      '        - name: conf', '          configMap: {name: agent-conf, defaultMode: 0644}', '',
    ].join('\n');
    // WHEN planned as a generated chart
    const plan = planCluster([addOn('p', [manifestLayer('agent', text, 'pack:\n  namespace: agent\n')])]);
    const chart = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart')!.manifestChart;
    const delivered = JSON.parse(chart.files.find((f) => f.path.startsWith('files/'))!.content) as { spec: { template: { spec: { volumes: unknown } } } };
    // THEN the modes are Kubernetes' reading of the text
    const [reading] = readAsKubernetes([text]);
    assert.ok('json' in reading);
    const expected = JSON.parse(reading.json) as { spec: { template: { spec: { volumes: unknown } } } };
    assert.deepEqual(delivered.spec.template.spec.volumes, expected.spec.template.spec.volumes);
    assert.deepEqual(expected.spec.template.spec.volumes, [
      { name: 'key', secret: { secretName: 'agent-key', defaultMode: 256 } },
      { name: 'conf', configMap: { name: 'agent-conf', defaultMode: 420 } },
    ]);
  });

  it('refuses an integer beyond 2^53, naming the layer, manifest, document and path', () => {
    // GIVEN a Widget whose spec holds both
    const text = widget('12345678901234567890', 'k');
    // WHEN planned
    // THEN the message names where the value is and what to do
    assert.throws(() => planWidget(text, 'chart'), (err: unknown) => {
      assert.ok(ProfileError.isProfileError(err));
      assert.match(err.message, /^profile "p" layer "w" manifest "w": content is not valid YAML: document 1: spec\.list\[0\] "12345678901234567890" is an integer beyond 2\^53, which would not reach the cluster exact \(numbers are read as 64-bit floats on the way\); quote it if it is meant as a string$/m);
      return true;
    });
  });
});

describe('negative zero, as sigs.k8s.io/yaml reads it', () => {
  /** The float -0 twice (`-0.E+3` once failed the property test above), and the integer 0 written with a sign. */
  const ZEROS = ['-0.0', '-0.E+3', '-0'];

  it('reads -0.0 and -0.E+3 as the float -0 and -0 as the integer 0, as Kubernetes does, in values, lists and keys', () => {
    // GIVEN each scalar as a value, a list item and a key
    const texts = ZEROS.map((zero) => `value: ${zero}\nlist: [${zero}]\nkeys:\n  ${zero}: k\n`);
    // WHEN Kubernetes' reader and the project read them
    const expected = readAsKubernetes(texts).map((r) => JSON.parse((r as { json: string }).json) as unknown);
    // THEN both read -0 where Go's JSON says -0 (Go writes the key of a float -0 as "-0")
    assert.deepEqual(expected, [
      { value: -0, list: [-0], keys: { '-0': 'k' } },
      { value: -0, list: [-0], keys: { '-0': 'k' } },
      { value: 0, list: [0], keys: { '0': 'k' } },
    ]);
    assert.deepEqual(texts.map((text) => parseHelmYaml(text)), expected);
  });

  it('delivers them in a generated chart file as -0 and 0, as sigs.k8s.io/yaml writes them, and in a kubernetes_manifest object', () => {
    // GIVEN a Widget holding each scalar as a value, a list item and a key
    const texts = ZEROS.map((zero) => widget(zero, zero));
    const expected = readAsKubernetes(texts).map((r) => (JSON.parse((r as { json: string }).json) as { spec: unknown }).spec);
    for (const strategy of ['chart', 'manifest'] as const) {
      // WHEN planned with either strategy
      const delivered = texts.map((text) => deliveredSpec(planWidget(text, strategy), strategy));
      // THEN the spec is Kubernetes' reading, the float -0 included (JSON.stringify alone would write 0)
      assert.deepEqual(delivered, expected, strategy);
    }
    const chart = planWidget(texts[0], 'chart').resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart' && r.layer === 'w')!.manifestChart;
    const file = chart.files.find((f) => f.content.includes('"Widget"'))!;
    assert.match(file.content, /"list": \[\n {6}-0\n {4}\],\n {4}"value": -0\n/);
  });
});

describe('line breaks only YAML 1.1 knows', () => {
  for (const [name, char] of [['U+0085', '\u0085'], ['U+2028', '\u2028'], ['U+2029', '\u2029']] as const) {
    it(`refuses a raw ${name}, which Kubernetes reads as a line break, in a string and in a comment`, () => {
      // GIVEN a ConfigMap whose string holds the character, and one whose comment does
      const inString = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "one${char}two"}\n`;
      const inComment = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: one # note${char}b: injected\n`;
      // AND Kubernetes' reader turns the comment's tail into a top-level key of the object
      const [commentReading] = readAsKubernetes([inComment]);
      assert.ok('json' in commentReading);
      assert.deepEqual(JSON.parse(commentReading.json), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'one' }, b: 'injected' });
      // WHEN either is planned
      // THEN it is refused, naming layer, manifest, line and column and the escape to write instead
      const code = name.slice(2).toLowerCase();
      for (const [text, line, column] of [[inString, 5, 15], [inComment, 6, 16]] as const) {
        assert.throws(() => planCluster([addOn('p', [manifestLayer('c', text, 'pack:\n  namespace: c\n')])]), (err: unknown) => {
          assert.ok(ProfileError.isProfileError(err));
          assert.equal(
            err.message,
            `profile "p" layer "c" manifest "c": content is not valid YAML: ${name} at line ${line}, column ${column} may be read as a line break by the YAML 1.1 readers of Kubernetes and Helm, which changes the text or its structure; write it as the escape "\\u${code}" inside a double-quoted string`,
          );
          return true;
        });
      }
    });
  }

  it('refuses a raw U+0085 in a double-quoted string, which Kubernetes folds to a space', () => {
    // GIVEN a string holding U+0085
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "one\u0085two"}\n';
    // AND Kubernetes reads a space there
    const [reading] = readAsKubernetes([text]);
    assert.ok('json' in reading);
    assert.equal((JSON.parse(reading.json) as { data: { a: string } }).data.a, 'one two');
    // WHEN planned THEN it is refused
    assert.throws(() => planCluster([addOn('p', [manifestLayer('c', text, 'pack:\n  namespace: c\n')])]), /U\+0085 at line 5, column 15 may be read as a line break/);
  });

  it('accepts the escape, which Kubernetes reads as the character itself', () => {
    // GIVEN the string written with the escape
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "one\\u2028two"}\n';
    // WHEN planned
    const plan = planCluster([addOn('p', [manifestLayer('c', text, 'pack:\n  namespace: c\n')])]);
    // THEN the delivered value is Kubernetes' reading: the character itself
    const chart = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart')!.manifestChart;
    const delivered = JSON.parse(chart.files.find((f) => f.path.startsWith('files/'))!.content) as { data: { a: string } };
    const [reading] = readAsKubernetes([text]);
    assert.ok('json' in reading);
    assert.equal(delivered.data.a, (JSON.parse(reading.json) as { data: { a: string } }).data.a);
    assert.equal(delivered.data.a, 'one\u2028two');
  });
});

describe('values are read as Helm reads them (YAML 1.1)', () => {
  it('reads every generated scalar of a values text as sigs.k8s.io/yaml does, or refuses it', () => {
    // GIVEN values texts holding the scalars as values and keys
    const cases = fc.sample(fc.tuple(writtenScalar, writtenScalar), { seed: 42, numRuns: 300 });
    const texts = cases.map(([value, key]) => `value: ${value}\nlist: [${value}]\nkeys:\n  ${key}: k\n`);
    const readings = readAsKubernetes(texts);
    texts.forEach((text, i) => {
      const reading = readings[i];
      let parsed: unknown;
      let refused: Error | undefined;
      try {
        parsed = parseHelmYaml(text);
      } catch (err) {
        refused = err as Error;
      }
      // THEN the project's reading is Kubernetes' (compared as JSON), or the text is refused where Kubernetes cannot carry it exactly
      if ('json' in reading && !hasLongNumber(reading.json)) {
        assert.equal(refused, undefined, `${JSON.stringify(text)}: ${refused?.message}`);
        assert.deepEqual(parsed, JSON.parse(reading.json), JSON.stringify(text));
      } else {
        assert.ok(refused !== undefined, `${JSON.stringify(text)} accepted as ${JSON.stringify(parsed)}; Kubernetes reads ${JSON.stringify(reading)}`);
      }
    });
  });
});

describe('YAML alias bombs', () => {
  /** A text whose last alias expands to 9^levels values in about 100 bytes a level. */
  function aliasBomb(levels: number, indent = ''): string {
    const lines = [`${indent}a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
    for (let i = 1; i <= levels; i++) lines.push(`${indent}a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
    return lines.join('\n') + '\n';
  }

  for (const levels of [8, 9, 10]) {
    it(`refuses a ${levels}-level alias bomb in values and in a manifest within a second`, { timeout: 10_000 }, () => {
      // GIVEN the bomb as a layer's values, and inside a ConfigMap of a manifest layer
      const values = `pack:\n  namespace: bomb\n${aliasBomb(levels)}`;
      const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\nbomb:\n${aliasBomb(levels, '  ')}`;
      for (const [what, layer] of [
        ['values', { kind: 'helm' as const, name: 'bomb', version: '1.0.0', repository: 'https://charts.example.com', values }],
        ['manifest', manifestLayer('bomb', manifest, 'pack:\n  namespace: bomb\n')],
      ] as const) {
        // WHEN planned
        const started = process.hrtime.bigint();
        assert.throws(() => planCluster([addOn('p', [layer])]), (err: unknown) => {
          // THEN it is refused, naming the limit
          assert.ok(ProfileError.isProfileError(err), String(err));
          assert.match(err.message, /expands to more than 67108864 values and characters \(YAML aliases repeat what they name; the limit MAX_YAML_EXPANSION is fixed\)/);
          return true;
        });
        console.log(`# ${levels}-level alias bomb in ${what}: refused in ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
      }
    });
  }
});
