/**
 * The failing line with context, read from the stored file: the reader on real files
 * (W3C negative syntax tests, a huge line, binary, CRLF), the `files:lines` channel on an
 * ingested catalog, and the desktop actions (show in folder, save an export) with the
 * Electron boundary faked and everything behind it real.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDesktopActions } from '../../../electron/main/desktop-actions.js';
import type { IpcMainLike } from '../../../electron/main/ipc-wiring.js';
import type { IpcSenderInfo } from '../../../electron/main/sender-check.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { IPC_REVEAL_FILE, IPC_SAVE_EXPORT } from '../../../electron/shared/ipc-names.js';
import type { Result } from '../../../electron/shared/contract.js';
import { dataRelpath } from '../../../electron/storage/layout.js';
import { readLinesAround } from '../../../electron/storage/file-lines.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const W3C_TURTLE = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11', 'rdf-turtle');
const BAD = ['turtle-syntax-bad-number-dot-in-anon.ttl', 'turtle-syntax-bad-n3-extras-03.ttl', 'turtle-syntax-bad-struct-02.ttl'];

describe('readLinesAround', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeAll(() => { temp = makeTempRoot('ontocat-lines'); });
  afterAll(() => temp.cleanup());
  const write = (name: string, bytes: string | Buffer): string => {
    const file = path.join(temp.root, name);
    writeFileSync(file, bytes);
    return file;
  };

  it('keeps a 5 MB line to its first bytes and says how long it was', () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const file = write('huge.ttl', `first\n${huge}\nthird\n`);
    const got = readLinesAround(file, 2, { context: 1, maxLineBytes: 100, blockBytes: 64 * 1024 });
    expect(got.lines.map((l) => [l.number, l.text.length, l.truncated, l.bytes])).toEqual([[1, 5, false, 5], [2, 100, true, huge.length], [3, 5, false, 5]]);
  });

  it('refuses to show lines of a binary file', () => {
    const file = write('blob.ttl', Buffer.from([0x3c, 0x61, 0x3e, 0x00, 0x0a, 0x41]));
    expect(readLinesAround(file, 1, { context: 2 })).toMatchObject({ binary: true, lines: [] });
  });

  it('drops CR of CRLF lines, splits across read blocks, and notices a line past the end', () => {
    const file = write('crlf.nt', 'a\r\nbb\r\nccc\r\n');
    expect(readLinesAround(file, 2, { context: 5, blockBytes: 2 }).lines.map((l) => l.text)).toEqual(['a', 'bb', 'ccc']);
    expect(readLinesAround(file, 9, { context: 1 })).toMatchObject({ past_end: true, lines: [] });
  });

  it('stops at the scan limit instead of reading a whole huge file', () => {
    const file = write('many.txt', 'line\n'.repeat(10_000));
    expect(readLinesAround(file, 9_000, { context: 1, maxScanBytes: 1000, blockBytes: 256 })).toMatchObject({ scan_limited: true, lines: [] });
  });
});

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => Promise<unknown>): void { this.handlers.set(channel, listener); }
  removeHandler(channel: string): void { this.handlers.delete(channel); }
}

describe('files:lines and the desktop actions on an ingested catalog', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let session: Session;
  const failingLines = new Map<string, number>();

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-lines-catalog');
    root = path.join(temp.root, 'catalog');
    const source = path.join(temp.root, 'src');
    mkdirSync(source, { recursive: true });
    for (const name of BAD) copyFileSync(path.join(W3C_TURTLE, name), path.join(source, name));
    const ingest = runOntocat(['ingest', source, '--service', 'w3c', '--version', '1', '--json'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    session = await openSession({ actor: 'test', root });
    const failures = await session.call('validations:list', { ref: 'w3c/1', passed: false, limit: 100 });
    for (const f of failures.items) if (f.line !== null && !failingLines.has(f.relpath)) failingLines.set(f.relpath, f.line);
  }, 120_000);
  afterAll(async () => { await session?.close(); temp?.cleanup(); });

  it('reads one finding again by its id (as a finding\'s panel does), and none for an id the catalog lacks', async () => {
    const failures = await session.call('validations:list', { ref: 'w3c/1', passed: false, limit: 100 });
    const one = failures.items[failures.items.length - 1]!;
    const again = await session.call('validations:list', { ref: 'w3c/1', validation_id: one.validation_id, limit: 1 });
    expect(again.total).toBe(1);
    expect(again.items).toEqual([one]);
    const none = await session.call('validations:list', { ref: 'w3c/1', validation_id: '00000000-0000-4000-8000-000000000000', limit: 1 });
    expect(none).toMatchObject({ total: 0, items: [] });
  });

  it('shows each W3C negative test\'s reported line as the W3C file has it, with its neighbours', async () => {
    expect([...failingLines.keys()].sort()).toEqual([...BAD].sort());
    for (const [relpath, line] of failingLines) {
      const got = await session.call('files:lines', { ref: 'w3c/1', relpath, line, context: 2 });
      const truth = readFileSync(path.join(W3C_TURTLE, relpath), 'utf8').replace(/\n$/, '').split('\n');
      const first = Math.max(1, line - 2);
      expect(got.lines.map((l) => [l.number, l.text]), relpath).toEqual(
        truth.slice(first - 1, Math.min(truth.length, line + 2)).map((text, i) => [first + i, text]));
      expect(got).toMatchObject({ binary: false, past_end: false, from: 'version' });
    }
  });

  it('reads from the content store when the version copy is gone, and refuses what is not catalogued', async () => {
    const [relpath, line] = [...failingLines][0]!;
    rmSync(path.join(root, dataRelpath('w3c', '1', relpath)));
    const got = await session.call('files:lines', { ref: 'w3c/1', relpath, line, context: 0 });
    expect(got.from).toBe('cas');
    expect(got.lines[0]!.text).toBe(readFileSync(path.join(W3C_TURTLE, relpath), 'utf8').split('\n')[line - 1]);
    await expect(session.call('files:lines', { ref: 'w3c/1', relpath: '../../catalog.duckdb', line: 1 })).rejects.toThrow(/No file/);
  });

  it('shows a stored file in its folder and saves an export where the dialog says, only for the app window', async () => {
    const ipc = new FakeIpcMain();
    const shown: string[] = [];
    const target = path.join(temp.root, 'saved.csv');
    registerDesktopActions(ipc, {
      session: () => session,
      isTrusted: (event) => event.sender.id === 1,
      shell: { showItemInFolder: (file) => { shown.push(file); } },
      dialog: { showSaveDialog: async () => ({ canceled: false, filePath: target }) },
      saveFolder: temp.root,
    });
    const app: IpcSenderInfo = { sender: { id: 1 }, senderFrame: { url: 'app://ontocat/', parent: null } };
    const relpath = BAD[2]!;
    const reveal = await ipc.handlers.get(IPC_REVEAL_FILE)!(app, { ref: 'w3c/1', relpath }) as Result<{ path: string }>;
    expect(reveal.ok).toBe(true);
    expect(shown).toHaveLength(1);
    expect(readFileSync(shown[0]!)).toEqual(readFileSync(path.join(W3C_TURTLE, relpath)));
    const stranger: IpcSenderInfo = { sender: { id: 2 }, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await ipc.handlers.get(IPC_REVEAL_FILE)!(stranger, { ref: 'w3c/1', relpath })).toMatchObject({ ok: false });
    expect(shown).toHaveLength(1);

    const saved = await ipc.handlers.get(IPC_SAVE_EXPORT)!(app, { table: 'validations', format: 'csv', input: { ref: 'w3c/1', passed: false } }) as Result<{ path: string; rows: number }>;
    expect(saved).toMatchObject({ ok: true, data: { path: target } });
    const csv = readFileSync(target, 'utf8').trim().split('\n');
    const total = (await session.call('validations:list', { ref: 'w3c/1', passed: false, limit: 1 })).total;
    expect(csv.length - 1).toBe(total);
    expect(await ipc.handlers.get(IPC_SAVE_EXPORT)!(app, { table: 'nope', format: 'csv', input: {} })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });
});
