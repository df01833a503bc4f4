import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LayerSpec, PlannedManifestChart, ProfileSpec, planCluster } from '../src';
import { main } from '../src/cli/main';
import { MacroContext, expandMacros } from '../src/core/macros';
import { isManifestChart } from '../src/core/manifest-strategy';
import { addOn, helmLayer, manifestLayer } from './helpers';
import { profileErrorOf } from './synth-helpers';

const BASE: ProfileSpec = {
  name: 'edge-base',
  version: '2.1.0',
  type: 'infra',
  layers: [
    { kind: 'pack', name: 'kubernetes', slot: 'k8s', version: '1.29.5', values: 'cluster:\n  podCIDR: 10.42.0.0/16\n  ports: [6443, 9345]\n' },
  ],
};

/** The values text of layer `name` after expanding macros. */
function expanded(profiles: ProfileSpec[], name: string, context: MacroContext = {}): unknown {
  const out = expandMacros(profiles, context);
  const layer = out.flatMap((p) => p.layers).find((l) => l.name === name) as LayerSpec;
  return layer.values;
}

function problemsOf(profiles: ProfileSpec[], context: MacroContext = {}): string[] {
  return profileErrorOf(() => expandMacros(profiles, context)).message.split('\n');
}

describe('macros: system macros', () => {
  it('expands the cluster name, the Kubernetes version and the layer\'s own profile', () => {
    // GIVEN an add-on layer using system macros
    const values = 'name: "{{ .spectro.system.cluster.name }}-app"\nk8s: {{.spectro.system.kubernetes.version}}\nfrom: {{.spectro.system.clusterprofile.name}}@{{.spectro.system.clusterprofile.version}}\ninfra: {{ .spectro.system.clusterprofile.infra.name }}\n';
    const profiles = [BASE, addOn('apps', [helmLayer('web', values)], '0.3.0')];
    // WHEN expanded for cluster edge-7
    // THEN each macro is replaced in the text, where it stood
    assert.equal(expanded(profiles, 'web', { clusterName: 'edge-7' }), 'name: "edge-7-app"\nk8s: 1.29.5\nfrom: apps@0.3.0\ninfra: edge-base\n');
  });

  it('leaves profiles without macros as they are', () => {
    const profiles = [addOn('apps', [helmLayer('web', 'a: 1\n')])];
    assert.equal(expandMacros(profiles)[0], profiles[0]);
  });

  it("leaves a chart's own templates and profile variables untouched", () => {
    const values = "podAnnotations:\n  checksum: '{{ include \"x\" . }}'\n  release: '{{ .Release.Name }}'\npassword: '{{.spectro.var.db_password}}'\n";
    assert.equal(expanded([addOn('apps', [helmLayer('web', values)])], 'web'), values);
  });

  it('expands macros in manifests before they are read, so a macro may name a namespace', () => {
    // GIVEN a manifest whose namespace is a user macro
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: {{ .spectro.macro.team }}\ndata:\n  cluster: {{.spectro.system.cluster.name}}\n';
    // WHEN planned
    const plan = planCluster([addOn('apps', [manifestLayer('cm', content)])], { clusterName: 'edge-7', macros: { team: 'payments' } });
    // THEN the layer's generated chart installs the object in that namespace with the expanded data
    const release = plan.resources.find((r): r is PlannedManifestChart => isManifestChart(r));
    assert.ok(release !== undefined);
    const objects = release.manifestChart.files.filter((f) => f.path.startsWith('files/')).map((f) => JSON.parse(f.content) as { metadata: unknown; data: unknown });
    assert.deepEqual(
      [release.address, release.forgets, objects.map((o) => [o.metadata, o.data])],
      ['helm_release.cm', ['kubernetes_manifest.cm--configmap--payments--settings'], [[{ name: 'settings', namespace: 'payments' }, { cluster: 'edge-7' }]]],
    );
  });

  it('expands macros in the pack: block, since they are known at synthesis', () => {
    const plan = planCluster([addOn('apps', [helmLayer('web', 'pack:\n  namespace: "{{ .spectro.macro.team }}-web"\n')])], { macros: { team: 'payments' } });
    assert.equal(plan.tiers[0].layers[0].namespace, 'payments-web');
  });

  it('expands macros in values given as objects, keys included', () => {
    const values = { labels: { '{{.spectro.macro.key}}': '{{ .spectro.system.cluster.name }}' } };
    assert.deepEqual(expanded([addOn('apps', [helmLayer('web', values)])], 'web', { clusterName: 'edge-7', macros: { key: 'site' } }), { labels: { site: 'edge-7' } });
  });
});

