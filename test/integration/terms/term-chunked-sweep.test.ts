/**
 * The rows a killed chunked recording leaves (committed, never given a content record) are
 * found by the list of contents being recorded in chunks (term_chunked_contents, 0041),
 * not by scanning every term row: the next chunked recording removes a killed run's and
 * leaves the one under way and every recorded content; an upgraded catalog loses the rows
 * killed runs left before the list was kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, readMigrationFiles } from '../../../electron/catalog/migrations.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { termColumns } from '../../../electron/catalog/term-columns.js';
import { finishChunkedContent, recordContentChunk, recordContentTerms, type TermRecord } from '../../../electron/catalog/term-index.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const term = (n: number): TermRecord => ({
  id: `GX:${String(n).padStart(5, '0')}`, kind: 'class', labels: [{ value: `gene ${n}` }], synonyms: [], definitions: [{ value: `Gene ${n}.` }],
  deprecated: false, replaced_by: [], consider: [], parents: [],
});
const terms = (from: number, to: number): TermRecord[] => Array.from({ length: to - from + 1 }, (_, i) => term(from + i));

/** A term row's columns but its content id: the rows a killed run left are copies of a recorded content's. */
const TERM_ROW = 'term_key, kind, label, labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents, state_hash, history_hash';

/** Term rows per content id. */
async function rowsByContent(catalog: Catalog): Promise<Record<number, number>> {
  const rows = await catalog.read((conn) => conn.all<{ content_id: number; n: number }>('SELECT content_id, count(*) AS n FROM file_terms GROUP BY content_id'));
  return Object.fromEntries(rows.map((row) => [Number(row.content_id), Number(row.n)]));
}

/** A killed run's chunk: rows of a listed content that no recording in this process has under way. */
async function leaveKilledChunk(catalog: Catalog, contentId: number, from: number, to: number): Promise<void> {
  await catalog.write(async (tx) => {
    await tx.run('INSERT INTO term_chunked_contents VALUES ($1::INTEGER, now()::TIMESTAMP)', [contentId]);
    await tx.run(
      `INSERT INTO file_terms (content_id, ${TERM_ROW})
       SELECT $1::INTEGER, ${TERM_ROW}
       FROM file_terms WHERE content_id = (SELECT min(content_id) FROM term_index_contents) LIMIT $2::INTEGER`,
      [contentId, to - from + 1],
    );
  });
}

describe('rows left by a killed chunked recording', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeEach(() => { temp = makeTempRoot('ontocat-term-sweep'); });
  afterEach(() => temp.cleanup());

  it('are removed by the next chunked recording, which leaves its own chunks, the one under way and every recorded content', async () => {
    const catalog = await openCatalog({ root: temp.root });
    try {
      await catalog.write((tx) => recordContentTerms(tx, { sha256: 'a'.repeat(64), format: 'obo', terms: terms(1, 40) }));
      const recorded = Object.keys(await rowsByContent(catalog)).map(Number);
      await leaveKilledChunk(catalog, 9_001, 1, 25);
      // A recording under way in this process, listed too: not a killed run's.
      const underWay = await catalog.write((tx) => recordContentChunk(tx, null, termColumns(terms(100, 110))));
      expect((await rowsByContent(catalog))[9_001]).toBe(25);

      const next = await catalog.write((tx) => recordContentChunk(tx, null, termColumns(terms(200, 230)), { sweep: true }));
      const rows = await rowsByContent(catalog);
      expect(rows[9_001]).toBeUndefined();
      expect(rows[underWay]).toBe(11);
      expect(rows[next]).toBe(31);
      expect(rows[recorded[0]!]).toBe(40);
      const listed = await catalog.read((conn) => conn.all<{ content_id: number }>('SELECT content_id FROM term_chunked_contents ORDER BY content_id'));
      expect(listed.map((row) => Number(row.content_id))).toEqual([underWay, next]);

      // Finished, a content leaves the list and has its record.
      for (const [contentId, sha256, last] of [[underWay, 'b', 111], [next, 'c', 231]] as const) {
        await catalog.write((tx) => finishChunkedContent(tx, { sha256: sha256.repeat(64), format: 'obo', contentId, terms: last - (contentId === underWay ? 99 : 199), rest: termColumns([term(last)]) }));
      }
      expect(Number(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM term_chunked_contents')))).toBe(0);
      const contents = await catalog.read((conn) => conn.all<{ content_id: number; terms: number }>('SELECT content_id, terms FROM term_index_contents ORDER BY content_id'));
      expect(contents.map((row) => [Number(row.content_id), Number(row.terms)])).toEqual([[recorded[0]!, 40], [underWay, 12], [next, 32]]);
      expect((await rowsByContent(catalog))[next]).toBe(32);
    } finally {
      await catalog.close();
    }
  });

  it('in a process with two catalogs, one\'s recording under way does not shield the other\'s killed rows of the same content id', async () => {
    const second = makeTempRoot('ontocat-term-sweep-b');
    const a = await openCatalog({ root: temp.root });
    const b = await openCatalog({ root: second.root });
    try {
      for (const catalog of [a, b]) await catalog.write((tx) => recordContentTerms(tx, { sha256: 'a'.repeat(64), format: 'obo', terms: terms(1, 40) }));
      const underWayInA = await a.write((tx) => recordContentChunk(tx, null, termColumns(terms(100, 110))));
      // B's killed run had numbered its content as A numbers the one under way.
      await leaveKilledChunk(b, underWayInA, 1, 25);
      const next = await b.write((tx) => recordContentChunk(tx, null, termColumns(terms(200, 230)), { sweep: true }));
      expect(next).toBe(underWayInA);
      expect((await rowsByContent(b))[next]).toBe(31);
      expect((await rowsByContent(a))[underWayInA]).toBe(11);
    } finally {
      await a.close();
      await b.close();
      second.cleanup();
    }
  });

  it('before the list was kept (a catalog upgraded to 0041): are removed by the upgrade, and recorded contents keep theirs', async () => {
    const older = readMigrationFiles().filter((file) => file.version < 41);
    const catalog = await openCatalog({ root: temp.root, migrate: false });
    try {
      await catalog.exclusive((conn) => migrate(conn, { files: older }));
      await catalog.write((tx) => recordContentTerms(tx, { sha256: 'a'.repeat(64), format: 'obo', terms: terms(1, 40) }));
      // What a killed run of the older recorder left: rows of a content with no record, and no list.
      await catalog.write((tx) => tx.run(
        `INSERT INTO file_terms (content_id, ${TERM_ROW})
         SELECT 9001, ${TERM_ROW} FROM file_terms`,
      ));
      expect(Object.values(await rowsByContent(catalog)).sort()).toEqual([40, 40]);

      const report = await catalog.exclusive((conn) => migrate(conn));
      expect(report.applied.map((m) => m.name)).toContain('0041_term_chunked_contents.sql');
      const rows = await rowsByContent(catalog);
      expect(rows[9_001]).toBeUndefined();
      expect(Object.values(rows)).toEqual([40]);
    } finally {
      await catalog.close();
    }
  });
});
