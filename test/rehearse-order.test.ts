import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InstallPlan, RehearsalError, RehearsalEvent, planCluster } from '../src';
import { checkOrder } from '../src/rehearse/check-order';
import { formatTimeline } from '../src/rehearse/format-timeline';
import { mermaidGantt } from '../src/rehearse/mermaid-gantt';
import { StackResource, readStackGraph } from '../src/rehearse/stack-graph';
import { standInConfig } from '../src/rehearse/stand-ins';
import { buildTimeline } from '../src/rehearse/timeline';
import { rehearseCommand } from '../src/cli/commands/rehearse';
import { UsageError } from '../src/cli/options';
import { parseRehearsalLog } from '../src/rehearse/rehearsal-log';
import { templateExpressions } from '../src/rehearse/stack-graph';
import { originalAddress, standInAddress, workloadAddresses } from '../src/rehearse/stand-ins';
import { addOn, helmLayer, packValues, thrownBy } from './helpers';

/** The RehearsalError `fn` throws; fails the test when it throws nothing or something else. */
function rehearsalErrorOf(fn: () => unknown): RehearsalError {
  return thrownBy(fn, RehearsalError.isRehearsalError, 'RehearsalError');
}

/** The command a stand-in runs to log one phase. */
function logged(phase: string, address: string): string {
  return `printf '%s %s %s\\n' ${phase} '${address}' "$(date +%s%N)" >> "$CLUSTER_PROFILES_REHEARSAL_LOG"`;
}

/**
 * Two tiers: `helm_release.a` (priority 0) and `helm_release.b` (priority 10), both in the
 * `default` namespace, so the plan holds exactly the two releases and the two gates.
 */
function twoTiers(): { plan: InstallPlan; resources: StackResource[] } {
  const plan = planCluster([addOn('p', [helmLayer('a', packValues(undefined, 0)), helmLayer('b', packValues(undefined, 10))])]);
  const resources = plan.resources.map((r) => ({ address: r.address, type: r.type, name: r.name, dependsOn: r.dependsOn }));
  return { plan, resources };
}

/** Events from `"<phase> <address>"` lines, one every 100 ms from the epoch's second 1000. */
function events(...lines: string[]): RehearsalEvent[] {
  return lines.map((line, seq) => {
    const [phase, address] = line.split(' ');
    return { phase: phase as RehearsalEvent['phase'], address, seq, time: 1_000_000 + seq * 100 };
  });
}

const A = 'helm_release.a';
const B = 'helm_release.b';
const GATE_0 = 'terraform_data.tier_0';
const GATE_10 = 'terraform_data.tier_10';

/** The order Terraform takes on the two-tier plan: tier by tier, then the exact reverse. */
const IN_ORDER = [
  `create-start ${A}`, `create-end ${A}`, `create-start ${GATE_0}`, `create-end ${GATE_0}`,
  `create-start ${B}`, `create-end ${B}`, `create-start ${GATE_10}`, `create-end ${GATE_10}`,
  `destroy-start ${GATE_10}`, `destroy-end ${GATE_10}`, `destroy-start ${B}`, `destroy-end ${B}`,
  `destroy-start ${GATE_0}`, `destroy-end ${GATE_0}`, `destroy-start ${A}`, `destroy-end ${A}`,
];

