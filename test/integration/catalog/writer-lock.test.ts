import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { listEvents } from '../../../electron/catalog/event-queries.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';

describe('writer lock', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeEach(() => { temp = makeTempRoot('ontocat-lock'); });
  afterEach(() => temp.cleanup());

  it('refuses a second writer in another process, naming the holder', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/helpers/lock-holder.ts'), temp.root], {
      cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
      holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    });
    try {
      const lock = JSON.parse(readFileSync(path.join(temp.root, '.ontocat.lock'), 'utf8')) as { pid: number; host: string; app: string; started_at: string };
      expect(lock).toMatchObject({ pid: holder.pid, host: hostname(), app: 'lock-holder-test' });
      expect(Number.isNaN(Date.parse(lock.started_at))).toBe(false);

      const error = await openCatalog({ root: temp.root }).catch((e: unknown) => e);
      expect(isOntocatError(error, 'LOCKED')).toBe(true);
      expect((error as Error).message).toContain(`pid ${holder.pid}`);
      expect((error as Error).message).toContain('lock-holder-test');

      // The real CLI reports the same in one line with exit code 1.
      const cli = runOntocat(['latest', 'set', 'go', 'v1'], { root: temp.root });
      expect(cli.code).toBe(1);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
      expect(cli.stderr).toContain(`pid ${holder.pid}`);
    } finally {
      holder.stdin.end();
      await new Promise((resolve) => holder.on('exit', resolve));
    }
    // Released on close: the lock file is gone and a new writer gets in.
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
    await (await openCatalog({ root: temp.root })).close();
  });

  it('recovers a lock whose process is gone and records an event', async () => {
    await (await openCatalog({ root: temp.root })).close();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    writeFileSync(path.join(temp.root, '.ontocat.lock'), JSON.stringify({ pid: deadPid, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', app: 'crashed-app' }));

    const catalog = await openCatalog({ root: temp.root, app: 'recoverer' });
    const events = await catalog.read((conn) => listEvents(conn, { type: 'lock.recovered' }));
    expect(events.items).toHaveLength(1);
    expect(events.items[0]!.payload).toMatchObject({ previous_holder: { pid: deadPid, app: 'crashed-app' } });
    const lock = JSON.parse(readFileSync(path.join(temp.root, '.ontocat.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    await catalog.close();
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
  });

  describe('a stale lock whose pid now belongs to another process', () => {
    const children: ChildProcess[] = [];
    afterEach(() => { for (const child of children.splice(0)) child.kill('SIGKILL'); });
    /** A live process with this command line, started now. */
    const live = async (command: string, args: readonly string[]): Promise<number> => {
      const child = spawn(command, args, { stdio: 'ignore' });
      children.push(child);
      await new Promise<void>((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject); });
      return child.pid!;
    };
    const lockOf = (pid: number, startedAt: string): void => writeFileSync(path.join(temp.root, '.ontocat.lock'),
      JSON.stringify({ pid, host: hostname(), started_at: startedAt, app: 'ontocat-cli' }));
    const anHourAgo = (): string => new Date(Date.now() - 3_600_000).toISOString();

    it.runIf(process.platform === 'linux')('is recovered by the real CLI when that process started after the lock was taken and is not Ontocat', async () => {
      expect(runOntocat(['init'], { root: temp.root }).code).toBe(0);
      const sleeper = await live('sleep', ['60']);
      lockOf(sleeper, anHourAgo());
      const run = runOntocat(['pin', 'go/v1'], { root: temp.root });
      expect(run.stderr).not.toMatch(/already open for writing/);
      expect(run.stderr).toMatch(/go\/v1/);
      const events = runOntocat(['events', '--json'], { root: temp.root }).json<{ type: string; payload: unknown }[]>();
      expect(events.filter((event) => event.type === 'lock.recovered').map((event) => event.payload))
        .toEqual([expect.objectContaining({ previous_holder: expect.objectContaining({ pid: sleeper, app: 'ontocat-cli' }) })]);
      // The unrelated process is left alone, and the recovered lock was released on exit.
      expect(() => process.kill(sleeper, 0)).not.toThrow();
      expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
    });

    it('is refused while that process could be the holder: it started before the lock was taken', async () => {
      await (await openCatalog({ root: temp.root })).close();
      const sleeper = await live('sleep', ['60']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      lockOf(sleeper, new Date().toISOString());
      const error = await openCatalog({ root: temp.root }).catch((e: unknown) => e);
      expect(isOntocatError(error, 'LOCKED')).toBe(true);
      expect((error as Error).message).toContain(`pid ${sleeper}`);
    });

    it('is refused when that process may be Ontocat (a clock stepped since?), however late it started', async () => {
      await (await openCatalog({ root: temp.root })).close();
      const node = await live(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'ontocat-serve']);
      lockOf(node, anHourAgo());
      const error = await openCatalog({ root: temp.root }).catch((e: unknown) => e);
      expect(isOntocatError(error, 'LOCKED')).toBe(true);
      expect((error as Error).message).toContain(`pid ${node}`);
    });
  });

  it('a lock held on another host is never taken over', async () => {
    writeFileSync(path.join(temp.root, '.ontocat.lock'), JSON.stringify({ pid: 1, host: 'other-host.example', started_at: '2026-01-01T00:00:00.000Z', app: 'ontocat-desktop' }));
    const error = await openCatalog({ root: temp.root }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'LOCKED')).toBe(true);
    expect((error as Error).message).toContain('other-host.example');
  });

  it('read-only opens take no lock and refuse writes', async () => {
    await (await openCatalog({ root: temp.root })).close();
    const reader = await openCatalog({ root: temp.root, readOnly: true });
    expect(existsSync(path.join(temp.root, '.ontocat.lock'))).toBe(false);
    const error = await reader.write(async () => undefined).catch((e: unknown) => e);
    expect(isOntocatError(error, 'READ_ONLY')).toBe(true);
    await reader.close();
  });
});
