import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterStack, LayerSpec, ProfileSpec, ZarfLayerSpec, formatPaletteExport, formatPlan, parsePaletteExport, planCluster } from '../src';
import { addOn, helmLayer, packValues } from './helpers';
import { TfJson, profileErrorOf, synth, testApp } from './synth-helpers';

/** A Zarf layer with test defaults: podinfo 6.4.0 from an OCI registry, in namespace podinfo at priority 20. */
function zarfLayer(values: string = packValues('podinfo', 20), extra: Partial<ZarfLayerSpec> = {}): ZarfLayerSpec {
  return { kind: 'zarf', name: 'podinfo', version: '6.4.0', package: 'oci://ghcr.io/acme/packages/podinfo', values, ...extra };
}

function cluster(...layers: LayerSpec[]): ProfileSpec[] {
  return [addOn('apps', layers)];
}

/** The synthesized `terraform_data` of the Zarf layer podinfo. */
function zarfResource(json: TfJson): TfJson {
  return json.resource.terraform_data['zarf--podinfo'];
}

const DEPLOY = {
  'local-exec': {
    command: 'zarf package deploy oci://ghcr.io/acme/packages/podinfo:6.4.0 --confirm --timeout 600s',
    interpreter: ['/bin/sh', '-c'],
  },
};
const REMOVE = {
  'local-exec': {
    command: 'zarf package remove oci://ghcr.io/acme/packages/podinfo:6.4.0 --confirm',
    interpreter: ['/bin/sh', '-c'],
    when: 'destroy',
  },
};

