import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../src/cli/main';
import { HelmIndexCache, HelmIndexError, MAX_INDEX_BYTES, readHelmIndex } from '../src/core/input/helm-index';
import { resolveTrains } from '../src/core/input/trains';
import { addOn, helmLayer } from './helpers';
import { REPO } from './synth-helpers';

/**
 * Inputs that once hung the tool or made it grow without bound. Each must end at once with a clear
 * error; the time taken is printed (not asserted: the machine may be busy), and each test has a
 * generous hang guard.
 */

const GUARD = { timeout: 10_000 };
const scratch = mkdtempSync(join(tmpdir(), 'hostile-input-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const PROFILE = join(REPO, 'test', 'fixtures', 'web-platform.json');

async function timed(command: string, args: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const start = process.hrtime.bigint();
  const code = await main([command, ...args], () => undefined, (l) => err.push(l));
  console.log(`${command} ${args.join(' ').slice(0, 80)}: exit ${code} after ${Number(process.hrtime.bigint() - start) / 1e6} ms`);
  return { code, err };
}

function header(command: string): string {
  return `cluster-profiles ${command}: 1 problem in the profiles; nothing was written:`;
}

describe('hostile input ends at once with a clear error', () => {
  it('refuses /dev/zero as a profile file without reading it', GUARD, async () => {
    // GIVEN /dev/zero, which never ends WHEN planned THEN refused by its type
    const run = await timed('plan', ['/dev/zero']);
    assert.deepEqual(run, { code: 1, err: [header('plan'), '  /dev/zero: cannot be read: is a character device, not a profile file'] });
  });

  it('refuses /dev/zero as a --var-file without reading it', GUARD, async () => {
    // GIVEN --var-file /dev/zero WHEN planned THEN refused by its type
    const run = await timed('plan', ['--registry', 'Charts=https://charts.example.com', '--var-file', '/dev/zero', PROFILE]);
    assert.deepEqual(run, { code: 1, err: [header('plan'), '  /dev/zero: (--var-file) cannot be read: is a character device, not a variables file'] });
  });

  it('refuses a FIFO nobody writes to instead of waiting for it', GUARD, async () => {
    // GIVEN a named pipe with no writer
    const fifo = join(scratch, 'profile.json');
    execFileSync('mkfifo', [fifo]);
    // WHEN synthesized THEN refused by its type, without blocking on the open
    const run = await timed('synth', ['--out', join(scratch, 'out'), fifo]);
    assert.deepEqual(run, { code: 1, err: [header('synth'), `  ${fifo}: cannot be read: is a FIFO (named pipe), not a profile file`] });
  });

  it('checks a variable regex that backtracks catastrophically in linear time', GUARD, async () => {
    // GIVEN a variable regex ^(a+)+$ whose default is 100,000 a's followed by "!"
    const file = join(scratch, 'redos.json');
    const defaultValue = `${'a'.repeat(100_000)}!`;
    const pack = { name: 'web', type: 'helm', layer: 'addon', version: '1.0.0', values: 'pack:\n  namespace: web\nx: "{{.spectro.var.v}}"\n', registry: { metadata: { name: 'Charts' } } };
    writeFileSync(file, JSON.stringify({ metadata: { name: 'p' }, spec: { version: '1.0.0', variables: [{ name: 'v', regex: '^(a+)+$', defaultValue }], template: { type: 'add-on', packs: [pack] } } }));
    // WHEN planned THEN the default is refused for not matching, at once
    const run = await timed('plan', ['--registry', 'Charts=https://charts.example.com', file]);
    assert.equal(run.code, 1);
    assert.equal(run.err[1].endsWith(`does not match the variable's regex "^(a+)+$"`), true, run.err[1]);
  });

  it('cuts off an index sent without Content-Length once it passes the cap', GUARD, async () => {
    // GIVEN a server streaming 1 MiB chunks with no length, forever
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const endless = (): Promise<Response> =>
      Promise.resolve(new Response(new ReadableStream({ pull: (c) => { sent += chunk.length; c.enqueue(chunk); } })));
    // WHEN the index is read THEN refused by size, having read just past the cap
    const start = process.hrtime.bigint();
    await assert.rejects(readHelmIndex('https://charts.example.com', { fetch: endless }), (err: unknown) => {
      assert.equal(err instanceof HelmIndexError, true);
      assert.equal((err as Error).message, `https://charts.example.com/index.yaml is more than ${MAX_INDEX_BYTES} bytes; an index may be at most ${MAX_INDEX_BYTES} bytes`);
      return true;
    });
    console.log(`endless index: refused after ${sent} bytes sent, ${Number(process.hrtime.bigint() - start) / 1e6} ms`);
    assert.equal(sent <= MAX_INDEX_BYTES + 3 * chunk.length, true);
  });

  it('names the URL and the limit when an index body stalls', GUARD, async () => {
    // GIVEN a server that answers, then never sends the body; a 200 ms limit
    const stalled = (_: unknown, init?: RequestInit): Promise<Response> =>
      Promise.resolve(new Response(new ReadableStream({ start: (c) => init?.signal?.addEventListener('abort', () => c.error(init.signal!.reason)) })));
    // WHEN the index is read THEN the timeout names the URL and the limit
    const hold = setTimeout(() => undefined, 5_000); // the timeout's own timer does not keep node running
    await assert.rejects(readHelmIndex('https://charts.example.com', { fetch: stalled as typeof fetch, timeoutMs: 200 }), {
      name: 'HelmIndexError',
      message: 'cannot fetch https://charts.example.com/index.yaml: timed out after 200 ms (the limit for one index, response and body)',
    });
    clearTimeout(hold);
  });

  it('prints control characters of names escaped, never raw', GUARD, async () => {
    // GIVEN a manifest whose name erases the terminal line (ESC[2K) and whose document is bad
    const file = join(scratch, 'escape.json');
    const pack = { name: 'm', type: 'manifest', layer: 'addon', values: 'pack:\n  namespace: web\n', manifests: [{ name: 'cm\u001b[2K', content: 'apiVersion: v1\nkind: ConfigMap\n' }] };
    writeFileSync(file, JSON.stringify({ metadata: { name: 'p' }, spec: { version: '1.0.0', template: { type: 'add-on', packs: [pack] } } }));
    // WHEN synthesized THEN the name is printed with ESC written as \u001b
    const run = await timed('synth', ['--out', join(scratch, 'out-escape'), file]);
    assert.deepEqual(run, {
      code: 1,
      err: [header('synth'), `  ${file}: profile "p" layer "m" manifest "cm\\u001b[2K" document 1: metadata.name must be a non-empty string (generateName is not supported: Terraform needs a fixed name), found nothing`],
    });
  });

  it('never prints the password of a registry URL', GUARD, async () => {
    // GIVEN a registry URL with user:secret@ whose index cannot be fetched, and a layer with a version train
    const file = join(scratch, 'registry-login.json');
    const pack = { name: 'web', type: 'helm', layer: 'addon', version: '1.x', values: 'pack:\n  namespace: web\n', registry: { metadata: { name: 'Charts' } } };
    writeFileSync(file, JSON.stringify({ metadata: { name: 'p' }, spec: { version: '1.0.0', template: { type: 'add-on', packs: [pack] } } }));
    // WHEN planned THEN the URL is printed with its credentials replaced by ***
    const run = await timed('plan', ['--registry', 'Charts=http://user:secret@127.0.0.1:4', file]);
    assert.equal(run.code, 1);
    assert.equal(run.err.join('\n').includes('secret'), false, run.err.join('\n'));
    assert.equal(run.err.join('\n').includes('http://***@127.0.0.1:4/index.yaml'), true, run.err.join('\n'));
  });

  it('names the profile, layer, registry and URL when a version train\'s index stalls', GUARD, async () => {
    // GIVEN a layer with train 1.x from registry Local, whose index answers and then sends nothing; a 200 ms limit
    const stalled = (_: unknown, init?: RequestInit): Promise<Response> =>
      Promise.resolve(new Response(new ReadableStream({ start: (c) => init?.signal?.addEventListener('abort', () => c.error(init.signal!.reason)) })));
    const profiles = [addOn('apps', [helmLayer('hello', undefined, { repository: undefined, registry: 'Local', version: '1.x' })])];
    const helmIndexes = new HelmIndexCache({ fetch: stalled as typeof fetch, timeoutMs: 200 });
    // WHEN its train is resolved THEN the one problem names where, which index and which limit
    const hold = setTimeout(() => undefined, 5_000);
    await assert.rejects(resolveTrains(profiles, { registries: { Local: 'https://charts.example.com' }, helmIndexes }), {
      message:
        'profile "apps" layer "hello": registry "Local" has an index that cannot be read, so version train "1.x" cannot be resolved (cannot fetch https://charts.example.com/index.yaml: timed out after 200 ms (the limit for one index, response and body)); fix the index or its URL, or give an exact version',
    });
    clearTimeout(hold);
  });
});