describe('macros: pack references', () => {
  it("reads a value of another layer's values by dotted path, list items by index", () => {
    const values = 'cidr: {{ .spectro.pack.kubernetes.cluster.podCIDR }}\napi: {{ .spectro.pack.kubernetes.cluster.ports.0 }}\n';
    assert.equal(expanded([BASE, addOn('apps', [helmLayer('web', values)])], 'web'), 'cidr: 10.42.0.0/16\napi: 6443\n');
  });

  it('reads the referenced layer after expanding its own macros', () => {
    const profiles = [addOn('apps', [helmLayer('db', 'host: "db.{{ .spectro.macro.domain }}"\n'), helmLayer('web', 'dbHost: {{ .spectro.pack.db.host }}\n')])];
    assert.equal(expanded(profiles, 'web', { macros: { domain: 'example.org' } }), 'dbHost: db.example.org\n');
  });

  it('takes the longest layer name that prefixes the reference (layer names may hold dots)', () => {
    const profiles = [addOn('apps', [helmLayer('db', 'v2:\n  host: short\n'), helmLayer('db.v2', 'host: long\n'), helmLayer('web', 'h: {{ .spectro.pack.db.v2.host }}\n')])];
    assert.equal(expanded(profiles, 'web'), 'h: long\n');
  });

  it('refuses a path the layer does not have, a map, and a cycle', () => {
    const profiles = [
      BASE,
      addOn('apps', [
        helmLayer('web', 'a: {{ .spectro.pack.kubernetes.cluster.nope }}\nb: {{ .spectro.pack.kubernetes.cluster }}\n'),
        helmLayer('x', 'v: {{ .spectro.pack.y.v }}\n'),
        helmLayer('y', 'v: {{ .spectro.pack.x.v }}\n'),
      ]),
    ];
    assert.deepEqual(problemsOf(profiles), [
      'profile "apps" layer "web": values macro {{ .spectro.pack.kubernetes.cluster.nope }} cannot be resolved: layer "kubernetes" has no value at "cluster.nope"',
      'profile "apps" layer "web": values macro {{ .spectro.pack.kubernetes.cluster }} cannot be resolved: layer "kubernetes" holds a map at "cluster"; a pack reference must name a single value',
      'profile "apps" layer "y": values pack references form a cycle: "x" -> "y" -> "x"',
    ]);
  });
});

describe('macros: user macros and functions', () => {
  it('pipes to upper, lower, title, trim, quote, squote and b64enc', () => {
    const values = 'a: {{ .spectro.macro.m | upper }}\nb: {{ .spectro.macro.m | lower }}\nc: {{ .spectro.macro.m | title }}\nd: {{ .spectro.macro.p | trim | quote }}\ne: {{ .spectro.macro.m | squote }}\nf: {{ .spectro.macro.m | b64enc }}\n';
    assert.equal(
      expanded([addOn('apps', [helmLayer('web', values)])], 'web', { macros: { m: 'eu west', p: '  x "y"  ' } }),
      "a: EU WEST\nb: eu west\nc: Eu West\nd: \"x \\\"y\\\"\"\ne: 'eu west'\nf: ZXUgd2VzdA==\n",
    );
  });

  it('uses default "value" for a macro that is unset or empty', () => {
    const values = 'a: {{ .spectro.macro.unset | default "none" }}\nb: {{ .spectro.macro.empty | default `fallback` | upper }}\n';
    assert.equal(expanded([addOn('apps', [helmLayer('web', values)])], 'web', { macros: { empty: '' } }), 'a: none\nb: FALLBACK\n');
  });

  it('names the macro and the layer when a macro cannot be resolved, instead of emptying it as Palette does', () => {
    const profiles = [addOn('apps', [helmLayer('web', 'region: {{ .spectro.macro.region }}\nname: {{ .spectro.system.cluster.name }}\n')])];
    assert.deepEqual(problemsOf(profiles, { macros: { zone: 'a' } }), [
      'profile "apps" layer "web": values macro {{ .spectro.macro.region }} cannot be resolved: user macro "region" is not defined; pass --macro region=VALUE or list it in --macro-file (defined: "zone")',
      'profile "apps" layer "web": values macro {{ .spectro.system.cluster.name }} cannot be resolved: the cluster\'s name is not known; pass --cluster-name NAME (the CLI defaults to the stack name) or clusterName',
    ]);
  });

  it('refuses unsupported functions, system macros without meaning here, trim markers and pipes on variables', () => {
    const values = [
      'a: {{ .spectro.macro.m | replace "a" "b" }}',
      'b: {{ .spectro.system.cloudaccount.name }}',
      'c: {{- .spectro.macro.m }}',
      "d: '{{ .spectro.var.v | upper }}'",
      'e: {{ if .spectro.macro.m }}x{{ end }}',
    ].join('\n');
    assert.deepEqual(problemsOf([addOn('apps', [helmLayer('web', values)])], { macros: { m: 'x' } }), [
      'profile "apps" layer "web": values macro {{ .spectro.macro.m | replace "a" "b" }} pipes to "replace \\"a\\" \\"b\\"", which is not supported; supported: upper, lower, title, trim, quote, squote, b64enc, b64dec, default "value"',
      'profile "apps" layer "web": values macro {{ .spectro.system.cloudaccount.name }} cannot be resolved: system macro "cloudaccount.name" has no meaning for a Terraform-managed cluster; supported: cluster.name, kubernetes.version, clusterprofile.name, clusterprofile.version, clusterprofile.infra.name, clusterprofile.infra.version; use a user macro (.spectro.macro.<name>) for anything else',
      'profile "apps" layer "web": values macro {{- .spectro.macro.m }} uses trim markers ({{- -}}), which are not supported in .spectro expressions; remove the \'-\'',
      'profile "apps" layer "web": values profile variable {{ .spectro.var.v | upper }} is piped to a function; variables are set by Terraform at plan time, so pipes on them are not supported',
      'profile "apps" layer "web": values macro {{ if .spectro.macro.m }} is not supported: write {{ .spectro.<name> }}, optionally piped to upper, lower, title, trim, quote, squote, b64enc, b64dec, default',
    ]);
  });
});