describe('Zarf layers: synthesized resource', () => {
  it('deploys with zarf package deploy on create and removes with zarf package remove on destroy', () => {
    // GIVEN a Zarf layer from an OCI reference without a tag
    // WHEN synthesized
    const { json } = synth(cluster(zarfLayer()));
    // THEN one terraform_data runs both commands, its version appended as the tag, and every input that changes the deployment replaces it
    assert.deepEqual(zarfResource(json), {
      depends_on: ['kubernetes_namespace_v1.podinfo'],
      provisioner: [DEPLOY, REMOVE],
      triggers_replace: { components: [], package: 'oci://ghcr.io/acme/packages/podinfo:6.4.0', variables: {}, version: '6.4.0' },
    });
  });

  it('passes components and variables, each variable through the environment', () => {
    // GIVEN components (one deselected) and variables of several types
    const values = `${packValues('podinfo', 20)}variables:\n  REPLICAS: 2\n  DEBUG: true\n  GREETING: hello world\ncomponents: [podinfo, "-tests"]\n`;
    // WHEN synthesized
    const deploy = zarfResource(synth(cluster(zarfLayer(values))).json).provisioner[0]['local-exec'];
    // THEN the command names them in a fixed order and the values come from the environment
    assert.deepEqual(deploy, {
      command: 'zarf package deploy oci://ghcr.io/acme/packages/podinfo:6.4.0 --confirm --components podinfo,-tests --set-variables "$ZARF_SET_DEBUG" --set-variables "$ZARF_SET_GREETING" --set-variables "$ZARF_SET_REPLICAS" --timeout 600s',
      environment: { ZARF_SET_DEBUG: 'DEBUG=true', ZARF_SET_GREETING: 'GREETING=hello world', ZARF_SET_REPLICAS: 'REPLICAS=2' },
      interpreter: ['/bin/sh', '-c'],
    });
  });

  it('keeps values with quotes, commas, equals signs and Terraform template sequences intact', () => {
    // GIVEN values that Zarf's flag parser, the shell or Terraform would otherwise change
    const values = `${packValues('podinfo')}variables:\n  NOTE: 'it''s "fine", really'\n  QUERY: "a=1,b=\\"2\\""\n  TEMPLATE: "\${HOME} and %{x}"\n`;
    // WHEN synthesized
    const deploy = zarfResource(synth(cluster(zarfLayer(values))).json).provisioner[0]['local-exec'];
    // THEN a value without '=' goes as is, one with '=' as a quoted CSV field, and ${ and %{ are escaped for Terraform
    assert.deepEqual(deploy.environment, {
      ZARF_SET_NOTE: 'NOTE=it\'s "fine", really',
      ZARF_SET_QUERY: '"QUERY=a=1,b=""2"""',
      ZARF_SET_TEMPLATE: 'TEMPLATE=$${HOME} and %%{x}',
    });
  });

  it('shell-quotes a tarball path and component list that need it, and removes by package name when given', () => {
    // GIVEN a local tarball in a folder with a space and a quote, and the package's name
    const layer = zarfLayer(`${packValues('podinfo')}components: ["web*"]\n`, { package: "/srv/zarf packages/it's/zarf-package-podinfo-amd64-6.4.0.tar.zst", packageName: 'podinfo' });
    // WHEN synthesized
    const resource = zarfResource(synth(cluster(layer)).json);
    // THEN the path is one single-quoted word and the removal needs neither the tarball nor a registry
    assert.equal(resource.provisioner[0]['local-exec'].command, "zarf package deploy '/srv/zarf packages/it'\\''s/zarf-package-podinfo-amd64-6.4.0.tar.zst' --confirm --components 'web*' --timeout 600s");
    assert.equal(resource.provisioner[1]['local-exec'].command, 'zarf package remove podinfo --confirm');
  });

  it('turns a profile variable in a Zarf variable into a Terraform reference', () => {
    // GIVEN a Zarf variable set from the profile variable replicas
    const values = `${packValues('podinfo')}variables:\n  REPLICAS: "{{.spectro.var.replicas}}"\n`;
    const profiles = [{ ...addOn('apps', [zarfLayer(values)]), variables: [{ name: 'replicas', format: 'number' as const, defaultValue: 2 }] }];
    // WHEN synthesized
    const resource = zarfResource(synth(profiles).json);
    // THEN Terraform sets the value, and a change of it replaces the deployment
    assert.deepEqual(resource.provisioner[0]['local-exec'].environment, { ZARF_SET_REPLICAS: 'REPLICAS=${var.replicas}' });
    assert.deepEqual(resource.triggers_replace.variables, { REPLICAS: '${var.replicas}' });
  });

  it('takes the layer\'s tier: after the previous tier\'s gate and its namespace, before its own gate', () => {
    // GIVEN a Helm layer at priority 10 and the Zarf layer at 20
    const { json, full } = synth(cluster(helmLayer('web', packValues('web', 10)), zarfLayer()));
    // THEN the Zarf resource waits for the priority-10 gate and its namespace, and the priority-20 gate waits for it
    assert.deepEqual(zarfResource(json).depends_on, ['kubernetes_namespace_v1.podinfo', 'terraform_data.tier_10']);
    assert.deepEqual(json.resource.terraform_data.tier_20.depends_on, ['kubernetes_namespace_v1.podinfo', 'terraform_data.tier_10', 'terraform_data.zarf--podinfo']);
    // AND its construct path names the layer
    assert.equal(full.resource.terraform_data['zarf--podinfo']['//'].metadata.path, 'test/cluster/layers/podinfo/zarf--podinfo');
  });

  it('gives the Zarf CLI the stack\'s kubeconfig through the resource\'s own input', () => {
    // GIVEN a ClusterStack reaching its cluster with a kubeconfig
    const app = testApp();
    const stack = new ClusterStack(app, 'edge', { profiles: cluster(zarfLayer()), kubeconfigPath: '/etc/kube/edge.yaml' });
    // WHEN synthesized
    const resource = zarfResource(JSON.parse(JSON.stringify(stack.toTerraform())) as TfJson);
    // THEN both commands get KUBECONFIG from self.input, the only thing a destroy-time provisioner may read
    assert.deepEqual(resource.input, { kubeconfig: '${pathexpand(var.kubeconfig_path)}' });
    assert.deepEqual(resource.provisioner[0]['local-exec'].environment, { KUBECONFIG: '${self.input.kubeconfig}' });
    assert.deepEqual(resource.provisioner[1]['local-exec'].environment, { KUBECONFIG: '${self.input.kubeconfig}' });
  });

  it('refuses a kubeconfig context, which the Zarf CLI cannot select', () => {
    // GIVEN a ClusterStack with a context and a Zarf layer
    // WHEN built THEN the layer and the way out are named
    assert.throws(() => new ClusterStack(testApp(), 'edge', { profiles: cluster(zarfLayer()), kubeContext: 'edge' }), {
      message: 'ClusterStack "edge": Zarf layers (podinfo) run the Zarf CLI, which reaches the cluster through a kubeconfig\'s current context, not kubeContext; use kubeconfigPath alone (a kubeconfig whose current context is this cluster), or set zarfKubeconfig',
    });
  });
});

