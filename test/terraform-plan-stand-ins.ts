import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { ClusterStack, InstallPlan } from '../src';
import { readStackGraph } from '../src/rehearse/stack-graph';
import { addressOf } from '../src/core/model/address';
import { escapeTemplate } from '../src/core/resolve/terraform-escape';
import { originalAddress, standInAddress, standInName } from '../src/rehearse/stand-ins';
import { terraformOk } from './terraform';

/**
 * Real Terraform plans of a profile change, offline. Each resource of a synthesized stack becomes a
 * `terraform_data` stand-in (the rehearsal's addresses, `terraform_data.helm_release__x`) whose
 * `input` is the resource's configuration as JSON text and whose `triggers_replace` holds the
 * attributes the real provider cannot change in place (ForceNew: a release's name and namespace, a
 * namespace's name, an object's apiVersion, kind, name and namespace). The stack's `moved` and
 * `removed` blocks are kept, re-addressed. Terraform itself then decides every action (create,
 * update, replace, delete, move, forget) and writes the plan with `terraform show -json`; the plan
 * is read back with each stand-in's original address, type and configuration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The stack `synth` writes for a plan. */
export function synthesizeStack(plan: InstallPlan, outdir: string): Json {
  const app = Testing.app({ outdir });
  return JSON.parse(Testing.synth(new ClusterStack(app, 'review', { plan })));
}

/** What the provider replaces rather than updates, by resource type. */
function forceNew(type: string, body: Json): unknown {
  switch (type) {
    case 'helm_release':
      return { name: body.name, namespace: body.namespace };
    case 'kubernetes_namespace_v1':
      return { name: body.metadata?.name };
    case 'kubernetes_manifest':
      return { apiVersion: body.manifest?.apiVersion, kind: body.manifest?.kind, name: body.manifest?.metadata?.name, namespace: body.manifest?.metadata?.namespace ?? null };
    case 'terraform_data':
      return body.triggers_replace ?? null;
    default:
      return null;
  }
}

const NOT_CONFIGURATION = new Set(['depends_on', 'provider', 'lifecycle', 'provisioner', 'connection', 'count', 'for_each', 'timeouts']);

/** The stand-in configuration of a synthesized stack, with attributes. */
export function standInsWithAttributes(stack: Json): Json {
  const graph = new Map(readStackGraph(stack).map((r) => [r.address, r]));
  const resources: Json = {};
  for (const [type, byName] of Object.entries(stack.resource ?? {}) as [string, Json][]) {
    for (const [name, body] of Object.entries(byName) as [string, Json][]) {
      const address = addressOf(type, name);
      const config = Object.fromEntries(Object.entries(body).filter(([k]) => !NOT_CONFIGURATION.has(k)));
      // Escaped, so that Terraform keeps the configuration's own interpolations as text.
      const text = (v: unknown): string => escapeTemplate(JSON.stringify(v));
      const dependsOn = graph.get(address)!.dependsOn;
      resources[standInName(address)] = {
        input: text({ type, config }),
        triggers_replace: text(forceNew(type, body)),
        ...(dependsOn.length > 0 ? { depends_on: dependsOn.map(standInAddress) } : {}),
      };
    }
  }
  const moved = (stack.moved ?? []).map((m: Json) => ({ from: standInAddress(m.from), to: standInAddress(m.to) }));
  const removed = (stack.removed ?? []).map((r: Json) => ({ ...r, from: standInAddress(r.from) }));
  return { resource: { terraform_data: resources }, ...(moved.length > 0 ? { moved } : {}), ...(removed.length > 0 ? { removed } : {}) };
}

/**
 * Applies the stand-ins of `before` (when given), then plans the stand-ins of `after` and returns
 * `terraform show -json` of that plan, as Terraform wrote it (stand-in addresses).
 */
export function realPlanJson(dir: string, before: Json | undefined, after: Json): Json {
  mkdirSync(dir, { recursive: true });
  const main = join(dir, 'main.tf.json');
  writeFileSync(main, JSON.stringify(before ?? after, null, 2));
  terraformOk(dir, ['init', '-input=false', '-no-color'], { TF_CLI_CONFIG_FILE: '/dev/null' });
  if (before !== undefined) terraformOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], { TF_CLI_CONFIG_FILE: '/dev/null' });
  writeFileSync(main, JSON.stringify(after, null, 2));
  terraformOk(dir, ['plan', '-input=false', '-no-color', '-out=change.tfplan'], { TF_CLI_CONFIG_FILE: '/dev/null' });
  return JSON.parse(terraformOk(dir, ['show', '-json', 'change.tfplan'], { TF_CLI_CONFIG_FILE: '/dev/null' }));
}

/** The plan with each stand-in back under its original address, type, name and attributes. */
export function originalPlan(plan: Json): Json {
  const values = (v: Json | null): unknown => (v === null || v === undefined ? v : JSON.parse(v.input).config);
  const changes = (plan.resource_changes ?? []).map((rc: Json) => {
    // Resources of the user's own (not stand-ins) stay as they are.
    const address = originalAddress(rc.address);
    if (address === undefined) return rc;
    const dot = address.indexOf('.');
    return {
      ...rc,
      address,
      type: address.slice(0, dot),
      name: address.slice(dot + 1),
      ...(rc.previous_address !== undefined ? { previous_address: originalAddress(rc.previous_address) } : {}),
      change: { ...rc.change, before: values(rc.change.before), after: values(rc.change.after) },
    };
  });
  return { ...plan, resource_changes: changes };
}
