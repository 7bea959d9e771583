/**
 * A second version's unchanged files are not sniffed again: ingest takes the sniffed
 * format of content the catalog recorded from the rows of the newest version of the
 * service recorded under the same detection rules (its `files.recorded` event names them),
 * and only for content of at most 8 KiB, which every writer sniffs whole. The recorded
 * value is made to differ from what the bytes sniff as, so the test sees which was used;
 * rows rewritten by import-manifest (whose event names no rules), rules of another build
 * and larger content are sniffed from the bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { FORMAT_DETECTION_RULES } from '../../../electron/ingest/detect-format.js';
import { importManifest } from '../../../electron/ingest/import-manifest.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-known-content-format');
afterAll(() => temp.cleanup());

const line = (i: number): string => `<http://e.org/s${i}> <http://e.org/p> "statement ${i}" .\n`;
/** N-Triples under names whose extension leaves the format to the content. */
const small = line(1) + line(2);
const large = Array.from({ length: 200 }, (_, i) => line(i)).join('');

function source(name: string, files: Record<string, string>): string {
  const dir = path.join(temp.root, name);
  for (const [relpath, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), text);
  }
  return dir;
}

type Row = { relpath: string; format: string; sniffed_format: string | null };
const rowsOf = (catalog: Catalog, service: string, version: string): Promise<Row[]> => catalog.read((conn) => conn.all<Row>(
  'SELECT relpath, format, sniffed_format FROM extracted_files WHERE version_id = $1::UUID ORDER BY relpath', [versionId(service, version)]));

/** Says the catalog recorded `sniffed` for every file of a version (what a sniff of other bytes would have left). */
const recordAs = (catalog: Catalog, service: string, version: string, sniffed: string): Promise<void> => catalog.write((tx) => tx.run(
  'UPDATE extracted_files SET sniffed_format = $2 WHERE version_id = $1::UUID', [versionId(service, version), sniffed]));

async function withCatalog<T>(name: string, task: (catalog: Catalog, root: string) => Promise<T>): Promise<T> {
  const root = path.join(temp.root, `${name}-root`);
  const catalog = await openCatalog({ root, app: 'test' });
  try {
    return await task(catalog, root);
  } finally {
    await catalog.close();
  }
}

describe('the format of content a version of the service recorded', () => {
  it('is taken from the rows of the newest version recorded under the same rules, for content of at most 8 KiB', async () => {
    expect(large.length).toBeGreaterThan(8192);
    await withCatalog('reuse', async (catalog) => {
      const src = source('reuse-src', { 'a.txt': small, 'big.txt': large });
      await ingest(catalog, src, { service: 's', version: '1' });
      expect(await rowsOf(catalog, 's', '1')).toEqual([
        { relpath: 'a.txt', format: 'ntriples', sniffed_format: 'ntriples' },
        { relpath: 'big.txt', format: 'ntriples', sniffed_format: 'ntriples' },
      ]);
      const event = await catalog.read((conn) => conn.scalar<string>("SELECT payload_json FROM events WHERE type = 'files.recorded' ORDER BY ts DESC LIMIT 1"));
      expect(JSON.parse(event!)).toMatchObject({ service: 's', version: '1', format_detection: FORMAT_DETECTION_RULES });

      await recordAs(catalog, 's', '1', 'turtle');
      // The same bytes, and the small ones under another name in a new folder.
      const next = source('reuse-src-2', { 'a.txt': small, 'big.txt': large, 'moved/copy.txt': small });
      await ingest(catalog, next, { service: 's', version: '2' });
      expect(await rowsOf(catalog, 's', '2')).toEqual([
        { relpath: 'a.txt', format: 'turtle', sniffed_format: 'turtle' },
        { relpath: 'big.txt', format: 'ntriples', sniffed_format: 'ntriples' },
        { relpath: 'moved/copy.txt', format: 'turtle', sniffed_format: 'turtle' },
      ]);
    });
  }, 60_000);

  it('is sniffed again from rows import-manifest rewrote, and from rows of other detection rules', async () => {
    await withCatalog('rules', async (catalog, root) => {
      const src = source('rules-src', { 'a.txt': small });
      await ingest(catalog, src, { service: 's', version: '1' });
      await recordAs(catalog, 's', '1', 'turtle');
      // A curator's file recorded by import-manifest rewrites the version's rows (a.txt's
      // as it was): its event names no detection rules.
      const extra = 'a curator\'s note\n';
      writeFileSync(path.join(root, 's', '1', 'data', 'extra.txt'), extra);
      const manifest = path.join(temp.root, 'manifest.jsonl');
      writeFileSync(manifest, `${JSON.stringify({ path: 'extra.txt', service: 's', version: '1', sha256: createHash('sha256').update(extra).digest('hex'), size: extra.length })}\n`);
      const imported = await importManifest(catalog, manifest);
      expect(imported.errors).toEqual([]);
      expect((await rowsOf(catalog, 's', '1')).map((row) => row.sniffed_format)).toEqual(['turtle', null]);
      await ingest(catalog, src, { service: 's', version: '2' });
      expect(await rowsOf(catalog, 's', '2')).toEqual([{ relpath: 'a.txt', format: 'ntriples', sniffed_format: 'ntriples' }]);

      // Rules of another build (the newest version recorded under them is not used).
      await recordAs(catalog, 's', '2', 'turtle');
      await catalog.write((tx) => tx.run(
        `UPDATE events SET payload_json = json_object('service', 's', 'version', '2', 'format_detection', ${FORMAT_DETECTION_RULES + 1})
         WHERE type = 'files.recorded' AND payload_json LIKE '%"version":"2"%'`));
      await ingest(catalog, src, { service: 's', version: '3' });
      expect(await rowsOf(catalog, 's', '3')).toEqual([{ relpath: 'a.txt', format: 'ntriples', sniffed_format: 'ntriples' }]);
    });
  }, 60_000);
});