describe('readStackGraph', () => {
  it('keeps depends_on and every ${...} reference to a resource, and ignores escaped text, outputs and providers', () => {
    // GIVEN a stack whose release depends on its namespace explicitly and references it in an attribute,
    // whose config map references the release inside a directive and a map key, and which escapes a reference
    const stack = {
      provider: { helm: [{ kubernetes: { config_path: '${var.kubeconfig_path}' } }] },
      variable: { kubeconfig_path: { default: '~/.kube/config' } },
      output: { release: { value: '${helm_release.web.id}' } },
      resource: {
        kubernetes_namespace_v1: { web: { metadata: { name: 'web' } } },
        helm_release: {
          web: {
            depends_on: ['kubernetes_namespace_v1.web'],
            namespace: '${kubernetes_namespace_v1.web.metadata[0].name}',
            values: ['password: $${helm_release.ghost}', 'self: ${helm_release.web.name}'],
          },
        },
        kubernetes_manifest: {
          config: { manifest: { data: { '${helm_release.web.name}': '%{ if terraform_data.flag.output != "}" }on%{ endif }' } } },
        },
        terraform_data: { flag: { depends_on: ['kubernetes_namespace_v1.web'] } },
      },
    };
    // WHEN read
    const graph = readStackGraph(stack);
    // THEN each resource waits for exactly what it references, sorted, never itself
    assert.deepEqual(graph, [
      { address: 'helm_release.web', type: 'helm_release', name: 'web', dependsOn: ['kubernetes_namespace_v1.web'] },
      { address: 'kubernetes_manifest.config', type: 'kubernetes_manifest', name: 'config', dependsOn: ['helm_release.web', 'terraform_data.flag'] },
      { address: 'kubernetes_namespace_v1.web', type: 'kubernetes_namespace_v1', name: 'web', dependsOn: [] },
      { address: 'terraform_data.flag', type: 'terraform_data', name: 'flag', dependsOn: ['kubernetes_namespace_v1.web'] },
    ]);
  });

  it('refuses a depends_on entry that names no resource of the stack', () => {
    // GIVEN a release that depends on a gate the stack does not have
    const stack = { resource: { helm_release: { web: { depends_on: ['terraform_data.tier_0'] } } } };
    // WHEN read / THEN the error names the resource, the entry and what was expected
    assert.equal(
      rehearsalErrorOf(() => readStackGraph(stack)).message,
      'resource helm_release.web: depends_on[0] "terraform_data.tier_0" names no resource of the stack; expected "type.name" of one of its resources',
    );
  });

  it('refuses a depends_on entry written as a template, as Terraform does', () => {
    // GIVEN a release that depends on an existing gate through "${...}", which `terraform validate` rejects
    const stack = { resource: { terraform_data: { tier_0: {} }, helm_release: { web: { depends_on: ['${terraform_data.tier_0}'] } } } };
    // WHEN read / THEN the error names the resource, the entry, Terraform's objection and the bare address expected
    assert.equal(
      rehearsalErrorOf(() => readStackGraph(stack)).message,
      'resource helm_release.web: depends_on[0] "${terraform_data.tier_0}" is a template, which Terraform refuses in depends_on ("A single static variable reference is required"); expected the bare address "terraform_data.tier_0"',
    );
  });

  it('refuses a stack with data sources, whose dependencies a rehearsal cannot follow', () => {
    // GIVEN a stack with a data block
    const stack = { data: { kubernetes_namespace_v1: { existing: {} } }, resource: { helm_release: { web: {} } } };
    // WHEN read / THEN the error names the block and why
    assert.equal(
      rehearsalErrorOf(() => readStackGraph(stack)).message,
      'the stack has a top-level "data" block (kubernetes_namespace_v1); a rehearsal stands in for resources only and cannot follow dependencies through data blocks',
    );
  });

  it('finds the expressions of interpolations and directives, skipping escapes and braces inside quoted strings', () => {
    // GIVEN a template with an interpolation, an escape, a directive holding a quoted brace, a nested template and an escaped directive
    const text = 'a ${x.y} $${not.this} %{ if "}" == b.c }yes%{ endif } ${f("${g.h}")} %%{no}';
    // WHEN scanned / THEN exactly the four expressions, the nested template inside the last
    assert.deepEqual(templateExpressions(text), ['x.y', ' if "}" == b.c ', ' endif ', 'f("${g.h}")']);
  });
});

