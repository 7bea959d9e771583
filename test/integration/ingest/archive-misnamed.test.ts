/**
 * An archive named for another kind than its bytes (a gzip'd tar named `.tar`, a plain tar
 * named `.tar.gz`, an xz'd tar named `.tgz`, a zip named `.tar`) is read by its bytes, as
 * GNU tar and unzip read them: before, it failed with "a tar header has a wrong checksum"
 * or "incorrect header check". The stored files are checked against the real tools'
 * extraction by a hash walk.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { hashTree } from './ingest-checks.js';

const temp = makeTempRoot('ontocat-misnamed');
const root = path.join(temp.root, 'root');
const src = path.join(temp.root, 'src');
const work = path.join(temp.root, 'work');
let session: Session;

beforeAll(async () => {
  mkdirSync(path.join(src, 'sub'), { recursive: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(src, 'a.ttl'), '<http://e.org/a> <http://e.org/p> "a" .\n');
  writeFileSync(path.join(src, 'sub', 'b.txt'), 'bee\n');
  execFileSync('tar', ['-czf', path.join(work, 'gzipped.tar'), '-C', src, '.']);
  execFileSync('tar', ['-cf', path.join(work, 'plain.tar.gz'), '-C', src, '.']);
  execFileSync('tar', ['-cJf', path.join(work, 'xzed.tgz'), '-C', src, '.']);
  execFileSync('zip', ['-qr', path.join(work, 'zipped.tar'), '.'], { cwd: src });
  session = await openSession({ actor: 'test', root });
}, 60_000);
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('an archive named for another kind than its bytes', () => {
  it.each(['gzipped.tar', 'plain.tar.gz', 'xzed.tgz', 'zipped.tar'])('%s is read by its bytes, as tar and unzip read it', async (name) => {
    const version = name.replace(/\W/g, '-');
    const result = await session.call('ingest:run', { source: path.join(work, name), service: 'm', version });
    expect(result).toMatchObject({ status: 'ingested', files: 2 });
    expect(hashTree(path.join(root, 'm', version, 'data'))).toEqual(hashTree(src));
  }, 30_000);

  it('a file that is no archive at all still fails with the reader\'s own error', async () => {
    writeFileSync(path.join(work, 'junk.tar.gz'), 'this is not an archive at all'.repeat(40));
    await expect(session.call('ingest:run', { source: path.join(work, 'junk.tar.gz'), service: 'm', version: 'junk' })).rejects.toThrow(/junk\.tar\.gz/);
  });
});
