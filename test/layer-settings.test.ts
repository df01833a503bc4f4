import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayerValues, ProfileError } from '../src';
import { ProblemList } from '../src/core/model/errors';
import { SplitValues, splitValues } from '../src/core/resolve/layer-settings';
import { parseYaml } from '../src/core/input/yaml';

/** Reads values as a layer `l` of profile `p` would, returning the split and every problem message. */
function read(values: LayerValues | undefined): { split: SplitValues; messages: string[] } {
  const problems = new ProblemList();
  const split = splitValues(values, { profile: 'p', layer: 'l' }, problems);
  try {
    problems.throwIfAny();
  } catch (err) {
    return { split, messages: (err as ProfileError).message.split('\n') };
  }
  return { split, messages: [] };
}

describe('pack block: namespace', () => {
  it('reads pack.namespace', () => {
    // GIVEN values naming a namespace
    // WHEN read
    const { split, messages } = read('pack:\n  namespace: monitoring\n');
    // THEN the layer deploys into it
    assert.deepEqual(messages, []);
    assert.equal(split.settings.namespace, 'monitoring');
  });

  it('leaves the namespace unset when there is no pack block', () => {
    // GIVEN values without a pack block
    // WHEN read
    const { split } = read('replicas: 2\n');
    // THEN no namespace and no additional namespaces
    assert.equal(split.settings.namespace, undefined);
    assert.deepEqual(split.settings.additionalNamespaces, []);
  });

  it('rejects an invalid namespace with the message naming profile, layer, field, value and the expected form', () => {
    // GIVEN the namespace of STYLE.md's example, with capitals and an underscore
    const problems = new ProblemList();
    splitValues('pack:\n  namespace: Grafana_NS\n', { profile: 'observability', layer: 'grafana' }, problems);
    // WHEN the problems are raised
    const message = (() => {
      try {
        problems.throwIfAny();
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    })();
    // THEN the message has the documented form
    assert.equal(
      message,
      `profile "observability" layer "grafana": pack.namespace "Grafana_NS" must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters`,
    );
  });

  it('rejects a namespace longer than 63 characters', () => {
    // GIVEN a 64-character namespace
    const long = 'a'.repeat(64);
    // WHEN read
    const { messages } = read(`pack:\n  namespace: ${long}\n`);
    // THEN one problem, with the value quoted
    assert.deepEqual(messages, [
      `profile "p" layer "l": pack.namespace "${long}" must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters`,
    ]);
  });
});

describe('pack block: additionalNamespaces', () => {
  it('accepts a single name as a string', () => {
    // GIVEN the string form PROFILE-SEMANTICS.md shows
    // WHEN read
    const { split, messages } = read('pack:\n  additionalNamespaces: "wordpress-storage"\n');
    // THEN one additional namespace
    assert.deepEqual(messages, []);
    assert.deepEqual(split.settings.additionalNamespaces, ['wordpress-storage']);
  });

  it('accepts a comma-separated list, ignoring spaces and empty items', () => {
    // GIVEN a comma list with spaces and an empty item
    // WHEN read
    const { split, messages } = read('pack:\n  additionalNamespaces: "a, b,,c "\n');
    // THEN the names in order
    assert.deepEqual(messages, []);
    assert.deepEqual(split.settings.additionalNamespaces, ['a', 'b', 'c']);
  });

  it('accepts a list and drops duplicates, keeping the first position', () => {
    // GIVEN a YAML list with a repeated name
    // WHEN read
    const { split, messages } = read('pack:\n  additionalNamespaces:\n    - b\n    - a\n    - b\n');
    // THEN each name once, in first-seen order
    assert.deepEqual(messages, []);
    assert.deepEqual(split.settings.additionalNamespaces, ['b', 'a']);
  });

  it('accepts a map, whose keys are the names', () => {
    // GIVEN the map form the Palette documentation describes
    // WHEN read
    const { split, messages } = read('pack:\n  additionalNamespaces:\n    storage: {}\n    cache: ~\n');
    // THEN its keys, in order
    assert.deepEqual(messages, []);
    assert.deepEqual(split.settings.additionalNamespaces, ['storage', 'cache']);
  });

  it('names the list position of an invalid name', () => {
    // GIVEN a list whose second item is not a namespace name
    // WHEN read
    const { split, messages } = read('pack:\n  additionalNamespaces: [ok, Not_OK]\n');
    // THEN the problem names the item, and the valid item is kept
    assert.deepEqual(messages, [
      `profile "p" layer "l": pack.additionalNamespaces[1] "Not_OK" must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters`,
    ]);
    assert.deepEqual(split.settings.additionalNamespaces, ['ok']);
  });

  it('rejects a number', () => {
    // GIVEN a number where names are expected
    // WHEN read
    const { messages } = read('pack:\n  additionalNamespaces: 5\n');
    // THEN the accepted forms are listed
    assert.deepEqual(messages, [
      'profile "p" layer "l": pack.additionalNamespaces must be a namespace name, a comma-separated list of names or a list of names, found 5',
    ]);
  });
});

describe('pack block: namespaceLabels and namespaceAnnotations', () => {
  it('parses "k=v,k2=v2" per target namespace', () => {
    // GIVEN labels for two namespaces
    // WHEN read
    const { split, messages } = read('pack:\n  namespaceLabels:\n    "monitoring": "org=spectro,team=dev"\n    "default": "user=demo-user"\n');
    // THEN one map per target
    assert.deepEqual(messages, []);
    assert.deepEqual(
      [...split.settings.namespaceLabels.entries()],
      [
        ['monitoring', { org: 'spectro', team: 'dev' }],
        ['default', { user: 'demo-user' }],
      ],
    );
  });

  it('keeps commas inside an annotation value: a piece without "=" continues the previous value', () => {
    // GIVEN an annotation whose value is a comma list
    // WHEN read
    const { split, messages } = read('pack:\n  namespaceAnnotations:\n    apps: "example.com/owners=alice,bob,example.com/tier=gold"\n');
    // THEN the commas stay in the first value
    assert.deepEqual(messages, []);
    assert.deepEqual(split.settings.namespaceAnnotations.get('apps'), { 'example.com/owners': 'alice,bob', 'example.com/tier': 'gold' });
  });

  it('keeps "=" inside a value and trims spaces around keys and values', () => {
    // GIVEN a value holding "=" and spaces around the pairs
    // WHEN read
    const { split, messages } = read('pack:\n  namespaceAnnotations:\n    apps: " example.com/query = a=b , x=y"\n');
    // THEN only the first "=" splits a pair
    assert.deepEqual(messages, []);
    assert.deepEqual(split.settings.namespaceAnnotations.get('apps'), { 'example.com/query': 'a=b', x: 'y' });
  });

  it('rejects a label value Kubernetes would refuse', () => {
    // GIVEN a label value with a space
    // WHEN read
    const { messages } = read('pack:\n  namespaceLabels:\n    apps: "team=dev ops"\n');
    // THEN the problem names the key and value
    assert.deepEqual(messages, [
      `profile "p" layer "l": pack.namespaceLabels.apps label value "dev ops" for key "team" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    ]);
  });

  it('rejects a pair list that starts without a key', () => {
    // GIVEN a value with no "=" in its first piece
    // WHEN read
    const { messages } = read('pack:\n  namespaceLabels:\n    apps: "justtext"\n');
    // THEN the expected form is named
    assert.deepEqual(messages, [`profile "p" layer "l": pack.namespaceLabels.apps "justtext" must be "key=value,key2=value2" with a non-empty key before each '='`]);
  });

  it('rejects a target that is not a namespace name', () => {
    // GIVEN labels aimed at "Bad_NS"
    // WHEN read
    const { messages } = read('pack:\n  namespaceLabels:\n    Bad_NS: "a=b"\n');
    // THEN the target is named
    assert.deepEqual(messages, [
      `profile "p" layer "l": pack.namespaceLabels.Bad_NS targets namespace "Bad_NS", which must match [a-z0-9]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits, '-') and be at most 63 characters`,
    ]);
  });

  it('rejects a map value that is not a string', () => {
    // GIVEN labels given as a nested map instead of "k=v"
    // WHEN read
    const { messages } = read('pack:\n  namespaceLabels:\n    apps:\n      team: dev\n');
    // THEN the expected string form is named
    assert.deepEqual(messages, [`profile "p" layer "l": pack.namespaceLabels.apps must be a string "key=value,key2=value2", found {"team":"dev"}`]);
  });
});

describe('pack block: install priority', () => {
  const cases: [string, string, number][] = [
    ['a quoted string', '"30"', 30],
    ['a number', '30', 30],
    ['a negative string', '"-10"', -10],
    ['a negative number', '-10', -10],
    ['zero', '0', 0],
    ['a string with spaces around it', '" 7 "', 7],
  ];
  for (const [what, yamlValue, expected] of cases) {
    it(`reads ${what} (${yamlValue}) as ${expected}`, () => {
      // GIVEN the priority written as ${what}
      // WHEN read
      const { split, messages } = read(`pack:\n  spectrocloud.com/install-priority: ${yamlValue}\n`);
      // THEN the integer
      assert.deepEqual(messages, []);
      assert.equal(split.settings.installPriority, expected);
    });
  }

  it('defaults to 0 when the pack block has no priority', () => {
    // GIVEN a pack block without a priority
    // WHEN read
    const { split } = read('pack:\n  namespace: a\n');
    // THEN 0
    assert.equal(split.settings.installPriority, 0);
  });

  it('defaults to 0 without values', () => {
    // GIVEN no values at all
    // WHEN read
    const { split, messages } = read(undefined);
    // THEN 0, no problem, nothing for Helm
    assert.deepEqual(messages, []);
    assert.equal(split.settings.installPriority, 0);
    assert.equal(split.yaml, undefined);
  });

  for (const [what, yamlValue, shownValue] of [
    ['a decimal string', '"1.5"', '"1.5"'],
    ['a word', '"abc"', '"abc"'],
    ['a decimal number', '1.5', '1.5'],
    ['a boolean', 'true', 'true'],
  ]) {
    it(`rejects ${what} (${yamlValue}) with the exact message`, () => {
      // GIVEN a priority that is not an integer
      // WHEN read
      const { split, messages } = read(`pack:\n  spectrocloud.com/install-priority: ${yamlValue}\n`);
      // THEN the message names the field, the value and the expected form; the default is kept
      assert.deepEqual(messages, [
        `profile "p" layer "l": pack.spectrocloud.com/install-priority ${shownValue} must be an integer (negative, 0 or positive), as a number or a string such as "30"`,
      ]);
      assert.equal(split.settings.installPriority, 0);
    });
  }
});

describe('pack block: removal from the values Helm receives', () => {
  it('keeps every other byte: comments, yes, quoting, ${...}, %{...}, unicode and block scalars', () => {
    // GIVEN values with a pack block between lines Helm must see exactly as written
    const kept = (lines: string[]): string => lines.join('\n');
    const head = [
      '# Values for the chart',
      'image:',
      '  repository: "ghcr.io/acme/app"   # trailing comment',
      "  tag: '1.2.3'",
      'enabled: yes',
      'answer: 0755',
    ];
    const pack = ['pack:', '  namespace: apps', '  # a comment inside the pack block', '  spectrocloud.com/install-priority: "5"'];
    const tail = [
      '# Helm reads this comment too',
      'greeting: "héllo wörld ✓ 🚀"',
      "template: '${NAME} and %{ if x }'",
      'script: |',
      '  #!/bin/sh',
      '  echo "${HOME}"',
      '',
      '  exit 0',
      'folded: >-',
      '  one',
      '  two',
      '',
    ];
    // WHEN split
    const { split, messages } = read(kept([...head, ...pack, ...tail]));
    // THEN exactly the pack lines are gone
    assert.deepEqual(messages, []);
    assert.equal(split.yaml, kept([...head, ...tail]));
    assert.equal(split.settings.namespace, 'apps');
    assert.equal(split.settings.installPriority, 5);
  });

  it('removes a pack block at the start, keeping the comment that introduces the next key', () => {
    // GIVEN a pack block first, then a commented key
    // WHEN split
    const { split } = read('pack:\n  namespace: a\n# replicas of the app\nreplicas: 2\n');
    // THEN the comment stays with its key
    assert.equal(split.yaml, '# replicas of the app\nreplicas: 2\n');
  });

  it('removes a pack block at the end', () => {
    // GIVEN the pack block last
    // WHEN split
    const { split } = read('replicas: 2\npack:\n  namespace: a\n');
    // THEN only the lines before it remain
    assert.equal(split.yaml, 'replicas: 2\n');
  });

  it('removes a quoted "pack" key and its flow-style value', () => {
    // GIVEN `"pack": {...}` on one line
    // WHEN split
    const { split } = read('"pack": {namespace: a}\nreplicas: 2\n');
    // THEN the line is gone and the namespace read
    assert.equal(split.yaml, 'replicas: 2\n');
    assert.equal(split.settings.namespace, 'a');
  });

  it('keeps a nested "pack" key, which belongs to the chart', () => {
    // GIVEN a chart value named "pack" under another key, and the real pack block
    // WHEN split
    const { split } = read('addons:\n  pack: chart-setting\npack:\n  namespace: a\n');
    // THEN only the top-level block is removed
    assert.equal(split.yaml, 'addons:\n  pack: chart-setting\n');
  });

  it('keeps Windows line endings', () => {
    // GIVEN CRLF values
    // WHEN split
    const { split } = read('a: 1\r\npack:\r\n  namespace: x\r\nb: 2\r\n');
    // THEN the other lines keep their CRLF
    assert.equal(split.yaml, 'a: 1\r\nb: 2\r\n');
  });

  it('passes values without a pack block through unchanged', () => {
    // GIVEN values with no pack block
    const text = '# just values\nyes_please: yes\nquoted: "x"\n';
    // WHEN split
    const { split } = read(text);
    // THEN the very same text
    assert.equal(split.yaml, text);
  });

  it('gives Helm nothing when only the pack block was there', () => {
    // GIVEN values that are only a pack block and a comment
    // WHEN split
    const { split } = read('# layer settings\npack:\n  namespace: a\n');
    // THEN no values for Helm
    assert.equal(split.yaml, undefined);
    assert.deepEqual(split.parsed, {});
  });

  it('falls back to writing the values again when the text without the pack block does not parse to the same values', () => {
    // GIVEN an alias outside the pack block to an anchor inside it: removing the block by text breaks the alias
    // WHEN split
    const { split, messages } = read('pack:\n  namespace: &ns monitoring\ntarget: *ns\ncount: 3\n');
    // THEN the values are written from their parsed form: alias resolved, keys sorted, strings quoted
    assert.deepEqual(messages, []);
    assert.equal(split.yaml, "count: 3\ntarget: 'monitoring'\n");
  });

  it('falls back when a "pack:" line inside a multi-line string comes first', () => {
    // GIVEN a quoted string whose second line starts with "pack:" at column 0, before the real pack block
    const text = 'note: "first\npack: not a key"\npack:\n  namespace: x\n';
    // WHEN split
    const { split } = read(text);
    // THEN the string survives intact
    assert.equal(split.yaml, "note: 'first pack: not a key'\n");
    assert.deepEqual(parseYaml(split.yaml!), { note: 'first pack: not a key' });
  });

  it('quotes every string when it writes values given as an object, so Helm (YAML 1.1) reads strings as strings', () => {
    // GIVEN values given as an object, with strings YAML 1.1 reads as booleans, numbers or dates when unquoted
    const values = { pack: { namespace: 'a' }, date: '2024-01-01', flag: 'yes', count: '1_000', on: 'off', real: 3, yes: true };
    // WHEN split
    const { split } = read(values);
    // THEN every string value is quoted, numbers and booleans are not, keys are sorted and the pack block is gone
    assert.equal(split.yaml, "count: '1_000'\ndate: '2024-01-01'\nflag: 'yes'\n'on': 'off'\nreal: 3\n'yes': true\n");
  });

  it('reports values that are not YAML, with line and column', () => {
    // GIVEN an unclosed flow sequence
    // WHEN read
    const { messages } = read('a: [1, 2\nb: 3\n');
    // THEN the YAML reason and position
    assert.deepEqual(messages, ['profile "p" layer "l": values is not valid YAML: missed comma between flow collection entries at line 2, column 1']);
  });

  it('reports values that are not a map', () => {
    // GIVEN a YAML list at the top
    // WHEN read
    const { messages } = read('- a\n- b\n');
    // THEN the expected form
    assert.deepEqual(messages, ['profile "p" layer "l": values must be a YAML map at the top level, found ["a","b"]']);
  });

  it('reports a pack block that is not a map', () => {
    // GIVEN `pack: 5`
    // WHEN read
    const { messages } = read('pack: 5\n');
    // THEN the expected form
    assert.deepEqual(messages, ['profile "p" layer "l": pack must be a map, found 5']);
  });
});