describe('standInConfig', () => {
  it('turns every resource into a logging terraform_data stand-in with the same dependencies', () => {
    // GIVEN a namespace and a release that depends on it
    const resources = readStackGraph({
      resource: {
        kubernetes_namespace_v1: { web: { metadata: { name: 'web' } } },
        helm_release: { web: { depends_on: ['kubernetes_namespace_v1.web'], namespace: 'web' } },
      },
    });
    // WHEN stood in for with 1.5 s of readiness
    const config = standInConfig(resources, { readinessSeconds: 1.5 });
    // THEN the release waits for the namespace's stand-in and sleeps between start and ready; the namespace is instant
    assert.deepEqual(config, {
      resource: {
        terraform_data: {
          helm_release__web: {
            depends_on: ['terraform_data.kubernetes_namespace_v1__web'],
            provisioner: [
              { 'local-exec': { command: `${logged('create-start', 'helm_release.web')} && sleep 1.5 && ${logged('create-end', 'helm_release.web')}` } },
              { 'local-exec': { when: 'destroy', command: `${logged('destroy-start', 'helm_release.web')} && ${logged('destroy-end', 'helm_release.web')}` } },
            ],
          },
          kubernetes_namespace_v1__web: {
            provisioner: [
              { 'local-exec': { command: `${logged('create-start', 'kubernetes_namespace_v1.web')} && ${logged('create-end', 'kubernetes_namespace_v1.web')}` } },
              { 'local-exec': { when: 'destroy', command: `${logged('destroy-start', 'kubernetes_namespace_v1.web')} && ${logged('destroy-end', 'kubernetes_namespace_v1.web')}` } },
            ],
          },
        },
      },
    });
  });

  it('makes a layer\'s deployments wait for readiness, not its namespace, label patch or gate', () => {
    // GIVEN a layer with its own namespace and a label on "default", and a stack resource the plan does not know
    const plan = planCluster([addOn('p', [helmLayer('web', packValues('web', 0, '  namespaceLabels:\n    "default": "team=web"\n'))])]);
    const resources = [
      ...plan.resources.map((r) => ({ address: r.address, type: r.type, name: r.name, dependsOn: [] })),
      { address: 'kubernetes_manifest.extra', type: 'kubernetes_manifest', name: 'extra', dependsOn: [] },
    ];
    // WHEN the workloads are told
    const workloads = workloadAddresses(plan, resources);
    // THEN the release waits, and the unplanned manifest by its type; namespace, patch and gate do not
    assert.deepEqual(plan.resources.map((r) => r.address), ['helm_release.web', 'kubernetes_labels.web--default', 'kubernetes_namespace_v1.web', 'terraform_data.tier_0']);
    assert.deepEqual([...workloads].sort(), ['helm_release.web', 'kubernetes_manifest.extra']);
  });

  it('names stand-ins reversibly, also when the name holds underscores', () => {
    // GIVEN a hashed manifest name with single and double underscores
    const address = 'kubernetes_manifest.app--configmap--a_b__c_1234abcd';
    // WHEN stood in for and mapped back
    const standIn = standInAddress(address);
    // THEN the stand-in address splits at the first "__" back into the original
    assert.equal(standIn, 'terraform_data.kubernetes_manifest__app--configmap--a_b__c_1234abcd');
    assert.equal(originalAddress(standIn), address);
  });

  it('refuses a negative readiness', () => {
    // GIVEN a readiness of -1 s / WHEN stood in for / THEN the error says what is accepted
    assert.equal(rehearsalErrorOf(() => standInConfig([], { readinessSeconds: -1 })).message, 'readiness -1 must be a number of seconds from 0 to 3600, such as 0.5 or 2');
  });
});

describe('parseRehearsalLog', () => {
  it('reads phases, addresses and nanosecond times in log order', () => {
    // GIVEN two lines as the stand-ins write them
    const text = 'create-start helm_release.a 1700000000123456789\ncreate-end helm_release.a 1700000001000000000\n';
    // WHEN parsed / THEN milliseconds with microsecond precision, positions from 0
    assert.deepEqual(parseRehearsalLog(text), [
      { phase: 'create-start', address: 'helm_release.a', seq: 0, time: 1700000000123.456 },
      { phase: 'create-end', address: 'helm_release.a', seq: 1, time: 1700000001000 },
    ]);
  });

  it('names a line whose time is not in nanoseconds, as a date without %N writes it', () => {
    // GIVEN BSD date's output for %s%N
    const text = 'create-start helm_release.a 1700000000N\n';
    // WHEN parsed / THEN the error names the line and the need for GNU date
    assert.equal(
      rehearsalErrorOf(() => parseRehearsalLog(text)).message,
      'rehearsal log line 1 "create-start helm_release.a 1700000000N" has no time in nanoseconds; the stand-ins read it with "date +%s%N", which needs GNU date (coreutils)',
    );
  });
});