describe('Zarf layers: sources', () => {
  it('builds the reference from a registry, the package name and the version', () => {
    // GIVEN a layer naming a registry, as a Palette export does
    const layer = zarfLayer(undefined, { package: undefined, registry: 'Zarf Packages' });
    // WHEN planned with the registry's URL
    const plan = planCluster(cluster(layer), { registries: { 'Zarf Packages': 'oci://registry.example.com/zarf/' } });
    // THEN the reference is the URL, the layer's name and the version
    const planned = plan.resources.find((r) => r.address === 'terraform_data.zarf--podinfo');
    assert.equal(planned?.role === 'zarf-package' ? planned.deployCommand : undefined, 'zarf package deploy oci://registry.example.com/zarf/podinfo:6.4.0 --confirm --timeout 600s');
  });

  it('keeps a reference that has the version as its tag, or a digest', () => {
    // GIVEN references with a matching tag and with a digest
    const digest = `oci://ghcr.io/acme/podinfo@sha256:${'a'.repeat(64)}`;
    const tagged = planCluster(cluster(zarfLayer(undefined, { package: 'oci://registry:5000/acme/podinfo:6.4.0' })));
    const pinned = planCluster(cluster(zarfLayer(undefined, { package: digest })));
    // THEN they are deployed as given
    const triggers = (plan: typeof tagged): unknown => plan.resources.flatMap((r) => (r.role === 'zarf-package' ? [r.triggers.package] : []));
    assert.deepEqual(triggers(tagged), ['oci://registry:5000/acme/podinfo:6.4.0']);
    assert.deepEqual(triggers(pinned), [digest]);
  });

  it('reports every problem of a Zarf layer at once, naming the field', () => {
    // GIVEN a tag that differs from the version, a bad variable name, a bad component and an unknown setting
    const values = `${packValues('podinfo')}variables:\n  replicas: 2\ncomponents: [Web App]\nchart: podinfo\n`;
    const layer = zarfLayer(values, { package: 'oci://ghcr.io/acme/podinfo:6.3.0' });
    // WHEN planned
    const err = profileErrorOf(() => planCluster(cluster(layer)));
    // THEN each is named
    assert.deepEqual(err.message.split('\n'), [
      'profile "apps" layer "podinfo": package "oci://ghcr.io/acme/podinfo:6.3.0" has tag "6.3.0", but the layer\'s version is "6.4.0"; give the reference without a tag (the version is appended) or make them agree',
      'profile "apps" layer "podinfo": values.chart is not a Zarf layer setting; a Zarf layer\'s values hold pack:, variables: and components:',
      'profile "apps" layer "podinfo": values.variables.replicas is not a Zarf variable name: upper-case letters, digits and \'_\' (Zarf upper-cases names itself, so write them as the package defines them)',
      'profile "apps" layer "podinfo": values.components[0] "Web App" must be a component name (lower-case letters, digits, \'-\'), optionally with \'*\' globs or a leading \'-\' to deselect',
    ]);
  });

  it('refuses packages over https, registries that are not OCI, and a value Zarf would cut', () => {
    // GIVEN three broken layers
    const https = zarfLayer(undefined, { name: 'a', package: 'https://example.com/zarf-package-a-amd64-1.0.0.tar.zst' });
    const helmRegistry = zarfLayer(undefined, { name: 'b', package: undefined, registry: 'Charts' });
    const quoted = zarfLayer(`${packValues('c')}variables:\n  TITLE: 'say "hi"'\n`, { name: 'c' });
    // WHEN planned
    const err = profileErrorOf(() => planCluster(cluster(https, helmRegistry, quoted), { registries: { Charts: 'https://charts.example.com' } }));
    // THEN each is explained
    assert.deepEqual(err.message.split('\n'), [
      'profile "apps" layer "a": package "https://example.com/zarf-package-a-amd64-1.0.0.tar.zst": only OCI references (oci://) and local package tarballs are supported; Zarf needs a checksum for packages over https, so publish the package to an OCI registry or download it',
      'profile "apps" layer "b": registry "Charts" has URL "https://charts.example.com"; Zarf packages come from OCI registries, so its URL must start with oci://',
      'profile "apps" layer "c": values.variables.TITLE "say \\"hi\\"" ends with a double quote, which Zarf\'s --set-variables parser strips from a value without \'=\'; drop or move the quote',
    ]);
  });

  it('refuses a Zarf layer in a slot that deploys nothing', () => {
    // GIVEN a Zarf layer in the os slot of a full profile
    const profiles: ProfileSpec[] = [{ name: 'base', type: 'full', layers: [zarfLayer(undefined, { slot: 'os' })] }];
    // WHEN planned THEN the slot is named
    assert.equal(profileErrorOf(() => planCluster(profiles)).message, 'profile "base" layer "podinfo": kind is "zarf", but the os slot describes the cluster and deploys nothing; put the Zarf layer in the addon, cni or csi slot');
  });
});

