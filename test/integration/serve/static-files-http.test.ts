/**
 * The renderer's static files on a real `ontocat serve` process, asked with curl, the bytes
 * held to coreutils sha256sum and the server's open files to GNU find over /proc.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectCutFileFailsClient, expectLetGoAfterCuts } from '../../helpers/cut-requests.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

/** Debian's NCBI taxonomy names (88 MB): far more than a loopback connection buffers. */
const BIG_FILE = '/usr/share/EMBOSS/data/TAXONOMY/names.dmp';

describe('ontocat serve: the renderer\'s static files', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let started: RunningServe;
  let asset: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-static-files');
    // A renderer folder (ONTOCAT_RENDERER_DIR) with one asset large enough to be cut mid-file.
    const renderer = path.join(temp.root, 'renderer');
    mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Ontocat</title>\n');
    asset = path.join(renderer, 'assets', 'big-3f2a.txt');
    copyFileSync(BIG_FILE, asset);
    copyFileSync(BIG_FILE, path.join(renderer, 'assets', 'cut-9c1d.txt'));
    const root = path.join(temp.root, 'root');
    started = await startServe(root, { env: { ONTOCAT_RENDERER_DIR: renderer } });
  }, 180_000);
  afterAll(async () => {
    await started?.stop();
    temp?.cleanup();
  });

  const url = (): string => `${started.origin}/assets/big-3f2a.txt`;

  it('lets go of the file when the client goes away mid-file', async () => {
    await expectLetGoAfterCuts(started, url(), asset, BIG_FILE, path.join(temp.root, 'fetched.txt'));
  }, 60_000);

  it('breaks the connection when the file is cut while it is sent, so the client sees a partial file', async () => {
    // Before: the answer ended short of its Content-Length on a kept-alive connection, and curl waited for the rest.
    await expectCutFileFailsClient(started, `${started.origin}/assets/cut-9c1d.txt`, path.join(temp.root, 'renderer', 'assets', 'cut-9c1d.txt'), path.join(temp.root, 'cut.txt'));
  }, 60_000);
});
