import { createHash } from 'node:crypto';
import { mkdir, open, unlink } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { constants as zlibConstants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw, gunzipSync } from 'node:zlib';
import { OntocatError, isOntocatError } from '../shared/errors.js';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../shared/http-date.js';
import type { WorkControl } from '../shared/progress.js';
import { assertUrlAllowed, confinedLookup } from './ingest-confinement.js';
import { writeFully } from '../storage/write-fully.js';

/**
 * What a download asks for: the ontology formats first, anything else last. A
 * content-negotiated address (w3id.org, purl.org, identifiers.org) answers the ontology to
 * such a request and its HTML page to one that prefers nothing, as rapper and ROBOT ask.
 */
export const ONTOLOGY_ACCEPT = [
  'application/rdf+xml', 'text/turtle', 'application/owl+xml', 'text/owl-functional', 'text/obo', 'application/obo',
  'application/n-triples;q=0.9', 'application/ld+json;q=0.9', 'application/n-quads;q=0.9', 'application/trig;q=0.9',
  'application/octet-stream;q=0.5', '*/*;q=0.1',
].join(', ');

export interface DownloadOptions extends WorkControl {
  /** Refuse bodies larger than this (LIMIT_EXCEEDED). */
  readonly maxBytes: number;
  /** Give up on a connection idle this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Extra attempts after a 5xx, a reset or a timeout (default 3). */
  readonly retries?: number;
  /** First backoff delay; doubles each attempt (default 500 ms). */
  readonly backoffMs?: number;
  /** Validators of the copy we already have: a 304 then means "reuse it". */
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  /**
   * Makes the target's folder, called only when a body comes (default: mkdir of it). A
   * caller whose folder needs path-safety checks does them here, so a 304 costs none.
   */
  readonly prepareFolder?: () => Promise<unknown>;
}

export type DownloadOutcome =
  | { readonly status: 'not-modified'; readonly attempts: number; readonly url: string }
  | {
    readonly status: 'downloaded'; readonly attempts: number; readonly url: string; readonly sha256: string; readonly size: number;
    readonly etag: string | null; readonly lastModified: string | null; readonly contentType: string | null;
  };

/** A failure worth another attempt (server error, reset, timeout, cut-off body). */
class TransientError extends Error {
  /** How long the server asked us to wait first (Retry-After), when it said. */
  constructor(message: string, readonly retryAfterMs: number | null = null) {
    super(message);
  }
}


const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(new OntocatError('CANCELLED', 'Download cancelled.')); }, { once: true });
  });
}

function header(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] ?? null : value ?? null;
}

/** What a file name says it is compressed with already (its content coding then labels the file itself). */
const OWN_COMPRESSION: Readonly<Record<string, RegExp>> = { gzip: /\.(gz|tgz)$/i, 'x-gzip': /\.(gz|tgz)$/i, br: /\.br$/i };

/** Wire bytes read before deciding whether a `.gz` body was gzip-coded again (its first decoded bytes must show). */
const LAYER_PEEK_BYTES = 64 * 1024;

/**
 * A decoder chosen by the body's first bytes: `choose` sees them as they come (`final` at
 * the body's end) and answers the decoder, null to keep the bytes as sent, or undefined
 * to see more first.
 */
function decodeByHead(choose: (head: Buffer, final: boolean) => Transform | null | undefined): Transform {
  const held: Buffer[] = [];
  let inner: Transform | null = null;
  let decided = false;
  const decide = (stream: Transform, final: boolean): void => {
    const chosen = choose(Buffer.concat(held), final);
    if (chosen === undefined) return;
    decided = true;
    if (chosen) {
      inner = chosen;
      // Decoded bytes wait for the reader (pause until it asks again): a slow disk holds the body back, not memory.
      inner.on('data', (chunk: Buffer) => { if (!stream.push(chunk)) inner?.pause(); });
      inner.on('error', (error) => stream.destroy(error));
      for (const chunk of held) inner.write(chunk);
    } else {
      for (const chunk of held) stream.push(chunk);
    }
    held.length = 0;
  };
  const decoder = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (decided) {
        if (!inner) { callback(null, chunk); return; }
        if (inner.write(chunk)) callback();
        else inner.once('drain', () => callback());
        return;
      }
      held.push(chunk);
      decide(this, false);
      callback();
    },
    flush(callback) {
      if (!decided) decide(this, true);
      if (!inner) { callback(); return; }
      inner.once('end', () => callback());
      inner.once('error', (error) => callback(error));
      inner.end();
    },
  });
  const read = decoder._read.bind(decoder);
  decoder._read = (size: number): void => {
    inner?.resume();
    read(size);
  };
  return decoder;
}

