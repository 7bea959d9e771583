/**
 * A run killed with SIGKILL mid-download or mid-ingest (the real CLI, `ONTOCAT_CRASH_AT`)
 * leaves no half version, and the next `ontocat sync` completes the release exactly once.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliBin, runOntocat } from '../../helpers/run-cli.js';
import { edamRelease, release, ReleaseServer } from '../../helpers/release-server.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

const server = new ReleaseServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

function sourcesFile(dir: string): string {
  const file = path.join(dir, 'sources.json');
  writeFileSync(file, JSON.stringify({ schema: 'ontocat.sources/1', sources: [{ id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] }] }));
  return file;
}

/** Runs `ontocat sync` and resolves with how it ended (a SIGKILL from a crash point, or its code). */
function syncUntilExit(root: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, 'sync', '--root', root, '--json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('sync survives SIGKILL', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-sync-crash');
    root = path.join(temp.root, 'root');
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.2.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    server.trouble.clear();
    expect(runOntocat(['init'], { root }).code).toBe(0);
    await sessionOn(() => root)((session) => session.call('sources:import', { document: readFileSync(sourcesFile(temp.root), 'utf8') }));
  }, 300_000);
  afterEach(() => temp.cleanup());

  const withSession = sessionOn(() => root);
  const versionsNow = () => withSession(async (session) => (await session.call('versions:list', {})).items.map((v) => ({ version: v.version, files: v.files })));

  for (const point of ['ingest:after-fs-before-sync', 'ingest:after-fs-before-commit', 'ingest:after-commit']) {
    it(`killed at ${point}: no half version; the next sync completes it once`, async () => {
      const killed = await syncUntilExit(root, { ONTOCAT_CRASH_AT: point });
      expect(killed.signal).toBe('SIGKILL');
      // Before the commit nothing is recorded; after it the version is whole.
      if (point === 'ingest:after-commit') expect(await versionsNow()).toEqual([{ version: '1.2', files: 1 }]);
      else expect(await versionsNow()).toEqual([]);

      // The next run in-process (a CLI child's 120 s limit is too short on a loaded machine).
      const run = (await withSession((session) => session.call('sources:sync', {}))).runs[0]!;
      expect(run).toMatchObject({ status: 'changed', version: '1.2' });
      expect(run.manifest.output!.outcome).toBe(point === 'ingest:after-commit' ? 'completed' : 'created');
      // Killed before its validation ran, the version is validated before it is offered for review.
      expect(run.manifest.output!.validation).toMatchObject({ files_checked: 1 });
      expect(await versionsNow()).toEqual([{ version: '1.2', files: 1 }]);
      expect(readdirSync(path.join(root, 'edam', '1.2', 'data'))).toEqual(['edam.obo']);
      await withSession(async (session) => {
        const runs = await session.call('sources:runs', { id: 'edam' });
        expect(runs.items.map((r) => r.status)).toEqual(['changed', 'interrupted']);
        // The killed run's row names the release it was bringing in; the completing run is that release.
        expect(runs.items[1]!.idempotency_key).toBe(run.idempotency_key);
        if (point === 'ingest:after-commit') expect(run.manifest.output!.reason).toContain(runs.items[1]!.run_id);
        expect((await session.call('review:list', {})).items.map((c) => c.version)).toEqual(['1.2']);
        // And once more: unchanged.
        expect((await session.call('sources:sync', {})).unchanged).toBe(1);
      });
    }, 600_000);
  }

  it('killed mid-download (slow body): nothing recorded; the next run brings the release in', async () => {
    server.trouble.set('/edam.obo', { slowMs: 400 });
    server.log.length = 0;
    const child = spawn(process.execPath, [cliBin, 'sync', '--root', root, '--json'], { stdio: 'ignore' });
    // Kill once the body has started flowing (the server answered 200 and is sending slowly).
    const deadline = Date.now() + 60_000;
    while (!server.hits('/edam.obo').some((hit) => hit.status === 200) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 600));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    server.trouble.clear();
    expect(await versionsNow()).toEqual([]);
    expect((await withSession((session) => session.call('sources:sync', {}))).changed).toBe(1);
    expect(existsSync(path.join(root, 'edam', '1.2', 'data', 'edam.obo'))).toBe(true);
  }, 600_000);
});