describe('Zarf layers: files and plans', () => {
  it('reads type "zarf" from a Palette export', () => {
    // GIVEN an export with a Zarf pack naming its registry
    const text = JSON.stringify({
      metadata: { name: 'apps' },
      spec: { version: '1.0.0', template: { type: 'add-on', packs: [{ name: 'podinfo', type: 'zarf', layer: 'addon', version: '6.4.0', values: 'components: [podinfo]\n', registry: { metadata: { name: 'Zarf Packages' } } }] } },
    });
    // WHEN parsed THEN it is a Zarf layer
    assert.deepEqual(parsePaletteExport(text, 'apps.json').layers, [
      { name: 'podinfo', slot: 'addon', values: 'components: [podinfo]\n', kind: 'zarf', version: '6.4.0', registry: 'Zarf Packages' },
    ]);
  });

  it('writes Zarf layers back into an export that reads back the same', () => {
    // GIVEN Zarf layers with a package reference and with a registry
    const layers: LayerSpec[] = [
      zarfLayer('components: [podinfo]\n', { packageName: 'podinfo' }),
      zarfLayer(undefined, { name: 'db', version: '1.0.0', package: undefined, registry: 'Zarf Packages' }),
    ];
    // WHEN exported and parsed again
    const again = parsePaletteExport(formatPaletteExport({ name: 'apps', version: '1.0.0', type: 'add-on', layers }), 'apps.json');
    // THEN the layers are the same
    assert.deepEqual(again.layers, [
      { name: 'podinfo', slot: 'addon', values: 'components: [podinfo]\n', kind: 'zarf', version: '6.4.0', package: 'oci://ghcr.io/acme/packages/podinfo', packageName: 'podinfo' },
      { name: 'db', slot: 'addon', values: 'pack:\n  namespace: podinfo\n  spectrocloud.com/install-priority: "20"\n', kind: 'zarf', version: '1.0.0', registry: 'Zarf Packages' },
    ]);
  });

  it('shows a Zarf layer in the printed plan like any other layer', () => {
    // GIVEN the Zarf layer with a component and a variable
    const plan = planCluster(cluster(zarfLayer(`${packValues('podinfo', 20)}variables:\n  REPLICAS: 2\ncomponents: [podinfo]\n`)));
    // WHEN printed
    // THEN its tier line names the package, components and variables
    assert.deepEqual(formatPlan(plan).split('\n'), [
      'Profiles: apps 1.0.0 (add-on)',
      'Install order (each tier starts when every earlier tier is ready):',
      '   1. priority 20',
      '      podinfo  [zarf 6.4.0: oci://ghcr.io/acme/packages/podinfo:6.4.0, components podinfo, variables REPLICAS]  ns podinfo, creates podinfo  (profile apps)',
      'Destroy order: priority 20',
    ]);
  });
});