/**
 * For a `.gz` served as `Content-Encoding: gzip`: the bytes as sent when the coding labels
 * the file's own compression (what the body decodes to is the tar or text inside), but
 * decoded once when the server gzipped the `.gz` again on the wire (a server compressing
 * every response): the decoded body is then itself a gzip member, the file it holds.
 * Decides on the first bytes, decoded as far as they go.
 */
function gzipLayerIfAdded(): Transform {
  return decodeByHead((head, final) => {
    let start: Buffer;
    try {
      start = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      start = Buffer.alloc(0);
    }
    if (start.length < 3 && !final && head.length < LAYER_PEEK_BYTES) return undefined;
    return start[0] === 0x1f && start[1] === 0x8b && start[2] === 0x08 ? createGunzip() : null;
  });
}

/**
 * `Content-Encoding: deflate` is the zlib format (RFC 9110 §8.4.1.2), but some servers send
 * raw deflate under that name; like curl and browsers, a body without a zlib header
 * (RFC 1950: method 8, header a multiple of 31) is inflated raw.
 */
function deflateEitherWay(): Transform {
  return decodeByHead((head, final) => {
    if (head.length < 2 && !final) return undefined;
    const zlibHeader = head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
    return zlibHeader ? createInflate() : createInflateRaw();
  });
}

/**
 * The decoder for a body sent in a content coding, or null to keep the bytes as sent.
 *
 * Ontocat asks for `identity`; a server that codes the body anyway still means the file it
 * holds (RFC 9110 §8.4), so its hash and bytes are the decoded ones. A `.gz` served as
 * `Content-Encoding: gzip` is the common server setting that labels the file's own
 * compression: decoding it would store the tar or text under a `.gz` name; only when the
 * `.gz` was gzipped again on the wire is one layer taken off. A coding Ontocat cannot
 * decode is refused rather than stored as the file.
 */
function decoderFor(encoding: string | null, name: string, url: string, response: IncomingMessage): Transform | null {
  const codings = (encoding ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding && coding !== 'identity');
  if (codings.length === 0) return null;
  if (codings.length === 1 && OWN_COMPRESSION[codings[0]!]?.test(name)) return codings[0] === 'br' ? null : gzipLayerIfAdded();
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return createGunzip();
  if (codings.length === 1 && codings[0] === 'deflate') return deflateEitherWay();
  if (codings.length === 1 && codings[0] === 'br') return createBrotliDecompress();
  response.destroy();
  throw new OntocatError('FETCH_FAILED', `${url} answered with Content-Encoding ${encoding} although Ontocat asked for none, and it cannot decode that; nothing was recorded.`);
}

/** Bytes of a body's start the HTML-page check reads. */
const HTML_HEAD_BYTES = 4096;

/**
 * Refuses a body that is an HTML page where a file of another kind was asked for: servers
 * answer errors, maintenance and sign-in pages with 200, and such a page became a version
 * (named by the retrieval day) in place of the release. Both the Content-Type and the
 * page's first bytes must say HTML, so a release served with a wrong type still comes.
 */
function refuseHtmlPage(head: Buffer, contentType: string | null, name: string, url: string, response: IncomingMessage): void {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'text/html' && mediaType !== 'application/xhtml+xml') return;
  if (/\.(html?|xhtml?|xht)$/i.test(name)) return;
  const text = head.subarray(0, HTML_HEAD_BYTES).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (!/^<(!doctype\s+html|html[\s>])/i.test(text)) return;
  response.destroy();
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
  throw new OntocatError('FETCH_FAILED', `${url} answered an HTML page (Content-Type ${contentType}${title ? `, titled "${title}"` : ''}) `
    + `where ${name} was expected: an error, maintenance or sign-in page, not a release. Nothing was recorded.`);
}

/**
 * `body`, with a connection closed or reset mid-body reported as how much came: Node says
 * only "aborted", which told a curator nothing. Still a transient failure (retried).
 */
