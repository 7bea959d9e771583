/**
 * Ingesting a version whose data folder exists already replaces that folder. A file the
 * catalog does not hold there (a curator's own, one a prune left behind, a catalogued
 * file edited by hand) must never go with it: the ingest is refused, naming the files,
 * and nothing changes; checked by hashing the folder before and after.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { hashTree } from './ingest-checks.js';

const temp = makeTempRoot('ontocat-replace-keeps');
const root = path.join(temp.root, 'root');
let session: Session;

function source(name: string, files: Record<string, string>): string {
  const dir = path.join(temp.root, 'src', name);
  rmSync(dir, { recursive: true, force: true });
  for (const [relpath, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), text);
  }
  return dir;
}

const data = (version: string): string => path.join(root, 'go', version, 'data');

beforeAll(async () => {
  session = await openSession({ actor: 'test', root, create: true });
  await session.call('ingest:run', { source: source('1', { 'go.obo': 'format-version: 1.2\n', 'sub/a.txt': 'a\n' }), service: 'go', version: '1' });
  await session.call('ingest:run', { source: source('2', { 'go.obo': 'format-version: 1.2\n! two\n' }), service: 'go', version: '2' });
}, 120_000);
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('re-ingesting a version keeps what the catalog does not hold', () => {
  it('--replace refuses while the folder holds a file of the curator, and replaces once it is gone', async () => {
    writeFileSync(path.join(data('1'), 'sub', 'mine.txt'), 'my notes\n');
    const before = hashTree(data('1'));
    const replacement = source('1b', { 'go.obo': 'format-version: 1.2\n! replaced\n' });
    await expect(session.call('ingest:run', { source: replacement, service: 'go', version: '1', replace: true }))
      .rejects.toThrow(/go\/1\/data holds a file the catalog does not \('sub\/mine\.txt'/);
    expect(hashTree(data('1'))).toEqual(before);
    rmSync(path.join(data('1'), 'sub', 'mine.txt'));
    const replaced = await session.call('ingest:run', { source: replacement, service: 'go', version: '1', replace: true });
    expect(replaced.status).not.toBe('unchanged');
    expect(Object.keys(hashTree(data('1')))).toEqual(['go.obo']);
  });

  it('refuses while a catalogued file was changed by hand (replaced, as an editor saves)', async () => {
    const file = path.join(data('2'), 'go.obo');
    const edited = `${readFileSync(file, 'utf8')}! edited\n`;
    rmSync(file);
    writeFileSync(file, edited);
    await expect(session.call('ingest:run', { source: source('2b', { 'go.obo': 'x\n' }), service: 'go', version: '2', replace: true }))
      .rejects.toThrow(/'go\.obo': added or changed by hand/);
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('a version name ingested again after its rows are gone keeps the files left in its folder', async () => {
    mkdirSync(path.join(root, 'go', '3', 'data'), { recursive: true });
    writeFileSync(path.join(root, 'go', '3', 'data', 'left.txt'), 'left behind\n');
    await expect(session.call('ingest:run', { source: source('3', { 'go.obo': 'three\n' }), service: 'go', version: '3' }))
      .rejects.toThrow(/'left\.txt'/);
    expect(readFileSync(path.join(root, 'go', '3', 'data', 'left.txt'), 'utf8')).toBe('left behind\n');
  });
});

describe('a store object changed on disk is never linked into a new version', () => {
  it('refuses the ingest, naming the damaged copy, where it would have given the new version other bytes', async () => {
    const clean = { 'shared.txt': 'shared content\n', 'own.txt': 'own\n' };
    await session.call('ingest:run', { source: source('4', clean), service: 'st', version: '4' });
    // Edited in place (appended), as a tool that rewrites a file through its own inode
    // does: the version's file and its stored copy are one inode.
    writeFileSync(path.join(root, 'st', '4', 'data', 'shared.txt'), 'curator note\n', { flag: 'a' });
    const next = source('5', { ...clean, 'new.txt': 'new\n' });
    await expect(session.call('ingest:run', { source: next, service: 'st', version: '5' }))
      .rejects.toThrow(/content store's copy of [0-9a-f]{12}… .* holds 28 bytes, not the 15 of its content: it was changed on disk/);
    const versions = await session.call('versions:list', { service: 'st' });
    expect(versions.items.map((v) => v.version)).toEqual(['4']);
  });
});
