/**
 * The listing validation reads: the files a validator parses as rows, the others as paths
 * and sizes framed in one text by DuckDB, read back exactly, also for a path a tab or
 * line feed would break (an older catalog may hold one; today's refuses them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { listFilesToValidate } from '../../../electron/catalog/validation-queries.js';
import { replaceVersionFiles, upsertVersion } from '../../../electron/catalog/write-records.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const ref = { service: 'svc', version: '1' };
const PARSED = ['turtle', 'json'];
let catalog: Catalog;
let cleanup: () => void;

/** A file record of `size` bytes (its hash only needs to be well formed). */
function file(relpath: string, format: string, size: number) {
  return { relpath, format, size_bytes: size, sha256: `${(size % 10).toString().repeat(64)}` };
}

beforeAll(async () => {
  let root: string;
  ({ root, cleanup } = makeTempRoot('ontocat-files-to-validate'));
  catalog = await openCatalog({ root });
  await catalog.write(async (tx) => {
    await upsertVersion(tx, ref);
    await replaceVersionFiles(tx, ref, [
      file('b/icon.png', 'binary', 1234),
      file('a.ttl', 'turtle', 10),
      file('é/ünïcode name.svg', 'svg', 98_765_432_109),
      file('c/data.json', 'json', 7),
      file('a-1.png', 'binary', 0),
    ]);
  });
});
afterAll(async () => {
  await catalog.close();
  cleanup();
});

describe('listFilesToValidate', () => {
  it('lists the parsed files as rows and the others as paths and sizes, both by path', async () => {
    const listing = await catalog.read((conn) => listFilesToValidate(conn, ref, PARSED));
    expect(listing.parsed.map((f) => [f.relpath, f.format, f.size_bytes])).toEqual([['a.ttl', 'turtle', 10], ['c/data.json', 'json', 7]]);
    // An ontology format carries its hash (the term index keys on it); JSON does not.
    expect(listing.parsed.map((f) => f.sha256 !== null)).toEqual([true, false]);
    expect(listing.unparsed).toEqual({ relpaths: ['a-1.png', 'b/icon.png', 'é/ünïcode name.svg'], sizes: [0, 1234, 98_765_432_109] });
  });

  it('reads a path with a tab or a line feed back exactly (row by row)', async () => {
    await catalog.write(async (tx) => {
      await tx.run(`UPDATE extracted_files SET relpath = 'b/tab\there' || chr(10) || 'line.png' WHERE version_id = $1 AND relpath = 'b/icon.png'`, [versionId(ref.service, ref.version)]);
    });
    const listing = await catalog.read((conn) => listFilesToValidate(conn, ref, PARSED));
    expect(listing.unparsed).toEqual({ relpaths: ['a-1.png', 'b/tab\there\nline.png', 'é/ünïcode name.svg'], sizes: [0, 1234, 98_765_432_109] });
  });

  it('a version with no other files lists none', async () => {
    const only = { service: 'svc', version: '2' };
    await catalog.write(async (tx) => {
      await upsertVersion(tx, only);
      await replaceVersionFiles(tx, only, [file('x.ttl', 'turtle', 3)]);
    });
    const listing = await catalog.read((conn) => listFilesToValidate(conn, only, PARSED));
    expect(listing.parsed).toHaveLength(1);
    expect(listing.unparsed).toEqual({ relpaths: [], sizes: [] });
  });
});