async function* withCutOffNamed(body: AsyncIterable<unknown>, cutOff: () => string): AsyncGenerator<unknown> {
  try {
    yield* body;
  } catch (error) {
    if (isOntocatError(error) || !isTransient(error)) throw error;
    throw new TransientError(`${cutOff()} (${(error as Error).message})`);
  }
}

/**
 * Redirects followed before giving up: as browsers and wget (20). A limit of five refused releases that
 * sit behind an http → https hop, a w3id or PURL, a "latest" link and a CDN, which Python's
 * urllib (10) and curl (50) fetch.
 */
export const MAX_REDIRECTS = 20;

/**
 * Where a redirect's Location points, resolved against the URL that answered. Node hands
 * header values over as latin1, one character a byte: a Location sent in raw UTF-8 (servers
 * do, for a file named with an accent) would be read as other characters and encoded again
 * (`é` → `%C3%83%C2%A9`). Its bytes above ASCII are percent-encoded as they came, as curl
 * and Python's urllib do.
 */
export function redirectTarget(location: string, current: URL): URL {
  return new URL(location.replace(/[\u0080-\u00ff]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`), current);
}

/** Sends one GET and resolves with the response (following no redirects). */
function request(url: URL, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // A confined call (team server) refuses internal hosts, by name here and by address at connect.
    assertUrlAllowed(url);
    const client = url.protocol === 'https:' ? https : http;
    const lookup = confinedLookup();
    const req = client.get(url, { headers, signal, ...(lookup ? { lookup } : {}) }, resolve);
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/** One attempt: request (with redirects) and stream the body to `target` while hashing. */
async function attempt(url: string, target: string, options: DownloadOptions): Promise<Omit<Extract<DownloadOutcome, { status: 'downloaded' }>, 'attempts'> | { status: 'not-modified'; url: string }> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const headers: Record<string, string> = { 'user-agent': 'ontocat', accept: ONTOLOGY_ACCEPT, 'accept-encoding': 'identity' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  let current = new URL(url);
  let response: IncomingMessage;
  for (let hops = 0; ; hops += 1) {
    response = await request(current, headers, timeoutMs, options.signal);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304 && response.headers.location) {
      response.resume();
      if (hops >= MAX_REDIRECTS) throw new OntocatError('FETCH_FAILED', `Too many redirects (over ${MAX_REDIRECTS}) fetching ${url}.`);
      current = redirectTarget(response.headers.location, current);
      if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new OntocatError('FETCH_FAILED', `Refused a redirect to ${current.protocol} from ${url}.`);
      continue;
    }
    break;
  }
  const status = response.statusCode ?? 0;
  if (status === 304) {
    response.resume();
    if (!options.etag && !options.lastModified) throw new OntocatError('FETCH_FAILED', `${current.href} answered 304 to an unconditional request.`);
    return { status: 'not-modified', url: current.href };
  }
  if (status >= 500 || status === 429 || status === 408) {
    response.resume();
    // Asked again no sooner than the server said; not at all within this sync when that is long.
    const retryAfter = header(response, 'retry-after');
    const wait = retryAfterMs(retryAfter);
    if (wait !== null && wait > MAX_RETRY_AFTER_MS) {
      throw new OntocatError('FETCH_FAILED', `${current.href} answered HTTP ${status} with Retry-After ${retryAfter}: it asks to be asked again no sooner than `
        + `${new Date(Date.now() + wait).toISOString()}; nothing was recorded. The next sync after then will ask again.`);
    }
    throw new TransientError(`HTTP ${status} from ${current.href}`, wait);
  }
  if (status !== 200) {
    response.resume();
    throw new OntocatError('FETCH_FAILED', `Fetching ${current.href} failed: HTTP ${status} ${response.statusMessage ?? ''}`.trim() + '.');
  }
  const lengthHeader = header(response, 'content-length');
  const expected = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (expected !== null && expected > options.maxBytes) {
    response.destroy();
    throw new OntocatError('LIMIT_EXCEEDED', `Refused ${current.href}: ${expected} bytes is over the download limit of ${options.maxBytes} bytes.`);
  }
  const decoder = decoderFor(header(response, 'content-encoding'), path.basename(target), current.href, response);
  const hash = createHash('sha256');
  let size = 0;
  // Content-Length counts the bytes as sent, before any decoding.
  let received = 0;
  let lastProgress = 0;
  // The folder is made only when a body comes: a 304 costs no filesystem work (sync of many sources).
  await (options.prepareFolder ? options.prepareFolder() : mkdir(path.dirname(target), { recursive: true }));
  const handle = await open(target, 'w', 0o644);
  try {
    response.setTimeout(timeoutMs, () => response.destroy(Object.assign(new Error(`the body stalled for ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    // A reset or stall of the response fails the decoder too (pipeline passes the error on).
    if (decoder) response.on('data', (chunk: Buffer) => { received += chunk.length; });
    const body: AsyncIterable<unknown> = decoder ? pipeline(response, decoder, () => undefined) : response;
    // Bytes that came but were not yet read when the connection failed are not counted.
    const cutOff = (): string => `the body of ${current.href} was cut off (${received} of ${expected ?? 'unknown'} bytes read)`;
    // The page check reads the body's first HTML_HEAD_BYTES however they are cut into chunks
    // (a server may send a page a few bytes at a time).
    const head: Buffer[] = [];
    let headBytes = 0;
    const checkHead = (): void => {
      if (headBytes < 0) return;
      refuseHtmlPage(Buffer.concat(head), header(response, 'content-type'), path.basename(target), current.href, response);
      headBytes = -1;
    };
    for await (const raw of withCutOffNamed(body, cutOff)) {
      const chunk = raw as Buffer;
      if (!decoder) received += chunk.length;
      if (headBytes >= 0) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= HTML_HEAD_BYTES) checkHead();
      }
      size += chunk.length;
      if (size > options.maxBytes) {
        response.destroy();
        throw new OntocatError('LIMIT_EXCEEDED', `Refused ${current.href}: the body passed the download limit of ${options.maxBytes} bytes.`);
      }
      hash.update(chunk);
      await writeFully(handle, chunk);
      const now = Date.now();
      if (now - lastProgress > 100) {
        lastProgress = now;
        options.onProgress?.({ done: size, total: decoder ? null : expected, bytes: size, current: current.href, phase: 'download' });
      }
    }
    if (!response.complete || (expected !== null && received !== expected)) {
      throw new TransientError(cutOff());
    }
    checkHead();
    await handle.sync();
  } finally {
    await handle.close();
  }
  return {
    status: 'downloaded', url: current.href, sha256: hash.digest('hex'), size,
    etag: header(response, 'etag'), lastModified: header(response, 'last-modified'), contentType: header(response, 'content-type'),
  };
}

