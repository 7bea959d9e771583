import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ACTOR_HEADER, HTTP_API_PREFIX, isRequestId, LOCAL_CLI_PATH, LOCAL_CLIENT_ACTORS, REQUEST_ID_HEADER, type CallOptions } from '../shared/api-protocol.js';
import { BodyTooLarge, createApiHandler, DEFAULT_MAX_BODY_BYTES, readBody, sendFailure, sendTooLarge, type ApiSession } from './api-requests.js';
import { TOKEN_HEADER, tokensEqual } from './request-guard.js';

/**
 * The owner's session: calls run as the client process's actor where it can, and the jobs
 * a call starts stop when its client goes away (Ctrl-C on the command) where it can.
 */
export interface LocalEndpointSession extends ApiSession {
  invokeAs?(actor: string, channel: string, input: unknown): ReturnType<ApiSession['invoke']>;
  invokeWhile?(signal: AbortSignal, actor: string, channel: string, input: unknown, options?: CallOptions): ReturnType<ApiSession['invoke']>;
}

/**
 * Largest channel call body taken here: a command run through the owner takes what a
 * direct run takes, and the largest input (`sources:import`'s document, 20,000,000
 * characters) is up to 6 bytes a character as JSON. Only the root's owner, holding the
 * token, reaches this endpoint; the web host keeps its own smaller limit.
 */
export const LOCAL_MAX_BODY_BYTES = 128 * 1024 * 1024;

export interface LocalEndpointOptions {
  readonly session: LocalEndpointSession;
  /** The socket path or named pipe (see `endpointPathFor`). */
  readonly path: string;
  /** The root's access token; every request must carry it in the token header. */
  readonly token: string;
  /** Time between SSE heartbeats (default 15 s). */
  readonly heartbeatMs?: number;
  /** Runs a quick read command line here (see LOCAL_CLI_PATH); without it that route is 404. */
  readonly runCli?: LocalCliRunner;
}

/** What a command line run in the owner printed; null when the owner will not run it. */
export type LocalCliRunner = (argv: readonly string[], root: string, options?: { readonly terminalColumns?: number }) => Promise<{ exitCode: number; stdout: string; stderr: string } | null>;

/** The client's terminal width, when its stdout is one (the launcher sends it; tables are cut to it). */
const TERMINAL_COLUMNS_HEADER = 'x-ontocat-columns';

/**
 * Answers LOCAL_CLI_PATH: the NUL-ended fields of the body are the client's root and its
 * arguments; the answer is one header line, stderr, then stdout, so a shell client splits
 * them by byte count alone.
 */
async function answerCli(req: IncomingMessage, res: ServerResponse, runCli: LocalCliRunner): Promise<void> {
  if (req.method !== 'POST') {
    // RFC 9110 §15.5.6: a 405 names the methods the resource supports.
    sendFailure(res, 'METHOD_NOT_ALLOWED', 'Use POST.', { Allow: 'POST' });
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(req, DEFAULT_MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) sendTooLarge(req, res, 'The command line is too long.');
    else throw error;
    return;
  }
  const fields = body.toString('utf8').split('\0');
  if (fields.length < 2 || fields.pop() !== '') {
    sendFailure(res, 'BAD_INPUT', 'The body must be NUL-ended fields: the root, then each argument.');
    return;
  }
  const [root, ...argv] = fields as [string, ...string[]];
  const columns = Number(req.headers[TERMINAL_COLUMNS_HEADER]);
  const terminalColumns = Number.isInteger(columns) && columns >= 20 && columns <= 10_000 ? columns : undefined;
  // The runner refuses what it would not run (another or a relative root, --db, another command).
  const answer = await runCli(argv, root, { terminalColumns });
  if (answer === null) {
    // A well-formed line this owner will not run (a write, another root): the client runs it
    // itself: CONFLICT, whose status is 409.
    sendFailure(res, 'CONFLICT', 'Not a quick read command for this owner; run it in the client.');
    return;
  }
  const stderr = Buffer.from(answer.stderr, 'utf8');
  const out = Buffer.concat([Buffer.from(`ontocat-cli ${answer.exitCode} ${stderr.length}\n`), stderr, Buffer.from(answer.stdout, 'utf8')]);
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': out.length, 'Cache-Control': 'no-store' });
  res.end(out);
}

