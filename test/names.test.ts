import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SYSTEM_NAMESPACES, isLayerName, isNamespaceName, isReleaseName, terraformName } from '../src/core/model/names';

describe('isNamespaceName', () => {
  for (const name of ['a', 'monitoring', 'kube-system', 'a1', '1a', 'a'.repeat(63)]) {
    it(`accepts ${JSON.stringify(name.length > 10 ? `${name.length} characters` : name)}`, () => {
      // GIVEN a valid RFC 1123 label
      // WHEN checked
      // THEN accepted
      assert.equal(isNamespaceName(name), true);
    });
  }
  for (const name of ['', 'Monitoring', 'my_ns', '-a', 'a-', 'a.b', 'a b', 'a'.repeat(64)]) {
    it(`rejects ${JSON.stringify(name.length > 10 ? `${name.length} characters` : name)}`, () => {
      // GIVEN a name Kubernetes refuses for a namespace
      // WHEN checked
      // THEN rejected
      assert.equal(isNamespaceName(name), false);
    });
  }
});

describe('SYSTEM_NAMESPACES', () => {
  it('holds exactly the namespaces every cluster has', () => {
    // GIVEN the set
    // WHEN listed
    // THEN the four documented namespaces
    assert.deepEqual([...SYSTEM_NAMESPACES].sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });
});

describe('isReleaseName and isLayerName', () => {
  it('accepts Helm release names up to 53 characters, dots allowed', () => {
    // GIVEN names at and over the limit
    // WHEN checked
    // THEN 53 passes, 54 and capitals do not
    assert.equal(isReleaseName('a'.repeat(53)), true);
    assert.equal(isReleaseName('cert-manager.v1'), true);
    assert.equal(isReleaseName('a'.repeat(54)), false);
    assert.equal(isReleaseName('Cert'), false);
  });

  it('accepts layer names with letters, digits, "-", "_" and "." up to 128 characters', () => {
    // GIVEN Palette-style pack names
    // WHEN checked
    // THEN valid ones pass and names with "/", spaces or edge punctuation do not
    assert.equal(isLayerName('kube-prometheus-stack'), true);
    assert.equal(isLayerName('hello-1--hello_universe.v2'), true);
    assert.equal(isLayerName('A'.repeat(128)), true);
    assert.equal(isLayerName('A'.repeat(129)), false);
    assert.equal(isLayerName('a/b'), false);
    assert.equal(isLayerName('a b'), false);
    assert.equal(isLayerName('-a'), false);
  });
});

describe('terraformName', () => {
  it('joins valid parts with "--" and keeps them readable', () => {
    // GIVEN parts that make a valid Terraform name
    // WHEN joined
    // THEN used as is
    assert.equal(terraformName('hello-universe', 'deployment', 'apps', 'web'), 'hello-universe--deployment--apps--web');
  });

  it('replaces invalid characters and appends a hash of the original', () => {
    // GIVEN a part with dots
    const raw = 'crds--customresourcedefinition--widgets.example.com';
    // WHEN turned into a name
    const name = terraformName('crds', 'customresourcedefinition', 'widgets.example.com');
    // THEN dots become "_" and the first 8 hex digits of the SHA-256 of the original follow
    assert.equal(name, `crds--customresourcedefinition--widgets_example_com_${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`);
  });

  it('keeps inputs distinct that differ only in replaced characters', () => {
    // GIVEN "a.b" and "a_b"
    // WHEN named
    // THEN the names differ
    assert.notEqual(terraformName('a.b'), terraformName('a_b'));
    assert.equal(terraformName('a_b'), 'a_b');
  });

  it('prefixes "_" when the name would start with a digit', () => {
    // GIVEN a name starting with a digit and holding a dot
    // WHEN named
    const name = terraformName('1.x');
    // THEN it starts with "_" and is a valid Terraform name
    assert.match(name, /^_1_x_[0-9a-f]{8}$/);
  });

  it('gives the same name for the same parts every time', () => {
    // GIVEN the same parts twice
    // WHEN named
    // THEN equal
    assert.equal(terraformName('a.b', 'c:d'), terraformName('a.b', 'c:d'));
  });
});