function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = (error as Error | null)?.message ?? '';
  return (code !== undefined && transientCodes.has(code)) || /socket hang up|aborted|premature close/i.test(message);
}

/**
 * Downloads `url` into `target` (a temp path), hashing while streaming.
 *
 * Sends the stored ETag / Last-Modified so an unchanged resource answers 304; retries 5xx,
 * resets, timeouts and truncated bodies with exponential backoff; refuses bodies over the
 * size cap or shorter than their Content-Length. The caller renames `target` into place.
 */
export async function downloadToFile(url: string, target: string, options: DownloadOptions): Promise<DownloadOutcome> {
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 500;
  let lastError: unknown = null;
  for (let tries = 1; tries <= retries + 1; tries += 1) {
    if (options.signal?.aborted) throw new OntocatError('CANCELLED', 'Download cancelled.');
    try {
      const outcome = await attempt(url, target, options);
      return { ...outcome, attempts: tries };
    } catch (error) {
      await unlink(target).catch(() => undefined);
      if (options.signal?.aborted) throw new OntocatError('CANCELLED', 'Download cancelled.');
      if (isOntocatError(error) || !isTransient(error)) {
        if (isOntocatError(error)) throw error;
        throw new OntocatError('FETCH_FAILED', `Fetching ${url} failed: ${(error as Error).message}.`);
      }
      lastError = error;
      const asked = error instanceof TransientError ? error.retryAfterMs ?? 0 : 0;
      if (tries <= retries) await sleep(Math.max(backoff * 2 ** (tries - 1), asked), options.signal);
    }
  }
  throw new OntocatError('FETCH_FAILED', `Fetching ${url} failed after ${retries + 1} attempts: ${(lastError as Error).message}.`);
}