describe('macros: bounds on hostile input', () => {
  it('refuses a user macro named after an Object.prototype member', () => {
    // GIVEN a values text naming user macro "constructor", which the caller never defined
    const profiles = [addOn('apps', [helmLayer('web', 'a: {{.spectro.macro.constructor}}\n')])];
    // WHEN expanded with one user macro, "zone"
    // THEN it is an unresolved macro, not the text of Object's constructor
    assert.deepEqual(problemsOf(profiles, { macros: { zone: 'z1' } }), [
      'profile "apps" layer "web": values macro {{.spectro.macro.constructor}} cannot be resolved: user macro "constructor" is not defined; pass --macro constructor=VALUE or list it in --macro-file (defined: "zone")',
    ]);
  });

  it('stops a chain of references that doubles a value at the size limit', () => {
    // GIVEN 40 layers, each value twice the previous layer's value
    const layers = [helmLayer('l0', 'v: xxxxxxxxxxxxxxxx\n')];
    for (let i = 1; i <= 40; i++) layers.push(helmLayer(`l${i}`, `v: {{ .spectro.pack.l${i - 1}.v }}{{ .spectro.pack.l${i - 1}.v }}\n`));
    // WHEN expanded
    // THEN the first layer to pass 1 MiB is refused, naming the size limit
    assert.deepEqual(problemsOf([addOn('apps', layers)]), [
      'profile "apps" layer "l16": values grows beyond 1048576 characters (the size limit) when macro {{ .spectro.pack.l15.v }} is expanded; pack references that repeat a value at each step grow it exponentially',
    ]);
  });

  it('stops a 1,000-layer chain of references at the depth limit instead of overflowing the stack', () => {
    // GIVEN 1,000 layers, each naming the next one's value
    const layers = [];
    for (let i = 0; i < 999; i++) layers.push(helmLayer(`l${i}`, `v: {{ .spectro.pack.l${i + 1}.v }}\n`));
    layers.push(helmLayer('l999', 'v: end\n'));
    // WHEN expanded
    // THEN the first problem names the depth limit and where the chain passed it
    const problems = problemsOf([addOn('apps', layers)]);
    assert.equal(problems[0], 'profile "apps" layer "l63": values pack references nest deeper than 64 layers (the depth limit) at "l64": "l0" -> "l1" -> "l2" -> ... -> "l64"');
  });
});

describe('macros: the CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-macros-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('takes --macro, --macro-file and --cluster-name, defaulting the cluster name to the stack name', async () => {
    // GIVEN a profile using a user macro from a file, one from a flag, and the cluster name
    const file = join(scratch, 'apps.json');
    const values = 'region: {{ .spectro.macro.region }}\nzone: {{ .spectro.macro.zone }}\ncluster: {{ .spectro.system.cluster.name }}\n';
    writeFileSync(file, JSON.stringify({ metadata: { name: 'apps' }, spec: { version: '1.0.0', template: { type: 'add-on', packs: [{ name: 'web', type: 'helm', layer: 'addon', version: '1.0.0', repository: 'https://charts.example.com', values }] } } }));
    const macroFile = join(scratch, 'macros.yaml');
    writeFileSync(macroFile, 'region: eu-west-1\nzone: a\n');
    const release = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'stacks', 'edge-7', 'cdk.tf.json'), 'utf8')).resource.helm_release.web.values;
    const quiet = (): void => undefined;
    // WHEN synthesized with stack edge-7, the file, and a flag overriding one macro
    const a = join(scratch, 'a');
    assert.equal(await main(['synth', '--out', a, '--stack', 'edge-7', '--macro-file', macroFile, '--macro', 'zone=b', file], quiet, quiet), 0);
    // THEN the flag wins over the file and the cluster is named after the stack
    assert.deepEqual(release(a), ['region: eu-west-1\nzone: b\ncluster: edge-7\n']);
    // WHEN --cluster-name is given, THEN it wins over the stack name
    const b = join(scratch, 'b');
    assert.equal(await main(['synth', '--out', b, '--stack', 'edge-7', '--cluster-name', 'shop-eu', '--macro-file', macroFile, file], quiet, quiet), 0);
    assert.deepEqual(release(b), ['region: eu-west-1\nzone: a\ncluster: shop-eu\n']);
  });
});
