/**
 * A small JSON GET for resolvers (registry metadata): redirects followed, a size cap,
 * a timeout, and retries with backoff on 5xx, resets and timeouts.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { assertUrlAllowed, confinedLookup } from '../ingest/ingest-confinement.js';
import { OntocatError } from '../shared/errors.js';

export interface JsonGetOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  /** Largest body accepted (default 64 MiB: npm metadata of long-lived packages is large). */
  readonly maxBytes?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

function once(url: URL, options: JsonGetOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    assertUrlAllowed(url);
    const client = url.protocol === 'https:' ? https : http;
    const lookup = confinedLookup();
    const req = client.get(url, { headers: { 'user-agent': 'ontocat', accept: 'application/json', ...options.headers }, signal: options.signal, ...(lookup ? { lookup } : {}) }, resolve);
    const timeoutMs = options.timeoutMs ?? 30_000;
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

class Retryable extends Error {}

async function attempt(url: string, options: JsonGetOptions): Promise<unknown> {
  let current = new URL(url);
  for (let hops = 0; ; hops += 1) {
    const response = await once(current, options);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hops >= 5) throw new OntocatError('FETCH_FAILED', `Too many redirects fetching ${url}.`);
      current = new URL(response.headers.location, current);
      continue;
    }
    if (status >= 500 || status === 429 || status === 408) {
      response.resume();
      throw new Retryable(`HTTP ${status} from ${current.href}`);
    }
    if (status !== 200) {
      response.resume();
      throw new OntocatError('FETCH_FAILED', `Fetching ${current.href} failed: HTTP ${status}.`);
    }
    const max = options.maxBytes ?? 64 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > max) {
        response.destroy();
        throw new OntocatError('LIMIT_EXCEEDED', `Refused ${current.href}: more than ${max} bytes of metadata.`);
      }
      chunks.push(chunk as Buffer);
    }
    if (!response.complete) throw new Retryable(`the body of ${current.href} was truncated`);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch {
      throw new OntocatError('FETCH_FAILED', `${current.href} did not answer JSON.`);
    }
  }
}

/** GETs `url` and parses its JSON body. */
export async function getJson(url: string, options: JsonGetOptions = {}): Promise<unknown> {
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 500;
  let last: unknown = null;
  for (let tries = 1; tries <= retries + 1; tries += 1) {
    if (options.signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
    try {
      return await attempt(url, options);
    } catch (error) {
      if (options.signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
      if (error instanceof OntocatError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (!(error instanceof Retryable) && !['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE'].includes(code ?? '')) {
        throw new OntocatError('FETCH_FAILED', `Fetching ${url} failed: ${(error as Error).message}.`);
      }
      last = error;
      if (tries <= retries) await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (tries - 1)));
    }
  }
  throw new OntocatError('FETCH_FAILED', `Fetching ${url} failed after ${retries + 1} attempts: ${(last as Error).message}.`);
}
