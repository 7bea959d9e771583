/**
 * End to end in Debian's Chromium over `ontocat serve`: the page starts an ingest while
 * another client (curl, a direct HTTP call) starts one at the same moment. Progress goes to
 * every client, and the page took the first ingest job heard after its click for its own:
 * it showed the other's phases and its Cancel stopped the other client's ingest. The page's
 * call now carries a request id the owner puts on its job's progress, and the page follows
 * only that job.
 *
 * Both ingests download from a test server that holds each answer until the test lets it
 * go, so the order is fixed: the other's ingest runs first (ingest jobs run one at a time),
 * the page's waits behind it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

// A real file nobody here wrote: Debian's EMBOSS scoring matrix.
const MATRIX = readFileSync('/usr/share/EMBOSS/data/EBLOSUM62');

/** A server sending the first half of the matrix at once and the rest when `release(path)` is called. */
function heldServer(): { server: Server; asked: Set<string>; release(path: string): void; origin(): string } {
  const held = new Map<string, ServerResponse>();
  const released = new Set<string>();
  const asked = new Set<string>();
  const finish = (res: ServerResponse): void => { res.end(MATRIX.subarray(MATRIX.length >> 1)); };
  const server = createServer((req, res) => {
    const name = req.url ?? '/';
    asked.add(name);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(MATRIX.length) });
    res.write(MATRIX.subarray(0, MATRIX.length >> 1));
    if (released.has(name)) finish(res); else held.set(name, res);
  });
  return {
    server, asked,
    release(name) { released.add(name); const res = held.get(name); if (res) { held.delete(name); finish(res); } },
    origin: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
}

/** POSTs one channel call with curl (no request id, as any direct HTTP client); resolves to its Result. */
function curlCall(origin: string, token: string, channel: string, input: unknown): Promise<{ ok: boolean; data?: unknown; code?: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '-X', 'POST', '-H', 'content-type: application/json', '-H', `x-ontocat-token: ${token}`,
      '--data', JSON.stringify(input), `${origin}/api/${channel}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      try { resolve(JSON.parse(out) as { ok: boolean }); } catch { reject(new Error(`curl exited ${code}: ${err}${out}`)); }
    });
  });
}

interface JobRow { readonly job_id: string; readonly kind: string; readonly state: string }

describe.skipIf(!chromiumAvailable())('a page following its own job while another client runs one of the same kind', () => {
  const temp = makeTempRoot('ontocat-own-job-e2e');
  const root = path.join(temp.root, 'catalog');
  const source = heldServer();
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    await new Promise<void>((resolve) => source.server.listen(0, '127.0.0.1', resolve));
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    source.release('/theirs/EBLOSUM62');
    source.release('/mine/EBLOSUM62');
    await served?.close();
    source.server.closeAllConnections();
    await new Promise((resolve) => source.server.close(resolve));
    temp.cleanup();
  });

  it("shows its own ingest's phases, not the other client's, and Cancel stops only its own", async () => {
    const { origin, token } = served!.serve;
    const jobs = async (): Promise<JobRow[]> => {
      const listed = await curlCall(origin, token, 'jobs:list', {});
      expect(listed.ok, listed.message).toBe(true);
      return listed.data as JobRow[];
    };
    await page.goto(`${served!.serve.url}#/ingest`);
    const form = page.getByRole('form', { name: 'Ingest a folder' });
    await form.getByLabel('Folder, archive or URL').fill(`${source.origin()}/mine/EBLOSUM62`);
    await form.getByRole('combobox', { name: 'Service' }).fill('mine');
    await form.getByLabel('Version').fill('1');

    // The page's call is held in the browser until the other client's ingest runs: both
    // start "at the same moment", the other's first.
    let held!: Route;
    const routed = new Promise<void>((resolve) => {
      void page.route('**/api/ingest:run', (route) => { held = route; resolve(); });
    });
    await form.getByRole('button', { name: 'Ingest', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Create and ingest' }).click();
    await routed;
    const group = page.getByRole('group', { name: 'Ingest progress' });
    await group.waitFor();

    const theirs = curlCall(origin, token, 'ingest:run', { source: `${source.origin()}/theirs/EBLOSUM62`, service: 'theirs', version: '1', set_latest: false });
    await expect.poll(() => source.asked.has('/theirs/EBLOSUM62'), { timeout: 60_000 }).toBe(true);
    await held.continue();
    // Both jobs exist: the other's running (downloading, its progress sent to every client), the page's waiting its turn.
    await expect.poll(async () => (await jobs()).filter((job) => job.kind === 'ingest').length, { timeout: 60_000 }).toBe(2);
    const other = (await jobs()).find((job) => job.kind === 'ingest' && job.state === 'running')!;
    // Progress is pushed at most every 100 ms; give the page time to (wrongly) take it.
    await page.waitForTimeout(1500);
    const shown = await group.textContent();
    expect(shown).not.toContain('theirs');
    expect(shown).toContain('Starting…');
    expect(await group.getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true);

    // The other's ingest completes; then the page's runs and is the one its bar shows.
    source.release('/theirs/EBLOSUM62');
    const answer = await theirs;
    expect(answer.ok, answer.message).toBe(true);
    expect((answer.data as { service: string; status: string }).status).toBe('ingested');
    await group.getByText('/mine/EBLOSUM62').waitFor({ timeout: 60_000 });
    expect(await group.textContent()).not.toContain('theirs');

    const cancelSent = page.waitForRequest((request) => request.url().includes('/api/jobs:cancel'));
    await group.getByRole('button', { name: 'Cancel' }).click();
    const cancelled = JSON.parse((await cancelSent).postData() ?? '{}') as { job_id?: string };
    expect(cancelled.job_id).not.toBe(other.job_id);
    source.release('/mine/EBLOSUM62');
    await page.getByText(/cancelled/i).first().waitFor({ timeout: 60_000 });

    const after = await jobs();
    expect(after.find((job) => job.job_id === other.job_id)?.state).toBe('done');
    expect(after.find((job) => job.job_id === cancelled.job_id)?.state).toBe('cancelled');
    // The catalog has the other client's version, and not the page's cancelled one.
    const versions = await runOntocatAsync(['versions', '--json'], { root });
    expect(versions.code, versions.stderr).toBe(0);
    const refs = versions.json<{ service: string; version: string }[]>().map((v) => `${v.service}/${v.version}`);
    expect(refs).toContain('theirs/1');
    expect(refs).not.toContain('mine/1');
  }, 240_000);
});
