// Values that this library writes again for Helm (a pack layer's chart values merged over the
// pack's defaults; values it cannot cut the pack: block out of as text) must reach Helm with the
// types Helm would have read from the user's text. Expected values come from Kubernetes' own reader
// (sigs.k8s.io/yaml, run in Go: test/engines/go/k8s-yaml), never from the code under test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InstallPlan, ProfileError, planCluster } from '../src';
import { PlannedRelease } from '../src/core/model/planned';
import { PackCatalog } from '../src/core/model/catalog';
import { readAsKubernetes } from './engines/engines';
import { addOn, helmLayer } from './helpers';
import { hasLongNumber, writtenScalar } from './yaml-scalars';

const RANDOM_SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : Math.floor(Math.random() * 2 ** 31);

const CATALOG: PackCatalog = {
  registries: [],
  packs: [{ name: 'app', version: '1.0.0', charts: [{ name: 'app', version: '1.0.0', repository: 'https://charts.example.com' }], manifests: [], values: {}, presets: [] }],
};

/** The values of the layer's one release, as the plan hands them to Helm. */
function releaseValues(plan: InstallPlan): string {
  const release = plan.resources.find((r): r is PlannedRelease => r.type === 'helm_release');
  return release?.values ?? '';
}

/** Two ways values are written again: a registry pack's chart values, and a flow-style values map whose pack: block cannot be cut as text. */
const ROUTES = {
  'a registry pack layer': (inner: string): { plan: () => InstallPlan; expected: string } => ({
    plan: () => planCluster([addOn('p', [{ kind: 'pack', name: 'app', version: '1.0.0', values: `charts:\n  app:\n${inner.replace(/^/gm, '    ')}` }])], { catalog: CATALOG }),
    expected: inner,
  }),
  'a flow-style values map with a pack: block': (inner: string): { plan: () => InstallPlan; expected: string } => ({
    plan: () => planCluster([addOn('p', [helmLayer('app', `{pack: {namespace: app}, ${inner.trim().split('\n').join(', ')}}`, { repository: 'https://charts.example.com' })])]),
    expected: inner,
  }),
};

describe('Helm values written again keep the types Helm reads from the text', () => {
  for (const [route, build] of Object.entries(ROUTES)) {
    it(`through ${route}: each generated scalar, as a value, in a list and as a key, reaches Helm as sigs.k8s.io/yaml reads the user's text, or is refused`, (t) => {
      for (const seed of [42, RANDOM_SEED]) {
        t.diagnostic(`fast-check seed ${seed}`);
        // GIVEN values holding a generated scalar as a value, in a list and as a key
        const cases = fc.sample(fc.tuple(writtenScalar, writtenScalar), { seed, numRuns: 200 });
        const inners = cases.map(([value, key]) => `value: ${value}\nlist: [${value}]\nkeys: {${key}: k}\n`);
        const built = inners.map(build);
        // WHEN planned, and Kubernetes' reader reads both the user's text and the values handed to Helm
        const written = built.map(({ plan }) => {
          try {
            return { values: releaseValues(plan()) };
          } catch (err) {
            if (!ProfileError.isProfileError(err)) throw err;
            return { refused: err.message };
          }
        });
        const meant = readAsKubernetes(built.map((b) => b.expected));
        const delivered = readAsKubernetes(written.map((w) => ('values' in w ? (w.values as string) : '')));
        built.forEach(({ expected }, i) => {
          const reading = meant[i];
          const outcome = written[i];
          // THEN Helm reads what it would have read from the user's text; what it cannot carry exactly is refused
          if ('json' in reading && !hasLongNumber(reading.json)) {
            assert.ok('values' in outcome, `${JSON.stringify(expected)} was refused: ${outcome.refused}`);
            const got = delivered[i];
            assert.ok('json' in got, `${JSON.stringify(outcome.values)}: ${JSON.stringify(got)}`);
            assert.deepEqual(JSON.parse(got.json), JSON.parse(reading.json), `${JSON.stringify(expected)} was handed to Helm as ${JSON.stringify(outcome.values)}`);
          } else {
            assert.ok('refused' in outcome, `${JSON.stringify(expected)} was accepted as ${JSON.stringify(outcome.values)}; Kubernetes reads ${JSON.stringify(reading)}`);
          }
        });
      }
    });
  }
});

describe('negative zero in Helm values written again', () => {
  for (const [route, build] of Object.entries(ROUTES)) {
    it(`through ${route}: -0.0 and -0.E+3 reach Helm as the float -0, -0 as the integer 0`, () => {
      // GIVEN values holding each as a value, in a list and as a key
      const built = ['-0.0', '-0.E+3', '-0'].map((zero) => build(`value: ${zero}\nlist: [${zero}]\nkeys: {${zero}: k}\n`));
      // WHEN planned, and Kubernetes' reader reads both the user's text and the values handed to Helm
      const meant = readAsKubernetes(built.map((b) => b.expected)).map((r) => JSON.parse((r as { json: string }).json) as unknown);
      const delivered = readAsKubernetes(built.map((b) => releaseValues(b.plan()))).map((r) => JSON.parse((r as { json: string }).json) as unknown);
      // THEN Helm reads what it would have read from the user's text (JavaScript alone writes -0 as 0, an integer for Helm)
      assert.deepEqual(meant, [
        { value: -0, list: [-0], keys: { '-0': 'k' } },
        { value: -0, list: [-0], keys: { '-0': 'k' } },
        { value: 0, list: [0], keys: { '0': 'k' } },
      ]);
      assert.deepEqual(delivered, meant);
    });
  }
});
