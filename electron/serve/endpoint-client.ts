import { EventEmitter } from 'node:events';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { ACTOR_HEADER, HTTP_API_PREFIX, HTTP_EVENTS_PATH, REQUEST_ID_HEADER, type CallOptions } from '../shared/api-protocol.js';
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName, Result } from '../shared/contract.js';
import { OntocatError, type OntocatErrorCode } from '../shared/errors.js';
import { TOKEN_HEADER } from './request-guard.js';

/** The endpoint could not be reached at all (no listener, refused): not the owner's answer. */
export class EndpointUnreachable extends Error {
  override readonly name = 'EndpointUnreachable';
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

const unreachableCodes = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTSOCK', 'EACCES']);

/**
 * A client of the owning process of a root, over its local endpoint: the same channels
 * with the same Results as an open session, and its events, so CLI commands run on it
 * unchanged. It holds no catalog (`catalog` is null).
 */
export class EndpointSession {
  readonly catalog = null;
  private readonly events = new EventEmitter();
  private stream: ClientRequest | null = null;
  private streamReady: Promise<void> | null = null;

  constructor(readonly root: string, private readonly endpoint: string, private readonly token: string, private readonly actor = 'cli') {
    this.events.setMaxListeners(100);
  }

  /** Sends one channel call; resolves to the owner's Result. */
  invoke(channel: string, input: unknown, options: CallOptions = {}): Promise<Result<unknown>> {
    const body = JSON.stringify(input ?? {});
    return new Promise((resolve, reject) => {
      const req = request({
        socketPath: this.endpoint,
        path: `${HTTP_API_PREFIX}${channel}`,
        method: 'POST',
        headers: {
          Host: 'localhost', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), [TOKEN_HEADER]: this.token, [ACTOR_HEADER]: this.actor,
          ...(options.requestId === undefined ? {} : { [REQUEST_ID_HEADER]: options.requestId }),
        },
      }, (res) => {
        readAll(res).then((text) => {
          try {
            resolve(JSON.parse(text) as Result<unknown>);
          } catch {
            reject(new OntocatError('INTERNAL', `The running Ontocat answered ${channel} with something that is not a Result (HTTP ${res.statusCode}).`));
          }
        }, reject);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(unreachableCodes.has(error.code ?? '')
          ? new EndpointUnreachable(`${this.endpoint}: ${error.code}`)
          : new OntocatError('IO_ERROR', `Lost the connection to the running Ontocat during ${channel}: ${error.code ?? error.message}.`));
      });
      req.end(body);
    });
  }

  /** Runs a typed call; throws the owner's OntocatError on failure, as a local session does. */
  async call<C extends Channel>(channel: C, input: ChannelInput<C>, options: CallOptions = {}): Promise<ChannelOutput<C>> {
    // Events subscribed before the call (progress) must not miss its first ones.
    if (this.streamReady) await this.streamReady;
    const result = await this.invoke(channel, input, options);
    if (!result.ok) throw new OntocatError(result.code as OntocatErrorCode, result.message);
    return result.data as ChannelOutput<C>;
  }

  /** Subscribes to the owner's pushed events (one SSE stream, opened on first use). */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.events.on(event, listener);
    this.openStream();
    return () => { this.events.off(event, listener); };
  }

  private openStream(): void {
    if (this.streamReady) return;
    this.streamReady = new Promise<void>((resolve) => {
      const req = request({ socketPath: this.endpoint, path: HTTP_EVENTS_PATH, method: 'GET', headers: { Host: 'localhost', [TOKEN_HEADER]: this.token } }, (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            this.dispatch(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
            cut = buffer.indexOf('\n\n');
          }
        });
        res.on('error', () => undefined);
        // The stream is open once the server has written its header and first comment.
        resolve();
      });
      // Events are a nicety (a progress bar): without them the call itself still runs.
      req.on('error', () => resolve());
      req.end();
      this.stream = req;
    });
  }

  private dispatch(block: string): void {
    let name = '';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) name = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (!name || data.length === 0) return;
    try {
      this.events.emit(name, JSON.parse(data.join('\n')));
    } catch {
      // A malformed event is dropped; the call's result still arrives.
    }
  }

  /** Ends the event stream; the owner keeps running. */
  close(): Promise<void> {
    this.events.removeAllListeners();
    this.stream?.destroy();
    this.stream = null;
    return Promise.resolve();
  }
}

/** Whether something listens on `endpoint` (a connect and close, nothing sent). */
export function endpointAnswers(endpoint: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(endpoint);
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
