import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LayerSpec, PlannedManifestChart, ProfileSpec, planCluster } from '../src';
import { main } from '../src/cli/main';
import { ProblemList, formatProblem } from '../src/core/model/errors';
import { expandMacros, expandMacrosWithWarnings } from '../src/core/resolve/macros';
import { MacroContext } from '../src/core/model/resolve-options';
import { loadProfileFiles } from '../src/core/input/load';
import { addOn, helmLayer, manifestLayer } from './helpers';
import { readAsKubernetes, renderWithSprig } from './engines/engines';
import { REPO, profileErrorOf } from './synth-helpers';

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
    const release = plan.resources.find((r): r is PlannedManifestChart => r.role === 'manifest-chart');
    assert.ok(release !== undefined);
    const objects = release.manifestChart.files.filter((f) => f.path.startsWith('files/')).map((f) => JSON.parse(f.content) as { metadata: unknown; data: unknown });
    assert.deepEqual(
      [release.address, release.forgets, objects.map((o) => [o.metadata, o.data])],
      ['helm_release.cm', ['kubernetes_manifest.cm--configmap--payments--settings'], [[{ name: 'settings', namespace: 'payments' }, { cluster: 'edge-7' }]]],
    );
  });

  it('expands macros in manifests attached to a Helm layer', () => {
    // GIVEN a Helm layer with an attached Secret naming the cluster
    const attached = { name: 'credentials', content: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: admin\nstringData:\n  cluster: "{{ .spectro.system.cluster.name }}"\n' };
    const profiles = [addOn('apps', [helmLayer('grafana', 'a: 1\n', { manifests: [attached] })])];
    // WHEN expanded for cluster edge-7
    const layer = expandMacros(profiles, { clusterName: 'edge-7' })[0].layers[0] as { manifests?: { content: string }[] };
    // THEN the attached manifest holds the cluster's name
    assert.equal(layer.manifests?.[0].content, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: admin\nstringData:\n  cluster: "edge-7"\n');
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

  it('gives the value the referenced layer delivers, read as Helm reads it (0644 is 420, yes is true)', () => {
    // GIVEN a layer whose values hold a YAML 1.1 octal and boolean, and a layer referring to both
    const source = 'mode: 0644\nenabled: yes\n';
    const [reading] = readAsKubernetes([source]);
    const helm = JSON.parse((reading as { json: string }).json) as { mode: number; enabled: boolean };
    const profiles = [addOn('apps', [helmLayer('secrets', source), helmLayer('web', 'defaultMode: {{ .spectro.pack.secrets.mode }}\nmetrics: {{ .spectro.pack.secrets.enabled }}\n')])];
    // WHEN expanded
    // THEN the references give what Helm reads from the referenced layer
    assert.deepEqual(helm, { mode: 420, enabled: true });
    assert.equal(expanded(profiles, 'web'), `defaultMode: ${helm.mode}\nmetrics: ${helm.enabled}\n`);
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
      'profile "apps" layer "y": values pack references form a cycle: apps/x/v -> apps/y/v -> apps/x/v',
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

  it('refuses unsupported functions, system macros without meaning here, trim markers and untranslatable pipes on variables', () => {
    const values = [
      'a: {{ .spectro.macro.m | nospace }}',
      'b: {{ .spectro.system.cloudaccount.name }}',
      'c: {{- .spectro.macro.m }}',
      "d: '{{ .spectro.var.v | substr 0 4 }}'",
      'e: {{ if .spectro.macro.m }}x{{ end }}',
    ].join('\n');
    assert.deepEqual(problemsOf([addOn('apps', [helmLayer('web', values)])], { macros: { m: 'x' } }), [
      'profile "apps" layer "web": values macro {{ .spectro.macro.m | nospace }} calls "nospace", which is not a supported function; supported: upper, lower, title, trim, trimPrefix "PREFIX", trimSuffix "SUFFIX", replace "OLD" "NEW", substr START END, trunc COUNT, default "VALUE", quote, squote, b64enc, b64dec, toString',
      'profile "apps" layer "web": values macro {{ .spectro.system.cloudaccount.name }} cannot be resolved: system macro "cloudaccount.name" has no meaning for a Terraform-managed cluster; supported: cluster.name, kubernetes.version, clusterprofile.name, clusterprofile.version, clusterprofile.infra.name, clusterprofile.infra.version; use a user macro (.spectro.macro.<name>) for anything else',
      'profile "apps" layer "web": values macro {{- .spectro.macro.m }} uses trim markers ({{- -}}), which are not supported in .spectro expressions; remove the \'-\'',
      'profile "apps" layer "web": values profile variable {{ .spectro.var.v | substr 0 4 }} is piped to substr, which has no Terraform equivalent: Sprig\'s substr counts bytes and fails when START is past the end, while Terraform\'s substr counts characters (grapheme clusters) and clips, so they differ on non-ASCII values and short values; use a user macro ({{ .spectro.macro.NAME | substr ... }}, known at synthesis) instead',
      'profile "apps" layer "web": values macro {{ if .spectro.macro.m }} uses the template keyword "if", which is not supported around a .spectro name',
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
    assert.equal(problems[0], 'profile "apps" layer "l63": values pack references nest deeper than 64 values (the depth limit) at apps/l64/v: apps/l0/v -> apps/l1/v -> apps/l2/v -> ... -> apps/l64/v');
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

describe('macros: pack references, value by value', () => {
  it("resolves a reference to the layer's own values, through a key that holds dots", () => {
    // GIVEN an OS layer whose image names two of its own options, one under the key "system.registry"
    const values = 'options:\n  registry: ttl.sh\n  system.registry: quay.example.io\nimage:\n  repository: "{{ .spectro.pack.edge-native-byoi.options.registry }}/ubuntu"\n  mirror: "{{ .spectro.pack.edge-native-byoi.options.system.registry }}"\n';
    const profiles = [addOn('edge', [helmLayer('edge-native-byoi', values)])];
    // WHEN expanded
    // THEN each reference is replaced by the layer's own value
    assert.equal(expanded(profiles, 'edge-native-byoi'), 'options:\n  registry: ttl.sh\n  system.registry: quay.example.io\nimage:\n  repository: "ttl.sh/ubuntu"\n  mirror: "quay.example.io"\n');
  });

  it('follows references back and forth between two layers when no value depends on itself', () => {
    // GIVEN layer a naming a value of b, which names another value of a
    const profiles = [addOn('apps', [helmLayer('a', 'host: "{{ .spectro.pack.b.url }}"\ndomain: example.org\n'), helmLayer('b', 'url: "api.{{ .spectro.pack.a.domain }}"\n')])];
    // WHEN expanded
    // THEN both layers resolve
    assert.deepEqual([expanded(profiles, 'a'), expanded(profiles, 'b')], ['host: "api.example.org"\ndomain: example.org\n', 'url: "api.example.org"\n']);
  });

  it('reports a value that depends on itself once, naming the chain of value paths', () => {
    // GIVEN two values of one layer naming each other, and a third value naming the first
    const values = 'a: "{{ .spectro.pack.web.b }}"\nb: "x-{{ .spectro.pack.web.a }}"\nc: "{{ .spectro.pack.web.a }}"\n';
    // WHEN expanded
    // THEN one problem names the chain from the first value met
    assert.deepEqual(problemsOf([addOn('apps', [helmLayer('web', values)])]), [
      'profile "apps" layer "web": values pack references form a cycle: apps/web/a -> apps/web/b -> apps/web/a',
    ]);
  });

  it('refuses a path that reads two ways, naming both', () => {
    // GIVEN options holding both the key "system.registry" and the map system: {registry}
    const os = helmLayer('os', 'options:\n  system.registry: a.example\n  system:\n    registry: b.example\n');
    const profiles = [addOn('edge', [os, helmLayer('web', 'registry: "{{ .spectro.pack.os.options.system.registry }}"\n')])];
    // WHEN expanded
    // THEN the reference is refused, naming both readings
    assert.deepEqual(problemsOf(profiles), [
      'profile "edge" layer "web": values macro {{ .spectro.pack.os.options.system.registry }} cannot be resolved: layer "os" has two values at "options.system.registry": options["system.registry"] and options.system.registry; rename one of the keys',
    ]);
  });

  it('resolves references inside values given as a map', () => {
    // GIVEN values written as an object, one value naming another of the same layer
    const values = { image: { registry: 'ttl.sh', repository: '{{ .spectro.pack.web.image.registry }}/web' } };
    // WHEN expanded THEN the reference is the sibling's value
    assert.deepEqual(expanded([addOn('apps', [helmLayer('web', values)])], 'web'), { image: { registry: 'ttl.sh', repository: 'ttl.sh/web' } });
  });

  it('keeps a profile variable inside a referenced value for Terraform', () => {
    // GIVEN a value holding a profile variable, named by another value
    const values = 'host: "{{ .spectro.var.region }}.example.org"\nurl: "https://{{ .spectro.pack.web.host }}"\n';
    // WHEN expanded THEN the variable is carried into the referring value as written
    assert.equal(expanded([addOn('apps', [helmLayer('web', values)])], 'web'), 'host: "{{ .spectro.var.region }}.example.org"\nurl: "https://{{ .spectro.var.region }}.example.org"\n');
  });
});

describe('macros: macros in YAML comments', () => {
  it('substitutes a macro in a comment where it resolves, without a warning', () => {
    // GIVEN a comment naming the cluster
    const profiles = [addOn('apps', [helmLayer('web', '# deployed on {{ .spectro.system.cluster.name }}\nreplicas: 2\n')])];
    // WHEN expanded for cluster edge-7
    const out = expandMacrosWithWarnings(profiles, { clusterName: 'edge-7' }, new ProblemList());
    // THEN the comment is expanded as text, as Palette does, and nothing is reported
    assert.deepEqual([out.profiles[0].layers[0].values, out.warnings], ['# deployed on edge-7\nreplicas: 2\n', []]);
  });

  it('leaves unresolved macros in comments as written, with one warning per layer', () => {
    // GIVEN a layer whose comments use two undefined macros, one of them twice
    const values = '# region: {{ .spectro.macro.region }}\nreplicas: 2\n# zone: {{ .spectro.macro.zone }} in {{ .spectro.macro.region }}\n';
    // WHEN expanded
    const out = expandMacrosWithWarnings([addOn('apps', [helmLayer('web', values)])], {}, new ProblemList());
    // THEN the text is unchanged and one warning names both macros
    assert.equal(out.profiles[0].layers[0].values, values);
    assert.deepEqual(out.warnings.map(formatProblem), [
      'profile "apps" layer "web": values macros {{ .spectro.macro.region }}, {{ .spectro.macro.zone }} stand in YAML comments and cannot be resolved; they are left as written (a comment does not reach the cluster)',
    ]);
  });

  it('reads a "#" line inside a block scalar as content, not as a comment', () => {
    // GIVEN a script value whose first line starts with '#' and holds an undefined macro
    const values = 'script: |\n  # {{ .spectro.macro.region }}\n  echo ok\n';
    // WHEN expanded THEN the macro is content, and unresolved is an error
    assert.deepEqual(problemsOf([addOn('apps', [helmLayer('web', values)])]), [
      'profile "apps" layer "web": values macro {{ .spectro.macro.region }} cannot be resolved: user macro "region" is not defined; pass --macro region=VALUE or list it in --macro-file (defined: none)',
    ]);
  });

  it('leaves an unresolved macro in a manifest comment, and the plan carries the warning', () => {
    // GIVEN a manifest with a commented-out label naming an undefined macro
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  # labels: {site: "{{ .spectro.macro.site }}"}\ndata:\n  a: "1"\n';
    // WHEN planned
    const plan = planCluster([addOn('apps', [manifestLayer('cm', content)])]);
    // THEN planning succeeds and the plan warns once, naming the manifest
    assert.deepEqual((plan.warnings ?? []).map(formatProblem), [
      'profile "apps" layer "cm" manifest "cm": content macro {{ .spectro.macro.site }} stands in a YAML comment and cannot be resolved; it is left as written (a comment does not reach the cluster)',
    ]);
  });
});

describe('macros: each problem once', () => {
  it('reports an undefined macro used in six places of one layer once', () => {
    // GIVEN six values naming the same undefined macro, and another layer naming one of those values
    const values = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `${k}: "{{ .spectro.macro.site }}-${k}"`).join('\n');
    const profiles = [addOn('apps', [helmLayer('web', values), helmLayer('api', 'site: "{{ .spectro.pack.web.a }}"\n')])];
    // WHEN expanded THEN one problem is reported
    assert.deepEqual(problemsOf(profiles), [
      'profile "apps" layer "web": values macro {{ .spectro.macro.site }} cannot be resolved: user macro "site" is not defined; pass --macro site=VALUE or list it in --macro-file (defined: none)',
    ]);
  });
});

describe('macros: real pack patterns (test/corpus/palette-packs)', () => {
  const PACKS = join(REPO, 'test', 'corpus', 'palette-packs');
  /** The layer's expanded values as Kubernetes and Helm read them (sigs.k8s.io/yaml). */
  const readExpanded = (file: string, layer: string, context: MacroContext = {}): unknown => read(expanded(loadProfileFiles([join(PACKS, file)]), layer, context) as string);
  const read = (text: string): unknown => {
    const [reading] = readAsKubernetes([text]);
    if ('error' in reading) throw new Error(reading.error);
    return JSON.parse(reading.json);
  };

  it('edge OS pack: the image names its own dotted options and the Kubernetes version, across folded lines', () => {
    // GIVEN the edge export: system.uri built from five of the layer's own system.* options and the k8s version
    // WHEN expanded and read as Kubernetes reads it
    const values = readExpanded('edge-byoi.json', 'edge-native-byoi') as { pack: { content: { images: { image: string }[] } }; options: Record<string, unknown> };
    // THEN the image and system.uri are the provider image's full name
    const uri = 'harbor.edge.example/opensuse-leap:rke2-1.30.4-v4.5.3-store-0042';
    assert.deepEqual([values.pack.content.images[0].image, values.options['system.uri']], [uri, uri]);
  });

  it('edge OS pack: another layer names an option of the OS layer inside a block scalar', () => {
    const values = readExpanded('edge-byoi.json', 'edge-rke2') as { cluster: { config: string } };
    assert.equal(values.cluster.config, 'profile: cis\nnode-label:\n  - "edge.example/image=opensuse-leap"\n');
  });

  it('EKS pack: clientConfig names the same layer\'s OIDC provider', () => {
    const values = readExpanded('eks-oidc.json', 'kubernetes-eks') as { clientConfig: Record<string, string> };
    assert.deepEqual(values.clientConfig, { 'oidc-issuer-url': 'https://sso.corp.example/oauth2', 'oidc-client-id': 'eks-admins', 'oidc-extra-scope': 'profile,email' });
  });

  it('EKS pack: references in commented-out lines leave the plan with one warning, and the values as written', async () => {
    // GIVEN the stock EKS values, whose OIDC lines are commented out
    const file = join(PACKS, 'eks-commented.json');
    const out: string[] = [];
    const err: string[] = [];
    // WHEN planned by the CLI
    const code = await main(['plan', file], (l) => out.push(l), (l) => err.push(l));
    // THEN it succeeds with one warning naming both macros
    assert.deepEqual([code, err], [0, [
      `cluster-profiles plan: warning: ${file}: profile "eks-base" layer "kubernetes-eks": values macros {{ .spectro.pack.kubernetes-eks.managedControlPlane.oidcIdentityProvider.issuerUrl }}, {{ .spectro.pack.kubernetes-eks.managedControlPlane.oidcIdentityProvider.clientId }} stand in YAML comments and cannot be resolved; they are left as written (a comment does not reach the cluster)`,
    ]]);
    const raw = loadProfileFiles([file])[0].layers[0].values;
    assert.equal(expanded(loadProfileFiles([file]), 'kubernetes-eks'), raw);
  });

  it('WordPress: a reference gives the value Helm reads (0640 is 416, no is false), in plain and quoted places', () => {
    // GIVEN a backup layer naming the WordPress layer's scheme, namespace, port, a YAML 1.1 boolean and an octal mode
    const source = read(loadProfileFiles([join(PACKS, 'wordpress.json')])[0].layers[0].values as string) as { charts: { wordpress: { multisite: { enable: unknown }; persistence: { fileMode: unknown } } } };
    // WHEN expanded and read as Kubernetes reads it
    const values = readExpanded('wordpress.json', 'wordpress-backup') as { target: Record<string, unknown> };
    // THEN plain places hold what Helm reads in the WordPress layer, and a quoted place that value's text
    const wp = source.charts.wordpress;
    assert.deepEqual([wp.multisite.enable, wp.persistence.fileMode], [false, 416]);
    assert.deepEqual(values.target, { url: 'http://wordpress.blog.svc:80', multisite: wp.multisite.enable, fileMode: wp.persistence.fileMode, fileModeText: String(wp.persistence.fileMode) });
  });
});

describe('macros: each problem once, at the CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cluster-profiles-macros-once-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints an undefined macro used in six places, and named through a reference, once', async () => {
    // GIVEN an export whose OS layer uses an undefined macro in six values, one of them named by the k8s layer
    const os = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `${k}: "{{ .spectro.macro.site }}-${k}"`).join('\n');
    const file = join(scratch, 'edge.json');
    writeFileSync(file, JSON.stringify({ metadata: { name: 'edge' }, spec: { version: '1.0.0', template: { type: 'infra', packs: [
      { name: 'os', type: 'spectro', layer: 'os', version: '1.0.0', values: os },
      { name: 'k8s', type: 'spectro', layer: 'k8s', version: '1.30.4', values: 'site: "{{ .spectro.pack.os.a }}"\n' },
    ] } } }));
    for (const command of ['plan', 'synth']) {
      const err: string[] = [];
      // WHEN planned and synthesized
      const code = await main([command, ...(command === 'synth' ? ['--out', join(scratch, 'out')] : []), file], () => undefined, (l) => err.push(l));
      // THEN the problem is printed once
      assert.deepEqual([code, err], [1, [
        `cluster-profiles ${command}: 1 problem in the profiles; nothing was written:`,
        `  ${file}: profile "edge" layer "os": values macro {{ .spectro.macro.site }} cannot be resolved: user macro "site" is not defined; pass --macro site=VALUE or list it in --macro-file (defined: none)`,
      ]]);
    }
  });
});
describe('macros: Sprig pipelines of real packs', () => {
  it('expands a pack values fixture exactly as Go text/template with Sprig renders it', () => {
    // GIVEN pack values with the pipelines Spectro Cloud's packs write (test/fixtures/sprig)
    const values = readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'sprig', 'pack-values.yaml'), 'utf8');
    const macros = { owner: 'платформа team', token: 'só', note: '  \t ', team: '' };
    // WHEN expanded for cluster "edge_7" on Kubernetes 1.29.5
    const ours = expanded([BASE, addOn('storage', [helmLayer('longhorn', values)])], 'longhorn', { clusterName: 'edge_7', macros });
    // THEN the text is what Sprig renders over the same macros (region is unset: its default applies)
    const [sprig] = renderWithSprig([{ template: values, data: { spectro: { system: { kubernetes: { version: '1.29.5' }, cluster: { name: 'edge_7' } }, macro: macros } } }]);
    assert.deepEqual(sprig, { out: ours, utf8: true });
    assert.match(ours as string, /enforce-version=v1\.29"/);
  });

  it('names the macro, the layer and the reason when Sprig would fail', () => {
    // GIVEN a substr past the end of the Kubernetes version and a b64dec of text that is not base64
    const values = 'a: {{ .spectro.system.kubernetes.version | substr 2 10 | substr 4 2 }}\nb: {{ .spectro.macro.m | b64dec }}\n';
    // WHEN expanded
    // THEN each is refused, naming the function and the value
    assert.deepEqual(problemsOf([BASE, addOn('apps', [helmLayer('web', values)])], { macros: { m: 'x' } }), [
      'profile "apps" layer "web": values macro {{ .spectro.system.kubernetes.version | substr 2 10 | substr 4 2 }}: substr: 4 2 is out of range for "29.5" (4 bytes): Sprig slices s[4:2], which panics',
      'profile "apps" layer "web": values macro {{ .spectro.macro.m | b64dec }}: b64dec: "x" is not base64 (Sprig would write the text of its error, such as "illegal base64 data at input byte 0", in its place)',
    ]);
  });
});
