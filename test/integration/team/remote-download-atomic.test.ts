/**
 * The desktop app signed in to a team server saves a stored file or an export where the save
 * dialog says, often over a file already there (the dialog asked to replace it). A connection
 * lost part-way must leave that file as it was: before, the download was written straight
 * into it (truncated at once) and the file was deleted on the error.
 *
 * The server end is a plain HTTP server on 127.0.0.1 that cuts its answer off, as a dropped
 * connection or a killed server does; the saved bytes are checked with GNU sha256sum.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_AUTH_LOGIN } from '../../../electron/shared/api-protocol.js';
import { HTTP_DOWNLOAD_FILE } from '../../../electron/shared/download-paths.js';
import { RemoteCatalog } from '../../../electron/serve/remote-catalog.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const BODY = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} of the server's file\n`).join(''));

describe('saving a team server download over an existing file', () => {
  const temp = makeTempRoot('ontocat-remote-download');
  let server: Server;
  let remote: RemoteCatalog;
  /** How the next download answers: whole, or cut after some bytes (with or without Content-Length). */
  let mode: 'whole' | 'cut-with-length' | 'cut-chunked' = 'whole';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === HTTP_AUTH_LOGIN) {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'ontocat_session=abc; HttpOnly; Path=/' });
        res.end(JSON.stringify({ ok: true, data: { username: 'ann', role: 'viewer', csrf: 'x', expires_at: '2030-01-01T00:00:00Z' } }));
        return;
      }
      if (req.url?.startsWith(HTTP_DOWNLOAD_FILE)) {
        if (mode === 'whole') { res.writeHead(200, { 'content-length': BODY.length }).end(BODY); return; }
        res.writeHead(200, mode === 'cut-with-length' ? { 'content-length': BODY.length } : {});
        res.write(BODY.subarray(0, 1000));
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    remote = await RemoteCatalog.signIn({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, 'ann', 'pw');
  });
  afterAll(async () => {
    await remote?.signOut();
    await new Promise((resolve) => server.close(resolve));
    temp.cleanup();
  });

  const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;

  it.each(['cut-with-length', 'cut-chunked'] as const)('keeps the file there as it was when the answer is cut (%s), and leaves no temp file', async (cut) => {
    const dir = path.join(temp.root, cut);
    const target = path.join(dir, 'edam.owl');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(target, 'the curator’s own copy\n');
    const before = sha256sum(target);
    mode = cut;
    await expect(remote.download(HTTP_DOWNLOAD_FILE, { ref: 'edam/1.2', relpath: 'edam.owl' }, target)).rejects.toThrow(/nothing was saved to .*edam\.owl/);
    expect(sha256sum(target)).toBe(before);
    expect(readdirSync(dir)).toEqual(['edam.owl']);
  });

  it('replaces it with the whole answer when it all arrives', async () => {
    const dir = path.join(temp.root, 'whole');
    const target = path.join(dir, 'edam.owl');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(target, 'the curator’s own copy\n');
    mode = 'whole';
    const saved = await remote.download(HTTP_DOWNLOAD_FILE, { ref: 'edam/1.2', relpath: 'edam.owl' }, target);
    expect(saved.bytes).toBe(BODY.length);
    expect(sha256sum(target)).toBe(createHash('sha256').update(BODY).digest('hex'));
    expect(readFileSync(target).equals(BODY)).toBe(true);
    expect(readdirSync(dir)).toEqual(['edam.owl']);
  });
});
