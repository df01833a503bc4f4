import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readAsKubernetes } from './engines/engines';

describe('test engines: the Kubernetes YAML reader', () => {
  it('reads YAML 1.1 as sigs.k8s.io/yaml does: octal modes, yes/y booleans, underscores, exact big integers', () => {
    // GIVEN scalars that YAML 1.1 and YAML 1.2 read differently
    const text = 'mode: 0644\nflag: yes\nshort: y\ncount: 1_000\nbig: 12345678901234567890\nhex: 0x10\nday: 2001-12-14\n';
    // WHEN the Go reader reads them
    const [reading] = readAsKubernetes([text]);
    // THEN it gives what the API server would receive
    assert.deepEqual(reading, { json: '{"big":12345678901234567890,"count":1000,"day":"2001-12-14","flag":true,"hex":16,"mode":420,"short":true}' });
  });

  it('reports go-yaml errors and values JSON cannot carry', () => {
    const readings = readAsKubernetes(['a: [1', 'a: .inf']);
    assert.deepEqual(readings, [{ error: "yaml: line 1: did not find expected ',' or ']'" }, { error: 'json: unsupported value: +Inf' }]);
  });
});
