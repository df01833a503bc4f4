import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { HelmIndexCache, HelmIndexError, indexLocation, parseHelmIndex, readHelmIndex } from '../src/core/input/helm-index';
import { REPO } from './synth-helpers';

const REPO_DIR = join(REPO, 'test', 'fixtures', 'helm-repo');

/** The HelmIndexError a promise rejects with. */
async function indexErrorOf(promise: Promise<unknown>): Promise<HelmIndexError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HelmIndexError) return err;
    throw new Error(`expected a HelmIndexError, got ${String(err)}`);
  }
  throw new Error('expected a HelmIndexError, but nothing was thrown');
}

describe('helm-index: where an index lives', () => {
  it('appends index.yaml to an https URL, once', () => {
    assert.deepEqual(indexLocation('https://charts.example.com/stable/'), { kind: 'http', url: 'https://charts.example.com/stable/index.yaml' });
  });

  it('reads file:// URLs and local paths as files', () => {
    assert.deepEqual(indexLocation(pathToFileURL(REPO_DIR).href), { kind: 'file', path: REPO_DIR });
    assert.deepEqual(indexLocation(REPO_DIR), { kind: 'file', path: REPO_DIR });
  });

  it('refuses OCI registries, which have no index', () => {
    assert.throws(() => indexLocation('oci://registry.example.com/charts'), {
      name: 'HelmIndexError',
      message: 'oci://registry.example.com/charts is an OCI registry, which has no index.yaml to resolve a version train from; give an exact version',
    });
  });
});

describe('helm-index: reading', () => {
  it('lists every version of every chart of an index in a local directory, in index order', async () => {
    // GIVEN the fixture repository folder
    // WHEN its index is read
    const index = await readHelmIndex(REPO_DIR);
    // THEN every chart's versions are strings as written (1.10 stays "1.10", not the number 1.1)
    assert.equal(index.location, join(REPO_DIR, 'index.yaml'));
    assert.deepEqual(Object.fromEntries(index.charts), {
      hello: ['2.0.0', '1.11.0-rc.1', '1.10.1', '1.9.0', '1.2.0'],
      world: ['v0.3.0', '1.10'],
    });
  });

  it('reads the same index through a file:// URL', async () => {
    const index = await readHelmIndex(pathToFileURL(REPO_DIR).href);
    assert.deepEqual(index.charts.get('hello'), ['2.0.0', '1.11.0-rc.1', '1.10.1', '1.9.0', '1.2.0']);
  });

  it('fetches an https index with the given fetch function', async () => {
    // GIVEN a fetch that serves a tiny index and records the URL asked for
    const asked: string[] = [];
    const fakeFetch = (async (url: string) => {
      asked.push(url);
      return new Response('entries:\n  a:\n    - version: 0.1.0\n', { status: 200 });
    }) as unknown as typeof fetch;
    // WHEN read
    const index = await readHelmIndex('https://charts.example.com', { fetch: fakeFetch });
    // THEN the index URL was fetched and parsed
    assert.deepEqual(asked, ['https://charts.example.com/index.yaml']);
    assert.deepEqual(Object.fromEntries(index.charts), { a: ['0.1.0'] });
  });

  it('reports an HTTP error with the URL and status', async () => {
    const notFound = (async () => new Response('no', { status: 404, statusText: 'Not Found' })) as unknown as typeof fetch;
    const err = await indexErrorOf(readHelmIndex('https://charts.example.com', { fetch: notFound }));
    assert.equal(err.message, 'cannot fetch https://charts.example.com/index.yaml: HTTP 404 Not Found');
  });

  it('reports a missing local index', async () => {
    const err = await indexErrorOf(readHelmIndex(join(REPO_DIR, 'nope')));
    assert.equal(err.message, `cannot read ${join(REPO_DIR, 'nope')}: no such file or directory`);
  });

  it('refuses a YAML file that is not a Helm index', () => {
    assert.throws(() => parseHelmIndex('apiVersion: v1\nkind: ConfigMap\n', 'x/index.yaml'), {
      name: 'HelmIndexError',
      message: 'x/index.yaml is not a Helm repository index: it has no "entries" map of chart name to versions',
    });
  });

  it('reads each repository once per cache, however many times it is asked for', async () => {
    // GIVEN a cache over a counting fetch
    let calls = 0;
    const counting = (async () => {
      calls++;
      return new Response('entries: {}\n', { status: 200 });
    }) as unknown as typeof fetch;
    const cache = new HelmIndexCache({ fetch: counting });
    // WHEN the same repository is asked for three times (with and without a trailing slash)
    await Promise.all([cache.get('https://x.example'), cache.get('https://x.example/'), cache.get('https://x.example')]);
    // THEN it was fetched once
    assert.equal(calls, 1);
  });
});