export interface LocalEndpoint {
  readonly path: string;
  /** Stops listening, ends event streams and removes the socket file. */
  close(): Promise<void>;
}

/** Removes a socket file left by an earlier owner that died; never anything else. */
function removeStaleSocket(file: string): void {
  try {
    if (lstatSync(file).isSocket()) unlinkSync(file);
  } catch {
    // Not there.
  }
}

/**
 * Listens on the owner's local endpoint: the channel protocol of the web host (same
 * request handling, same registry), for the other Ontocat processes on this root.
 *
 * Only the owner of the writer lock may call this, which is why a leftover socket file
 * can be replaced. The socket is made owner-only (0600) and, because the file mode is
 * not enforced everywhere (and a named pipe has none), the root's token is required too.
 */
export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  const isPipe = options.path.startsWith('\\\\');
  const api = createApiHandler({ session: options.session, maxBodyBytes: LOCAL_MAX_BODY_BYTES, heartbeatMs: options.heartbeatMs ?? 15_000 });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const offered = req.headers[TOKEN_HEADER];
    if (typeof offered !== 'string' || !tokensEqual(offered, options.token)) {
      sendFailure(res, 'UNAUTHORIZED', 'Unauthorized: the local endpoint needs the root\'s access token.');
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (pathname === LOCAL_CLI_PATH && options.runCli) {
      await answerCli(req, res, options.runCli);
      return;
    }
    if (!pathname.startsWith(HTTP_API_PREFIX)) {
      sendFailure(res, 'NOT_FOUND', 'The local endpoint serves the API only.');
      return;
    }
    // A command typed in a terminal is the CLI's in the audit log, whichever process runs it.
    const actor = req.headers[ACTOR_HEADER];
    const session = options.session;
    // The client waits on the answer: once it is gone unanswered (Ctrl-C), its work stops
    // too, as in a direct run; a browser tab is another matter (the team server keeps jobs).
    const gone = new AbortController();
    res.on('close', () => { if (!res.writableFinished) gone.abort(); });
    // The jobs the call starts carry the client's request id, so it follows only its own.
    const requestId = req.headers[REQUEST_ID_HEADER];
    const callOptions: CallOptions = isRequestId(requestId) ? { requestId } : {};
    const invokeAs = typeof actor === 'string' && LOCAL_CLIENT_ACTORS.has(actor)
      ? session.invokeWhile
        ? (channel: string, input: unknown) => session.invokeWhile!(gone.signal, actor, channel, input, callOptions)
        : session.invokeAs ? (channel: string, input: unknown) => session.invokeAs!(actor, channel, input) : undefined
      : undefined;
    await api.handle(req, res, pathname, {}, invokeAs);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[ontocat] local endpoint request failed:', error);
      if (!res.headersSent) sendFailure(res, 'INTERNAL', 'The owner failed to answer this request.');
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // event streams and long jobs stay open

  if (!isPipe) removeStaleSocket(options.path);
  // Created owner-only from the start (umask), then chmod for platforms that ignore it.
  const previousMask = isPipe ? null : process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    if (previousMask !== null) process.umask(previousMask);
  }
  if (!isPipe) chmodSync(options.path, 0o600);

  let closing: Promise<void> | null = null;
  return {
    path: options.path,
    close() {
      closing ??= new Promise<void>((resolve) => {
        api.endStreams();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        if (!isPipe) removeStaleSocket(options.path);
      });
      return closing;
    },
  };
}
