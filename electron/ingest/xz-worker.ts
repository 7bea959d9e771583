import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';

/**
 * The decoder thread: reads the file, decodes it with xz-decompress (WebAssembly) and
 * posts the output chunk by chunk, one chunk per credit the reader granted, so a slow
 * consumer holds the decoder back instead of filling memory.
 *
 * Plain CommonJS run with `eval`, so the same code works from sources, the CLI bundle and
 * the Electron main bundle without a worker file of its own to ship.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createReadStream } = require('node:fs');
const { Readable } = require('node:stream');
const mod = require(workerData.modulePath);
const XzReadableStream = mod.XzReadableStream || (mod.default && mod.default.XzReadableStream);
let credit = 0;
let wake = null;
parentPort.on('message', (more) => {
  credit += more;
  if (wake) { const go = wake; wake = null; go(); }
});
(async () => {
  try {
    const raw = createReadStream(workerData.file, { highWaterMark: 1 << 20 });
    const reader = new XzReadableStream(Readable.toWeb(raw)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.byteLength === 0) continue;
      while (credit <= 0) await new Promise((resolve) => { wake = resolve; });
      credit -= 1;
      const copy = new Uint8Array(value);
      parentPort.postMessage({ type: 'chunk', data: copy }, [copy.buffer]);
    }
    parentPort.postMessage({ type: 'end' });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
})();
`;

/** XZ Embedded's `enum xz_ret`, which xz-decompress reports only as a number. */
const XZ_ERRORS: Readonly<Record<string, string>> = {
  2: 'the stream uses an integrity check this decoder does not support',
  3: 'the decoder ran out of memory',
  4: 'the stream needs more memory than the decoder allows',
  5: 'not an xz stream (bad header)',
  6: 'the stream uses options this decoder does not support',
  7: 'the compressed data is corrupt (a structure or checksum check failed)',
  8: 'the stream ends early (truncated)',
};

/** The decoder's message in words a user can act on. */
export function xzErrorMessage(raw: string): string {
  const code = /error code (\d+)/.exec(raw)?.[1];
  return code && XZ_ERRORS[code] ? `xz: ${XZ_ERRORS[code]}` : `xz: ${raw}`;
}

type DecoderMessage = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'error'; message: string };

/** Where xz-decompress lives, resolved from here (npm packages stay outside every bundle). */
function decoderModulePath(): string {
  return createRequire(import.meta.url).resolve('xz-decompress');
}

/**
 * The decompressed bytes of an `.xz` file, decoded in a worker thread.
 *
 * Destroying the stream (a corrupt tar, a refused entry, a cancelled job, SIGTERM)
 * terminates the thread: a decoder stuck inside WebAssembly cannot be interrupted any
 * other way, and on the main thread it would also block the event loop that has to hear
 * the cancel. A corrupt or truncated stream fails the stream with the decoder's message.
 */
export function xzDecodeStream(file: string, hooks: { readonly onThreadExit?: () => void } = {}): Readable {
  const worker = new Worker(workerSource, { eval: true, workerData: { file, modulePath: decoderModulePath() } });
  let finished = false;
  const stop = (): void => {
    finished = true;
    void worker.terminate();
  };
  const stream = new Readable({
    // Each pull is one credit: the decoder runs at most a chunk or two ahead of the reader.
    read() { worker.postMessage(1); },
    destroy(error, callback) {
      stop();
      callback(error);
    },
  });
  worker.on('message', (message: DecoderMessage) => {
    if (stream.destroyed) return;
    if (message.type === 'chunk') stream.push(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
    else if (message.type === 'end') {
      stop();
      stream.push(null);
    } else stream.destroy(new Error(xzErrorMessage(message.message)));
  });
  worker.on('error', (error) => stream.destroy(error));
  worker.on('exit', (code) => {
    hooks.onThreadExit?.();
    if (!finished && !stream.destroyed) stream.destroy(new Error(`the xz decoder thread stopped (code ${code})`));
  });
  return stream;
}
