/**
 * The example app: one edge cluster running the `edge-platform` full profile and the
 * `team-observability` add-on profile, synthesized into `cdktf.out/`. `npm start` and
 * `cdktf synth` both run it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ClusterStack, findHazards, formatHazards, formatPlan, loadProfileFiles } from '../src';

const dir = join(__dirname, '..', '..', 'examples', 'profiles');
const registries = JSON.parse(readFileSync(join(dir, 'registries.json'), 'utf8')) as Record<string, string>;
const profiles = loadProfileFiles([join(dir, 'edge-platform.json'), join(dir, 'team-observability.json')]);

const app = new App();
const stack = new ClusterStack(app, 'edge-cluster', { profiles, registries });
app.synth();

console.log(formatPlan(stack.profiles.plan));
const hazards = findHazards(stack.profiles.plan);
if (hazards.length > 0) console.log(`Hazards (${hazards.length}):\n${formatHazards(hazards).replace(/^/gm, "  ")}`);
console.log(`Wrote ${join(app.outdir, 'stacks', 'edge-cluster', 'cdk.tf.json')} (${stack.profiles.plan.resources.length} resources)`);