describe('checkOrder', () => {
  it('passes a rehearsal that installs tier by tier and tears down in exact reverse', () => {
    // GIVEN the two-tier plan executed in order
    const { plan, resources } = twoTiers();
    // WHEN checked
    const check = checkOrder({ plan, resources, events: events(...IN_ORDER) });
    // THEN no violation, four dependencies and two tiers checked
    assert.deepEqual(check, { violations: [], resources: 4, dependencies: 4, tiers: 2 });
  });

  it('names a resource that started before a lower tier was ready, and a dependency destroyed too early', () => {
    // GIVEN tier 10's release started while the tier 0 release was not ready (its gate did not wait),
    // and the tier 0 release destroyed before the gate that depends on it
    const { plan, resources } = twoTiers();
    const log = events(
      `create-start ${A}`, `create-start ${GATE_0}`, `create-end ${GATE_0}`, `create-start ${B}`, `create-end ${A}`, `create-end ${B}`,
      `create-start ${GATE_10}`, `create-end ${GATE_10}`, `destroy-start ${GATE_10}`, `destroy-end ${GATE_10}`, `destroy-start ${B}`, `destroy-end ${B}`,
      `destroy-start ${A}`, `destroy-end ${A}`, `destroy-start ${GATE_0}`, `destroy-end ${GATE_0}`,
    );
    // WHEN checked
    const { violations } = checkOrder({ plan, resources, events: log });
    // THEN the gate, the early release and the early destroy are each named
    assert.deepEqual(violations, [
      { rule: 'create-order', addresses: [GATE_0, A], message: 'create order: terraform_data.tier_0 started before helm_release.a, which it depends on, was ready' },
      { rule: 'destroy-order', addresses: [A, GATE_0], message: 'destroy order: helm_release.a was destroyed before terraform_data.tier_0, which depends on it, was gone' },
      { rule: 'tier-order', addresses: [B, A], message: 'tier order: helm_release.b (priority 10) started before helm_release.a (priority 0), of an earlier tier, was ready' },
    ]);
  });

  it('names a gate missing from the stack and the install-plan dependencies the stack lost with it', () => {
    // GIVEN a stack without the tier 0 gate (and without every reference to it), executed as Terraform may
    const { plan, resources } = twoTiers();
    const broken = resources
      .filter((r) => r.address !== GATE_0)
      .map((r) => ({ ...r, dependsOn: r.dependsOn.filter((d) => d !== GATE_0) }));
    const log = events(
      `create-start ${A}`, `create-start ${B}`, `create-end ${B}`, `create-start ${GATE_10}`, `create-end ${GATE_10}`, `create-end ${A}`,
      `destroy-start ${GATE_10}`, `destroy-end ${GATE_10}`, `destroy-start ${B}`, `destroy-end ${B}`, `destroy-start ${A}`, `destroy-end ${A}`,
    );
    // WHEN checked against the plan
    const { violations } = checkOrder({ plan, resources: broken, events: log });
    // THEN the missing gate is named, and the tier 10 resources that did not wait for tier 0
    assert.deepEqual(violations, [
      { rule: 'plan', addresses: [GATE_0], message: 'terraform_data.tier_0 is in the install plan but missing from the synthesized stack' },
      { rule: 'tier-order', addresses: [B, A], message: 'tier order: helm_release.b (priority 10) started before helm_release.a (priority 0), of an earlier tier, was ready' },
      { rule: 'tier-order', addresses: [GATE_10, A], message: 'tier order: terraform_data.tier_10 (priority 10) started before helm_release.a (priority 0), of an earlier tier, was ready' },
    ]);
  });

  it('names a plan dependency the stack lacks when it was broken', () => {
    // GIVEN a stack whose tier 0 gate lost its depends_on, executed with the gate ahead of the release
    const { plan, resources } = twoTiers();
    const broken = resources.map((r) => (r.address === GATE_0 ? { ...r, dependsOn: [] } : r));
    const log = events(
      `create-start ${GATE_0}`, `create-end ${GATE_0}`, `create-start ${A}`, `create-end ${A}`, `create-start ${B}`, `create-end ${B}`,
      `create-start ${GATE_10}`, `create-end ${GATE_10}`, `destroy-start ${GATE_10}`, `destroy-end ${GATE_10}`, `destroy-start ${B}`, `destroy-end ${B}`,
      `destroy-start ${GATE_0}`, `destroy-end ${GATE_0}`, `destroy-start ${A}`, `destroy-end ${A}`,
    );
    // WHEN checked
    const { violations } = checkOrder({ plan, resources: broken, events: log });
    // THEN the lost dependency is named whatever the timing, and what it let happen
    assert.deepEqual(violations, [
      {
        rule: 'plan',
        addresses: [GATE_0, A],
        message: 'terraform_data.tier_0 waits for helm_release.a in the install plan, but not in the synthesized stack, neither directly nor through other resources',
      },
      {
        rule: 'create-order',
        addresses: [GATE_0, A],
        message: 'create order: terraform_data.tier_0 started before helm_release.a was ready; the install plan has terraform_data.tier_0 wait for helm_release.a, but the synthesized stack does not',
      },
    ]);
  });

  it('accepts a plan dependency the stack keeps through another resource', () => {
    // GIVEN a stack where the tier 10 gate waits for release b only, which waits for the tier 0 gate
    const { plan, resources } = twoTiers();
    const indirect = resources.map((r) => (r.address === GATE_10 ? { ...r, dependsOn: [B] } : r));
    // WHEN checked after running in order
    const { violations } = checkOrder({ plan, resources: indirect, events: events(...IN_ORDER) });
    // THEN nothing is wrong: the gate still waits for tier 0, through b
    assert.deepEqual(violations, []);
  });

  it('names resources not created and destroyed exactly once, and log lines of unknown resources', () => {
    // GIVEN a log where release a was created twice, release b never destroyed, and a stranger appears
    const { plan, resources } = twoTiers();
    const log = events(...IN_ORDER.slice(0, 2), ...IN_ORDER.filter((l) => !l.endsWith(` ${B}`) || l.startsWith('create')), 'create-start helm_release.zz');
    // WHEN checked
    const { violations } = checkOrder({ plan, resources, events: log });
    // THEN each is named with what happened
    assert.deepEqual(
      violations.filter((v) => v.rule === 'once'),
      [
        { rule: 'once', addresses: [A], message: 'helm_release.a was created 2 times, destroyed 1 time; expected created once and destroyed once' },
        { rule: 'once', addresses: [B], message: 'helm_release.b was created 1 time, destroyed 0 times; expected created once and destroyed once' },
        { rule: 'once', addresses: ['helm_release.zz'], message: 'helm_release.zz is in the rehearsal log but is not a resource of the stack' },
      ],
    );
  });

  it('names at most three earlier resources per offender and counts the rest', () => {
    // GIVEN five releases at priority 0 and one at 10 that started before any of them was ready
    const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const plan = planCluster([addOn('p', [...names.map((n) => helmLayer(n, packValues(undefined, 0))), helmLayer('b', packValues(undefined, 10))])]);
    const resources = plan.resources.map((r) => ({ address: r.address, type: r.type, name: r.name, dependsOn: [] }));
    const early = [...names.map((n) => `create-start helm_release.${n}`), `create-start ${B}`, `create-end ${B}`, ...names.map((n) => `create-end helm_release.${n}`)];
    // WHEN checked
    const { violations } = checkOrder({ plan, resources, events: events(...early) });
    // THEN the release of tier 10 names three of the five by address and counts two more
    const tier = violations.filter((v) => v.rule === 'tier-order' && v.addresses[0] === B);
    assert.deepEqual(tier, [
      {
        rule: 'tier-order',
        addresses: [B, 'helm_release.a1', 'helm_release.a2', 'helm_release.a3'],
        message: 'tier order: helm_release.b (priority 10) started before 5 resources of earlier tiers were ready: helm_release.a1 (priority 0), helm_release.a2 (priority 0), helm_release.a3 (priority 0), and 2 more',
      },
    ]);
  });
});

