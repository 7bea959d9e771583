import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { listTree, makeGz, makeRawTar, makeTar, makeTarXz, makeZip, writeTree } from './archive-fixtures.js';

const files = {
  'onto/go.ttl': '@prefix ex: <http://example.org/> .\nex:a a ex:B .\n',
  'onto/go.obo': 'format-version: 1.2\n\n[Term]\nid: GO:1\n',
  'README': 'hello\n',
};

async function counts(catalog: Catalog): Promise<{ versions: number; files: number }> {
  return catalog.read(async (conn) => (await conn.one<{ versions: number; files: number }>(
    'SELECT (SELECT count(*) FROM versions) AS versions, (SELECT count(*) FROM extracted_files) AS files',
  ))!);
}

describe('ingest from archives', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let src: string;
  let catalog: Catalog;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-archives');
    root = path.join(temp.root, 'root');
    src = path.join(temp.root, 'src');
    writeTree(path.join(src, 'tree'), files);
    catalog = await openCatalog({ root, app: 'test', threads: 1 });
  });
  afterEach(async () => {
    await catalog.close();
    temp.cleanup();
  });

  async function expectIngested(archive: string, version: string, expected: Record<string, string>): Promise<void> {
    const summary = await ingest(catalog, archive, { service: 'svc', version });
    expect(summary).toMatchObject({ status: 'ingested', files: Object.keys(expected).length, artifacts: 1 });
    const rows = await catalog.read((conn) => conn.all<{ relpath: string; format: string }>(
      `SELECT relpath, format FROM extracted_files f JOIN versions v USING (version_id) WHERE v.version = $1 ORDER BY relpath`, [version],
    ));
    expect(Object.fromEntries(rows.map((r) => [r.relpath, r.format]))).toEqual(expected);
    for (const relpath of Object.keys(expected)) {
      expect(existsSync(path.join(root, 'svc', version, 'data', relpath))).toBe(true);
    }
    expect(listTree(path.join(root, '.tmp'))).toEqual([]);
  }

  const formats = { 'onto/go.ttl': 'turtle', 'onto/go.obo': 'obo', README: 'other' };

  it('ingests .zip, .tar, .tar.gz, .tgz and a single-file .gz', async () => {
    await makeZip(path.join(src, 'a.zip'), Object.entries(files).map(([name, content]) => ({ name, content })));
    await expectIngested(path.join(src, 'a.zip'), 'zip', formats);
    await makeTar(path.join(src, 'a.tar'), path.join(src, 'tree'));
    await expectIngested(path.join(src, 'a.tar'), 'tar', formats);
    await makeTar(path.join(src, 'a.tar.gz'), path.join(src, 'tree'), true);
    await expectIngested(path.join(src, 'a.tar.gz'), 'tgz1', formats);
    await makeTar(path.join(src, 'b.tgz'), path.join(src, 'tree'), true);
    await expectIngested(path.join(src, 'b.tgz'), 'tgz2', formats);
    makeGz(path.join(src, 'go.ttl.gz'), files['onto/go.ttl']);
    await expectIngested(path.join(src, 'go.ttl.gz'), 'gz', { 'go.ttl': 'turtle' });
    // All five versions share the same three contents in the store.
    const usage = await catalog.read((conn) => conn.one<{ n: number }>('SELECT count(DISTINCT sha256) AS n FROM extracted_files'));
    expect(usage!.n).toBe(3);
  });

  it('ingests .tar.xz when xz is available', async (ctx) => {
    if (!(await makeTarXz(path.join(src, 'a.tar.xz'), path.join(src, 'tree')))) {
      ctx.skip('no xz command on this machine: cannot build a .tar.xz fixture');
    }
    await expectIngested(path.join(src, 'a.tar.xz'), 'xz', formats);
  });

  it('keeps links that stay inside the archive as copies of their target', async () => {
    await makeZip(path.join(src, 'links.zip'), [
      { name: 'data/a.ttl', content: files['onto/go.ttl'] },
      { name: 'data/alias.ttl', content: 'a.ttl', mode: 0o120777 },
      { name: 'data/dangling.ttl', content: 'missing.ttl', mode: 0o120777 },
    ]);
    const summary = await ingest(catalog, path.join(src, 'links.zip'), { service: 'svc', version: 'links' });
    expect(summary).toMatchObject({ files: 2, skipped: 1 });
    expect(readFileSync(path.join(root, 'svc/links/data/data/alias.ttl'), 'utf8')).toBe(files['onto/go.ttl']);
  });

  describe('refuses malicious archives and leaves nothing behind', () => {
    async function expectRefused(archive: string, code: string, message: RegExp, limits = {}): Promise<void> {
      const before = listTree(root).filter((p) => !p.startsWith('.tmp') && !p.startsWith('catalog.duckdb'));
      const failedEvents = (): Promise<number | null> => catalog.read((conn) => conn.scalar<number>("SELECT count(*) FROM events WHERE type = 'ingest.failed'"));
      const failedBefore = (await failedEvents())!;
      await expect(ingest(catalog, archive, { service: 'evil', version: '1', limits })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      expect(await counts(catalog)).toEqual({ versions: 0, files: 0 });
      const after = listTree(root).filter((p) => !p.startsWith('.tmp') && !p.startsWith('catalog.duckdb'));
      expect(after).toEqual(before);
      expect(listTree(path.join(root, '.tmp'))).toEqual([]);
      expect(existsSync(path.join(temp.root, 'evil'))).toBe(false);
      expect(await failedEvents()).toBe(failedBefore + 1);
    }

    it('zip-slip ../evil', async () => {
      // yazl refuses to write '..', so write a same-length name and patch the bytes.
      await makeZip(path.join(src, 'slip.zip'), [{ name: 'ok.ttl', content: 'x' }, { name: 'xx/evil', content: 'pwned' }]);
      const raw = readFileSync(path.join(src, 'slip.zip'));
      writeFileSync(path.join(src, 'slip.zip'), Buffer.from(raw.toString('latin1').replaceAll('xx/evil', '../evil'), 'latin1'));
      await expectRefused(path.join(src, 'slip.zip'), 'UNSAFE_PATH', /\.\.\/evil/);
    });

    it('tar with ../ and absolute paths', async () => {
      makeRawTar(path.join(src, 'slip.tar'), [{ name: 'ok.ttl', content: 'x' }, { name: '../evil', content: 'pwned' }]);
      await expectRefused(path.join(src, 'slip.tar'), 'UNSAFE_PATH', /\.\.\/evil/);
      makeRawTar(path.join(src, 'abs.tar'), [{ name: '/tmp/ontocat-evil-abs', content: 'pwned' }]);
      await expectRefused(path.join(src, 'abs.tar'), 'UNSAFE_PATH', /absolute|\/tmp\/ontocat-evil-abs/);
      expect(existsSync('/tmp/ontocat-evil-abs')).toBe(false);
    });

    it('absolute path in a zip', async () => {
      await makeZip(path.join(src, 'abs.zip'), [{ name: 'tmp/ontocat-evil-zip', content: 'pwned' }]);
      const raw = readFileSync(path.join(src, 'abs.zip'));
      writeFileSync(path.join(src, 'abs.zip'), Buffer.from(raw.toString('latin1').replaceAll('tmp/ontocat-evil-zip', '/mp/ontocat-evil-zip'), 'latin1'));
      await expectRefused(path.join(src, 'abs.zip'), 'UNSAFE_PATH', /absolute/);
    });

    it('symlinks that escape (zip and tar) and a hard link that escapes (tar)', async () => {
      await makeZip(path.join(src, 'link.zip'), [{ name: 'passwd', content: '/etc/passwd', mode: 0o120777 }]);
      await expectRefused(path.join(src, 'link.zip'), 'UNSAFE_PATH', /points outside/);
      makeRawTar(path.join(src, 'link.tar'), [{ name: 'a/up', type: '2', linkname: '../../outside' }]);
      await expectRefused(path.join(src, 'link.tar'), 'UNSAFE_PATH', /points outside/);
      makeRawTar(path.join(src, 'hard.tar'), [{ name: 'h', type: '1', linkname: '../x' }]);
      await expectRefused(path.join(src, 'hard.tar'), 'UNSAFE_PATH', /points outside/);
    });

    it('device and FIFO entries', async () => {
      makeRawTar(path.join(src, 'dev.tar'), [{ name: 'ok.ttl', content: 'x' }, { name: 'null', type: '3' }]);
      await expectRefused(path.join(src, 'dev.tar'), 'UNSAFE_PATH', /device/);
      makeRawTar(path.join(src, 'fifo.tar'), [{ name: 'pipe', type: '6' }]);
      await expectRefused(path.join(src, 'fifo.tar'), 'UNSAFE_PATH', /device or FIFO/);
    });

    it('a bomb by compression ratio', async () => {
      await makeZip(path.join(src, 'bomb.zip'), [{ name: 'zeros.nt', content: Buffer.alloc(8_000_000) }]);
      expect(statSync(path.join(src, 'bomb.zip')).size).toBeLessThan(40_000);
      await expectRefused(path.join(src, 'bomb.zip'), 'LIMIT_EXCEEDED', /compression ratio above 200:1/);
      makeGz(path.join(src, 'bomb.nt.gz'), Buffer.alloc(8_000_000));
      await expectRefused(path.join(src, 'bomb.nt.gz'), 'LIMIT_EXCEEDED', /compression ratio/);
    });

    it('a bomb by file count and by total size', async () => {
      const many = Array.from({ length: 60 }, (_, i) => ({ name: `f/${i}.txt`, content: '' }));
      await makeZip(path.join(src, 'many.zip'), many);
      await expectRefused(path.join(src, 'many.zip'), 'LIMIT_EXCEEDED', /more than 50 files/, { maxFiles: 50 });
      writeTree(path.join(src, 'big'), { 'a.bin': Buffer.alloc(3000, 1) });
      await makeTar(path.join(src, 'big.tar'), path.join(src, 'big'));
      await expectRefused(path.join(src, 'big.tar'), 'LIMIT_EXCEEDED', /maxBytes/, { maxBytes: 2000 });
    });

    it('a file name that is not UTF-8 (Latin-1), in a tar and in a folder, named by its bytes', async () => {
      // Decoded leniently, both would become 'caf\ufffd.txt': another name (two such names collide).
      const latin1 = Buffer.from('caf\xe9.txt', 'latin1');
      makeRawTar(path.join(src, 'latin1.tar'), [{ name: 'ok.ttl', content: 'x' }, { name: latin1, content: 'café' }]);
      await expectRefused(path.join(src, 'latin1.tar'), 'BAD_INPUT', /not UTF-8 text: 'caf\\xe9\.txt'/);
      writeTree(path.join(src, 'latin1'), { 'ok.ttl': 'x' });
      writeFileSync(Buffer.concat([Buffer.from(`${path.join(src, 'latin1')}/`), latin1]), 'café');
      await expectRefused(path.join(src, 'latin1'), 'BAD_INPUT', /not UTF-8 text \('caf\\xe9\.txt'\)/);
    });

    it('a folder whose symlink escapes it', async () => {
      writeTree(path.join(src, 'folder'), { 'a.ttl': 'x' });
      symlinkSync('/etc/hostname', path.join(src, 'folder', 'host'));
      await expectRefused(path.join(src, 'folder'), 'UNSAFE_PATH', /outside the folder/);
    });
  });

  it('refuses a corrupt archive clearly', async () => {
    writeFileSync(path.join(src, 'junk.zip'), 'this is not a zip');
    await expect(ingest(catalog, path.join(src, 'junk.zip'), { service: 'svc', version: 'junk' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/Cannot read the archive junk.zip/) });
    expect(listTree(path.join(root, '.tmp'))).toEqual([]);
  });
});
