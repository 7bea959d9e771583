import type { ServerResponse } from 'node:http';
import { pipeline, type Readable } from 'node:stream';

/**
 * Streams a file's bytes, read from 0 to `size - 1`, as an answer whose Content-Length is
 * `size`, and ends it cleanly only when all of them were sent.
 *
 * A file cut short while it is read (an asset rebuilt, a stored file truncated) ends the
 * read early; ending the answer then would leave a keep-alive client waiting for the
 * promised rest, or hand it a short body as if complete. The connection is destroyed
 * instead, which every client reports as an incomplete answer (curl: exit 18). A file that
 * grew is read only up to `size`, the length promised.
 *
 * pipeline, not pipe: a client that goes away part-way (a cancelled download, a tab closed
 * while an asset loads) must close the file too, or its descriptor is kept for as long as
 * the host runs; `done` runs however the answer ends.
 */
export function sendExactly(stream: Readable, size: number, res: ServerResponse, done: () => void = () => undefined): void {
  let sent = 0;
  stream.on('data', (chunk: string | Buffer) => { sent += chunk.length; });
  // Registered before pipeline's own 'end' listener, so the connection goes before res.end().
  stream.on('end', () => { if (sent < size) res.destroy(); });
  pipeline(stream, res, () => done());
}
