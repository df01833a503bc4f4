/**
 * Proves with the real `terraform` binary that values with unusual characters reach the providers
 * exactly: the synthesized (escaped) Helm values and manifest are fed to a `terraform_data`
 * resource, which needs no provider download, and Terraform's evaluated result is compared with the
 * original text. Slow (one terraform init and apply), hence its own file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addOn, helmLayer, manifestLayer } from './helpers';
import { synth } from './synth-helpers';
import { terraformOk } from './terraform';

describe('values with unusual characters, evaluated by terraform', () => {
  it('reach the providers exactly as written', () => {
    // GIVEN Helm values and a manifest holding interpolation and directive text, escapes, CDKTF token markers and unicode
    const helmValues = [
      'greeting: "${USER} says %{ if x }hi%{ endif }"',
      'raw: "$${kept} %%{kept} $$${more}"',
      '"${key}": "100% $ sure"',
      'tokens: "${TfToken[TOKEN.1]} $${TfToken[TOKEN.2]} #{TfToken[TOKEN.3]} &{TfToken[TOKEN.4]}"',
      'unicode: "héllo ✓ 🚀"',
      '',
    ].join('\n');
    const data = { '${file}.tpl': 'Hello ${name} %{greeting} $${x}', plain: '#{TfToken[TOKEN.1]}' };
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tpl\ndata:\n  "\${file}.tpl": "Hello \${name} %{greeting} $\${x}"\n  plain: "#{TfToken[TOKEN.1]}"\n`;
    // (the manifest layer pinned to one kubernetes_manifest per document: its object is Terraform's to evaluate)
    const { json } = synth([addOn('p', [helmLayer('web', helmValues), manifestLayer('tpl', manifest, 'pack:\n  manifestStrategy: manifest\n')])]);
    const dir = mkdtempSync(join(tmpdir(), 'cluster-profiles-escape-'));
    try {
      const config = {
        resource: {
          terraform_data: {
            probe: {
              input: {
                values: json.resource.helm_release.web.values[0],
                manifest: json.resource.kubernetes_manifest['tpl--configmap--default--tpl'].manifest,
              },
            },
          },
        },
        output: { probe: { value: '${terraform_data.probe.output}' } },
      };
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
      // WHEN terraform applies it
      terraformOk(dir, ['init', '-input=false', '-no-color']);
      terraformOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
      const output = JSON.parse(terraformOk(dir, ['output', '-json', 'probe'])) as { values: string; manifest: { data: Record<string, string> } };
      // THEN terraform evaluates them back to exactly the original text
      assert.equal(output.values, helmValues);
      assert.deepEqual(output.manifest.data, data);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
