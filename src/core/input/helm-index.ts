import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { isMap } from './yaml';

/**
 * Reading a Helm repository's `index.yaml`, the standard list of every chart version a repository
 * holds, to find the candidates of a version train. The repository may be given as an `https://`
 * (or `http://`) URL, a `file://` URL or a local directory: tests and air-gapped users resolve
 * trains against a copy of the index on disk, with no network.
 */

/** The chart versions a repository lists, by chart name, in the order the index gives them. */
export interface HelmIndex {
  /** Where the index was read from (URL or file path). */
  readonly location: string;
  /** Chart name to the versions listed. */
  readonly charts: ReadonlyMap<string, readonly string[]>;
}

/** Reading an index failed: unreachable, missing, or not a Helm index. The message says which. */
export class HelmIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelmIndexError';
  }
}

/** Options for reading an index. */
export interface ReadHelmIndexOptions {
  /**
   * The fetch function for `http(s)://` repositories.
   * @default - node's global fetch
   */
  readonly fetch?: typeof fetch;
  /**
   * How long to wait for an `http(s)://` index, in milliseconds.
   * @default 30000
   */
  readonly timeoutMs?: number;
}

/** Indexes larger than this are refused: the largest public repositories stay well below it. */
export const MAX_INDEX_BYTES = 128 * 1024 * 1024;

/** Where a repository's index lives: a URL to fetch or a file to read. */
export type IndexLocation = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'file'; readonly path: string };

/**
 * The index location of a repository: `<repository>/index.yaml`. A local path or `file://` URL may
 * also name the index file itself. OCI registries have no index and are refused.
 */
export function indexLocation(repository: string): IndexLocation {
  const trimmed = repository.trim();
  if (/^oci:\/\//i.test(trimmed)) {
    throw new HelmIndexError(`${trimmed} is an OCI registry, which has no index.yaml to resolve a version train from; give an exact version`);
  }
  if (/^https?:\/\//i.test(trimmed)) return { kind: 'http', url: `${trimmed.replace(/\/+$/, '')}/index.yaml` };
  if (/^file:\/\//i.test(trimmed)) {
    try {
      return { kind: 'file', path: fileURLToPath(trimmed) };
    } catch (err) {
      throw new HelmIndexError(`${trimmed} is not a valid file:// URL: ${(err as Error).message}`);
    }
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed)) {
    throw new HelmIndexError(`${trimmed} uses a scheme this tool cannot read an index.yaml from; use https://, file:// or a local directory`);
  }
  return { kind: 'file', path: resolve(trimmed) };
}

/** Reads and parses a repository's index. */
export async function readHelmIndex(repository: string, options: ReadHelmIndexOptions = {}): Promise<HelmIndex> {
  const where = indexLocation(repository);
  if (where.kind === 'http') {
    const text = await fetchText(where.url, options);
    return { location: where.url, charts: parseHelmIndex(text, where.url) };
  }
  let path = where.path;
  try {
    if ((await stat(path)).isDirectory()) path = join(path, 'index.yaml');
  } catch (err) {
    throw new HelmIndexError(`cannot read ${path}: ${describeFsError(err)}`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new HelmIndexError(`cannot read ${path}: ${describeFsError(err)}`);
  }
  if (bytes.length > MAX_INDEX_BYTES) throw new HelmIndexError(`${path} is ${bytes.length} bytes; an index may be at most ${MAX_INDEX_BYTES} bytes`);
  return { location: path, charts: parseHelmIndex(bytes.toString('utf8'), path) };
}

async function fetchText(url: string, options: ReadHelmIndexOptions): Promise<string> {
  const get = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  // One deadline for the response and its whole body: a server that sends slowly is cut off too.
  const signal = AbortSignal.timeout(timeoutMs);
  const failed = (err: unknown): HelmIndexError => {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const timedOut = (err as Error).name === 'TimeoutError' || signal.aborted;
    const why = timedOut ? `timed out after ${timeoutMs} ms (the limit for one index, response and body)` : (cause?.code ?? cause?.message ?? (err as Error).message);
    return new HelmIndexError(`cannot fetch ${url}: ${why}`);
  };
  let response: Response;
  try {
    response = await get(url, { signal, redirect: 'follow' });
  } catch (err) {
    throw failed(err);
  }
  if (!response.ok) throw new HelmIndexError(`cannot fetch ${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const tooBig = (size: string): HelmIndexError => new HelmIndexError(`${url} is ${size} bytes; an index may be at most ${MAX_INDEX_BYTES} bytes`);
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_INDEX_BYTES) throw tooBig(String(length));
  if (response.body === null) return '';
  // Counted while it streams: a body sent without Content-Length (chunked) is held to the cap too.
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      total += part.value.byteLength;
      if (total > MAX_INDEX_BYTES) throw tooBig(`more than ${MAX_INDEX_BYTES}`);
      chunks.push(part.value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err instanceof HelmIndexError ? err : failed(err);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}

/**
 * Parses the text of an `index.yaml`: `entries: {<chart>: [{version: ...}, ...]}`. Every scalar is
 * read as a string (YAML's failsafe schema), so a version such as `1.10` is never turned into the
 * number 1.1.
 */
export function parseHelmIndex(text: string, location: string): Map<string, string[]> {
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA, filename: location, json: true });
  } catch (err) {
    const reason = err instanceof yaml.YAMLException ? err.reason : (err as Error).message;
    throw new HelmIndexError(`${location} is not valid YAML: ${reason}`);
  }
  if (!isMap(doc) || !isMap(doc.entries)) {
    throw new HelmIndexError(`${location} is not a Helm repository index: it has no "entries" map of chart name to versions`);
  }
  const charts = new Map<string, string[]>();
  for (const [chart, list] of Object.entries(doc.entries)) {
    if (!Array.isArray(list)) continue;
    const versions: string[] = [];
    for (const entry of list) {
      if (isMap(entry) && typeof entry.version === 'string' && entry.version !== '') versions.push(entry.version);
    }
    charts.set(chart, versions);
  }
  return charts;
}

/**
 * Reads each repository's index at most once per run, however many layers use it: one fetch per
 * repository, shared by every train that needs it.
 */
export class HelmIndexCache {
  private readonly pending = new Map<string, Promise<HelmIndex>>();

  constructor(private readonly options: ReadHelmIndexOptions = {}) {}

  /** The index of `repository`, read on first use. */
  public get(repository: string): Promise<HelmIndex> {
    const key = repository.trim().replace(/\/+$/, '');
    let found = this.pending.get(key);
    if (found === undefined) {
      found = readHelmIndex(repository, this.options);
      this.pending.set(key, found);
    }
    return found;
  }
}
