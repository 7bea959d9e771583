/**
 * The lines shown around a finding and a file's download are the version's bytes, as
 * recorded: a version file edited in place (`dd conv=notrunc`, which edits the content store
 * copy through the hard link too) or replaced by other bytes must not be shown or handed out
 * as the version's. Before, both read whatever the version folder held.
 *
 * Reference: coreutils dd and sed (the lines of the source file as ingested).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { storedFileForDownload } from '../../../electron/handlers/table-download.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const SO = '/usr/share/EMBOSS/data/OBO/so.obo';

/** Lines `from`..`to` of a file as sed prints them. */
function sedLines(file: string, from: number, to: number): string[] {
  const run = spawnSync('sed', ['-n', `${from},${to}p`, file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.replace(/\n$/, '').split('\n');
}

let temp: ReturnType<typeof makeTempRoot>;
let root: string;
let source: string;
let session: Session;

beforeEach(async () => {
  temp = makeTempRoot('ontocat-stored-bytes-shown');
  root = path.join(temp.root, 'root');
  source = path.join(temp.root, 'so');
  mkdirSync(source);
  copyFileSync(SO, path.join(source, 'so.obo'));
  const ingest = runOntocat(['ingest', source, '--service', 'so', '--version', '1'], { root });
  expect(ingest.code, ingest.stderr).toBe(0);
  session = await openSession({ actor: 'test', root });
});
afterEach(async () => {
  await session.close();
  temp.cleanup();
});

describe('bytes shown or downloaded as a version file', () => {
  it('a copy replaced by other bytes is passed over for the content store copy', async () => {
    const file = path.join(root, 'so', '1', 'data', 'so.obo');
    rmSync(file);
    writeFileSync(file, 'format-version: 1.2\nnot the release\n');
    const lines = await session.call('files:lines', { ref: 'so/1', relpath: 'so.obo', line: 10, context: 2 });
    expect(lines.from).toBe('cas');
    expect(lines.lines.map((line) => line.text)).toEqual(sedLines(SO, 8, 12));
    const download = await storedFileForDownload(session, 'so/1', 'so.obo');
    expect(download.path).toContain(`${path.sep}.cas${path.sep}`);
  });

  it('bytes edited in place through the hard link are refused, naming the change', async () => {
    const file = path.join(root, 'so', '1', 'data', 'so.obo');
    spawnSync('chmod', ['u+w', file]);
    const dd = spawnSync('dd', [`of=${file}`, 'bs=1', 'seek=20', 'count=4', 'conv=notrunc', 'if=/dev/zero'], { encoding: 'utf8' });
    expect(dd.status, dd.stderr).toBe(0);
    await expect(session.call('files:lines', { ref: 'so/1', relpath: 'so.obo', line: 1 })).rejects.toThrow(/changed on disk since they were stored \(it is the recorded size but was written since: its sha256 is [0-9a-f]{12}…, the catalog recorded [0-9a-f]{12}…\), and no intact copy is left; run doctor/);
    await expect(storedFileForDownload(session, 'so/1', 'so.obo')).rejects.toThrow(/no intact copy is left/);
  });
});