describe('timeline', () => {
  it('groups the rehearsal by tier and row, with spans and the most resources at once', () => {
    // GIVEN the two-tier plan executed in order, one event every 100 ms
    const { plan, resources } = twoTiers();
    // WHEN made into a timeline
    const timeline = buildTimeline(plan, resources, events(...IN_ORDER));
    // THEN spans count from the first event, tier by tier
    assert.deepEqual(timeline, {
      startedAt: 1_000_000,
      install: { start: 0, end: 700 },
      teardown: { start: 800, end: 1500 },
      resources: 4,
      tiers: [
        {
          label: 'priority 0',
          rows: [
            { kind: 'layer', label: 'a', resources: [A], create: { start: 0, end: 100 }, destroy: { start: 1400, end: 1500 } },
            { kind: 'gate', label: 'gate', resources: [GATE_0], create: { start: 200, end: 300 }, destroy: { start: 1200, end: 1300 } },
          ],
          create: { start: 0, end: 300 },
          destroy: { start: 1200, end: 1500 },
          layers: 1,
          resources: 2,
          createdAtOnce: 1,
          destroyedAtOnce: 1,
        },
        {
          label: 'priority 10',
          rows: [
            { kind: 'layer', label: 'b', resources: [B], create: { start: 400, end: 500 }, destroy: { start: 1000, end: 1100 } },
            { kind: 'gate', label: 'gate', resources: [GATE_10], create: { start: 600, end: 700 }, destroy: { start: 800, end: 900 } },
          ],
          create: { start: 400, end: 700 },
          destroy: { start: 800, end: 1100 },
          layers: 1,
          resources: 2,
          createdAtOnce: 1,
          destroyedAtOnce: 1,
        },
      ],
    });
  });

  it('prints the install tier by tier and the teardown in reverse, with bars', () => {
    // GIVEN the two-tier timeline
    const { plan, resources } = twoTiers();
    const timeline = buildTimeline(plan, resources, events(...IN_ORDER));
    // WHEN formatted with 14-column bars
    const text = formatTimeline(timeline, { barWidth: 14 });
    // THEN each row's times and bar line up under the axis
    assert.equal(
      text,
      [
        'Install: 4 resources in 2 tiers, 0.70 s',
        '                                     0 s       0.70 s',
        '    1. priority 0       0.00-0.30 s  |######        |  1 layer, 2 resources, up to 1 at once',
        '         a              0.00-0.10 s  |##            |  1 resource',
        '         gate           0.20-0.30 s  |    ##        |',
        '    2. priority 10      0.40-0.70 s  |        ######|  1 layer, 2 resources, up to 1 at once',
        '         b              0.40-0.50 s  |        ##    |  1 resource',
        '         gate           0.60-0.70 s  |            ##|',
        '',
        'Teardown, tiers in reverse, 0.70 s',
        '                                     0 s       0.70 s',
        '    2. priority 10      0.00-0.30 s  |######        |  2 resources, up to 1 at once',
        '         gate           0.00-0.10 s  |##            |',
        '         b              0.20-0.30 s  |    ##        |  1 resource',
        '    1. priority 0       0.40-0.70 s  |        ######|  2 resources, up to 1 at once',
        '         gate           0.40-0.50 s  |        ##    |',
        '         a              0.60-0.70 s  |            ##|  1 resource',
      ].join('\n'),
    );
  });

  it('writes a Mermaid gantt chart with one section per tier for install and teardown', () => {
    // GIVEN the two-tier timeline
    const { plan, resources } = twoTiers();
    const timeline = buildTimeline(plan, resources, events(...IN_ORDER));
    // WHEN written as Mermaid
    const chart = mermaidGantt(timeline);
    // THEN wall-clock milliseconds (a short chart's axis shows them), sections named after the tiers, labels carrying durations
    assert.equal(
      chart,
      [
        'gantt',
        '  title Rehearsal: install 0.70 s, teardown 0.70 s',
        '  dateFormat x',
        '  axisFormat %H:%M:%S.%L',
        '  todayMarker off',
        '  section Install 1 priority 0',
        '    layer a 0.10 s : 1000000, 1000100',
        '    gate 0.10 s : 1000200, 1000300',
        '  section Install 2 priority 10',
        '    layer b 0.10 s : 1000400, 1000500',
        '    gate 0.10 s : 1000600, 1000700',
        '  section Teardown 2 priority 10',
        '    gate 0.10 s : 1000800, 1000900',
        '    layer b 0.10 s : 1001000, 1001100',
        '  section Teardown 1 priority 0',
        '    gate 0.10 s : 1001200, 1001300',
        '    layer a 0.10 s : 1001400, 1001500',
        '',
      ].join('\n'),
    );
  });
  it('charts the teardown alone on its own time scale when asked', () => {
    // GIVEN the two-tier timeline
    const { plan, resources } = twoTiers();
    const timeline = buildTimeline(plan, resources, events(...IN_ORDER));
    // WHEN only the teardown is charted
    const chart = mermaidGantt(timeline, { phases: ['teardown'] });
    // THEN the title and the sections are the teardown's only
    assert.deepEqual(
      chart.split('\n').filter((l) => /^  (title|section) /.test(l)),
      ['  title Rehearsal: teardown 0.70 s', '  section Teardown 2 priority 10', '  section Teardown 1 priority 0'],
    );
  });
});

describe('rehearse command arguments', () => {
  it('refuses a readiness that is not a number of seconds, before anything runs', async () => {
    // GIVEN --readiness abc
    // WHEN run / THEN a usage error says what is accepted
    await assert.rejects(
      rehearseCommand(['--readiness', 'abc', 'profile.json'], () => undefined, () => undefined),
      (err: unknown) => err instanceof UsageError && err.message === '--readiness "abc" must be a number of seconds from 0 to 3600, such as 0.5 or 2',
    );
  });

  it('refuses a parallelism that is not a whole number', async () => {
    // GIVEN --parallelism 2.5
    // WHEN run / THEN a usage error says what is accepted
    await assert.rejects(
      rehearseCommand(['--parallelism', '2.5', 'profile.json'], () => undefined, () => undefined),
      (err: unknown) => err instanceof UsageError && err.message === '--parallelism "2.5" must be a whole number from 1 to 1000, such as 10',
    );
  });
});
