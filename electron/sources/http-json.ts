/**
 * A small JSON GET for resolvers (registry metadata): redirects followed, a size cap,
 * a timeout, and retries with backoff on 5xx, resets and timeouts, no sooner than a
 * Retry-After says; a body in a content coding (some CDNs code it unasked) is decoded.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { assertUrlAllowed, confinedLookup } from '../ingest/ingest-confinement.js';
import { MAX_REDIRECTS, redirectTarget } from '../ingest/http-download.js';
import { OntocatError } from '../shared/errors.js';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../shared/http-date.js';

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

class Retryable extends Error {
  /** How long the server asked us to wait first (Retry-After), when it said. */
  constructor(message: string, readonly retryAfterMs: number | null = null) {
    super(message);
  }
}

/** The body as sent, decoded from its content coding (at most `max` bytes decoded). */
function decoded(body: Buffer, encoding: string | undefined, max: number, url: string): Buffer {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  try {
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(body, { maxOutputLength: max });
    // Raw deflate where the zlib format belongs, as some servers send it (see http-download.ts).
    if (coding === 'deflate') return (body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0 ? inflateSync : inflateRawSync)(body, { maxOutputLength: max });
    if (coding === 'br') return brotliDecompressSync(body, { maxOutputLength: max });
  } catch (error) {
    throw new OntocatError('FETCH_FAILED', `${url} answered a ${coding} body that does not decode within ${max} bytes: ${(error as Error).message}.`);
  }
  if (coding === 'identity' || coding === '') return body;
  throw new OntocatError('FETCH_FAILED', `${url} answered with Content-Encoding ${encoding}, which Ontocat cannot decode.`);
}

async function attempt(url: string, options: JsonGetOptions): Promise<unknown> {
  let current = new URL(url);
  for (let hops = 0; ; hops += 1) {
    const response = await once(current, options);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hops >= MAX_REDIRECTS) throw new OntocatError('FETCH_FAILED', `Too many redirects (over ${MAX_REDIRECTS}) fetching ${url}.`);
      current = redirectTarget(response.headers.location, current);
      continue;
    }
    if (status >= 500 || status === 429 || status === 408) {
      response.resume();
      const retryAfter = response.headers['retry-after'];
      const wait = retryAfterMs(retryAfter);
      if (wait !== null && wait > MAX_RETRY_AFTER_MS) {
        throw new OntocatError('FETCH_FAILED', `${current.href} answered HTTP ${status} with Retry-After ${retryAfter}: it asks to be asked again no sooner than `
          + `${new Date(Date.now() + wait).toISOString()}. The next sync after then will ask again.`);
      }
      throw new Retryable(`HTTP ${status} from ${current.href}`, wait);
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
    const body = decoded(Buffer.concat(chunks), response.headers['content-encoding'], max, current.href);
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
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
      const asked = error instanceof Retryable ? error.retryAfterMs ?? 0 : 0;
      if (tries <= retries) await new Promise((resolve) => setTimeout(resolve, Math.max(backoff * 2 ** (tries - 1), asked)));
    }
  }
  throw new OntocatError('FETCH_FAILED', `Fetching ${url} failed after ${retries + 1} attempts: ${(last as Error).message}.`);
}
