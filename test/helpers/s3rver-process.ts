import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Starts s3rver (a real S3 protocol server from npm) in its own Node process on
 * 127.0.0.1, with its objects under `dir` and `bucket` created.
 *
 * Its own process, so that neither a test's event loop nor a synchronous child run
 * blocks the server; with `--openssl-legacy-provider` because s3rver encrypts
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has there (without
 * it every listing past the first 1,000 keys fails with HTTP 500).
 */
export async function startS3rverProcess(dir: string, bucket: string): Promise<{ endpoint: string; child: ChildProcess; stop: () => Promise<void> }> {
  const script = `const S3rver = require('s3rver');
new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[1], configureBuckets: [{ name: process.argv[2], configs: [] }] })
  .run().then((info) => console.log(JSON.stringify(info)));`;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script, dir, bucket], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const stop = (): Promise<void> => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { endpoint: `http://127.0.0.1:${port}`, child, stop };
}
