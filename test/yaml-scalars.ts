// Generated YAML scalars for the tests that compare the project's reading of YAML with Kubernetes'
// (test/engines/go/k8s-yaml): test/kubernetes-yaml.test.ts and test/values-yaml.test.ts.
import fc from 'fast-check';

/** Plain scalars that YAML 1.1 and YAML 1.2 read differently, and strings that look like them. */
export const trickyScalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'tRue', 'false', 'False',
    'null', 'Null', 'NULL', '~', '0', '00', '08', '0644', '0400', '0755', '-0644', '+0644', '0o17', '0O17', '0o8', '0x1F', '0X1f', '0x', '0b101', '-0b101', '0B11',
    '1_000', '1__0', '1_', '0x_1F', '1_000.5', '1.', '.5', '-.5', '+.5', '.5e3', '1e3', '1E3', '1e+3', '-1.5e-3', '1e400', '.inf', '-.Inf', '+.INF', '.nan', '.NaN',
    '190:20:30', '2001-12-14', '2001-12-14T21:59:43.10-05:00', '12:30', '9007199254740991', '-9007199254740991', '1.5', '3.14159', '007', '0.0', '-0', '+12', '1e', 'e3', '0x1p-2',
  ),
  fc.stringMatching(/^[-+]?0[0-7]{1,5}$/),
  fc.stringMatching(/^[-+]?[1-9][0-9_]{0,8}$/),
  fc.stringMatching(/^[-+]?[0-9]{1,4}\.[0-9]{0,4}([eE][-+]?[0-9]{1,2})?$/),
  fc.stringMatching(/^0x[0-9a-fA-F_]{1,6}$/),
  fc.stringMatching(/^[a-z]{1,6}$/),
);

/** A scalar as written: plain, or quoted (then always a string). */
export const writtenScalar: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: trickyScalar },
  { weight: 1, arbitrary: trickyScalar.map((s) => `"${s}"`) },
  { weight: 1, arbitrary: trickyScalar.map((s) => `'${s}'`) },
);

/**
 * Whether a JSON text holds a number (outside strings) that a JavaScript number cannot hold exactly:
 * an integer such as 12345678901234567890. A float that happens to be large (1.337632e18, which Go
 * writes as 1337632000000000000) is exact as a double and fine.
 */
export function hasLongNumber(json: string): boolean {
  const integers = json.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/-?\d+(?![.\deE])/g) ?? [];
  return integers.some((n) => BigInt(Math.round(Number(n)).toLocaleString('en-US', { useGrouping: false })) !== BigInt(n));
}
