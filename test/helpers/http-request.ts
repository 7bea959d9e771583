import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  json<T = unknown>(): T;
}

/**
 * Sends one HTTP request exactly as given: the path is not normalised (so `../` and
 * `%2e%2e` reach the server) and Host/Origin can be anything.
 */
export function rawRequest(port: number, options: { method?: string; path: string; headers?: Record<string, string | number>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer 413 and close before the whole body is sent.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      reject(error);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * curl's HTTP status and the Ontocat Result's code for one request (async, so a server in
 * this process keeps answering); `[0, 'curl exit N']` when curl itself failed (a reset).
 */
export async function curlCode(args: readonly string[]): Promise<[number, string]> {
  const { stdout } = await promisify(execFile)('curl', ['-s', '--max-time', '20', '-w', '\n%{http_code}', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })
    .catch((error: { code?: number }) => ({ stdout: `curl exit ${error.code}\n0` }));
  const cut = stdout.lastIndexOf('\n');
  const status = Number(stdout.slice(cut + 1));
  if (status === 0) return [0, stdout.slice(0, cut)];
  let code = '(no JSON)';
  try { code = (JSON.parse(stdout.slice(0, cut)) as { code?: string }).code ?? '(no code)'; } catch { /* a page */ }
  return [status, code];
}
