import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { macroSkeleton, readPath, showKeys } from '../src/core/resolve/pack-references';

describe('pack references: reading a dotted path', () => {
  it('reads a key holding dots, the longest literal key first, and a second reading when both exist', () => {
    // GIVEN options with both a "system.registry" key and a system map
    const root = { options: { 'system.registry': 'a', system: { registry: 'b' } } };
    // WHEN options.system.registry is read
    const readings = readPath(root, 'options.system.registry');
    // THEN both readings are found, the longest key first
    assert.deepEqual(readings.map((r) => [showKeys(r.keys), r.value]), [['options["system.registry"]', 'a'], ['options.system.registry', 'b']]);
  });

  it('enters lists by index and finds nothing past a scalar', () => {
    const root = { ports: [6443, 9345], name: 'x' };
    assert.deepEqual([readPath(root, 'ports.1').map((r) => [showKeys(r.keys), r.value]), readPath(root, 'name.first')], [[['ports[1]', 9345]], []]);
  });
});

describe('pack references: where each expression stands', () => {
  it('tells a value, a key, a comment and a block scalar line apart', () => {
    // GIVEN a values text with an expression in each place
    const text = [
      '# {{ .spectro.macro.a }}',
      'image: "{{ .spectro.macro.b }}/x"',
      '{{ .spectro.macro.c }}: 1',
      'script: |',
      '  # {{ .spectro.macro.d }}',
      'list:',
      '  - {{ .spectro.macro.e }} # {{ .spectro.macro.f }}',
    ].join('\n');
    // WHEN read with the expressions in place
    const skeleton = macroSkeleton(text, 'document');
    // THEN each expression's place is known
    assert.deepEqual(skeleton.places, ['comment', ['image'], 'key', ['script'], ['list', 0], 'comment']);
  });

  it('knows no place when the text is not YAML even with its expressions replaced', () => {
    const skeleton = macroSkeleton('a: [\n# {{ .spectro.macro.a }}\n', 'document');
    assert.deepEqual([skeleton.documents, skeleton.places], [undefined, [undefined]]);
  });
});
