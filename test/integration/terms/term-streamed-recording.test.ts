/**
 * A large OBO file's terms are recorded while the file is still parsed: the validation
 * worker hands back each 10,000 final terms as a chunk, committed at once, and the content
 * becomes visible (its record and its keys' sets) only when the parse ends cleanly. What the
 * index then holds must be exactly what recording the whole parse at once gives, on real
 * releases (Debian's GO, with its typedefs mapped and alt_ids made terms only at the end of
 * the file, and ChEBI); a parse that fails after some chunks, and a run killed between two
 * chunks, must leave nothing a query can see, and the next run must index the file whole.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termIndexStatus } from '../../../electron/catalog/term-index-queries.js';
import { recordContentTerms } from '../../../electron/catalog/term-index.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import { TERM_CHUNK_TERMS } from '../../../electron/ingest/validate/validate-file.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import { validateInPool } from '../../../electron/ingest/validate/worker-pool.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const OBO = '/usr/share/EMBOSS/data/OBO';
const haveObo = existsSync(path.join(OBO, 'go.obo'));

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});
let dirs: { root: string; source: string; other: string };
beforeEach(() => {
  const made = ['ontocat-streamed-terms', 'ontocat-streamed-src', 'ontocat-streamed-ref'].map((name) => makeTempRoot(name));
  cleanups = made.map((m) => m.cleanup);
  dirs = { root: made[0]!.root, source: made[1]!.root, other: made[2]!.root };
});

/** Every term row of the catalog's contents, as plain text keyed by the content's sha256 (the dictionaries resolved). */
async function indexRows(catalog: Catalog): Promise<string[]> {
  const rows = await catalog.read((conn) => conn.all<{ row: string }>(
    `SELECT c.sha256 || ' ' || k.term || ' ' || t.kind || ' ' || to_json(t.labels)::VARCHAR || ' ' || to_json(t.synonyms)::VARCHAR || ' '
            || COALESCE(d.definition, '-') || ' ' || t.deprecated::VARCHAR || ' ' || to_json(t.replaced_by)::VARCHAR || ' '
            || to_json(t.consider)::VARCHAR || ' ' || to_json(t.parents)::VARCHAR || ' ' || t.state_hash::VARCHAR || ' ' || t.history_hash::VARCHAR AS row
     FROM term_index_contents c JOIN file_terms t ON t.content_id = c.content_id JOIN term_keys k ON k.term_key = t.term_key
     LEFT JOIN term_definitions d ON d.definition_md5 = t.definition_md5`,
  ));
  return rows.map((r) => r.row).sort();
}

/** Term rows whose content has no record: written by chunks of a run that did not finish. */
async function unrecordedRows(catalog: Catalog): Promise<number> {
  return Number(await catalog.read((conn) => conn.scalar<number>(
    'SELECT count(*) FROM file_terms t ANTI JOIN term_index_contents c ON c.content_id = t.content_id',
  )));
}

/** The same files indexed the way a backfill or a small file is: the whole parse recorded in one transaction. */
async function recordedWhole(files: readonly string[]): Promise<string[]> {
  const reference = await openCatalog({ root: dirs.other });
  try {
    for (const file of files) {
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      const terms = await extractTerms(file, 'obo');
      await reference.write((tx) => recordContentTerms(tx, { sha256, format: 'obo', terms }));
    }
    return await indexRows(reference);
  } finally {
    await reference.close();
  }
}

/** A release folder of the given files from Debian's OBO folder (or written). */
function release(name: string, files: Record<string, string | null>): string {
  const dir = path.join(dirs.source, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    if (text === null) copyFileSync(path.join(OBO, file), path.join(dir, file));
    else writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Nothing of an unfinished recording reaches a query: no search hit, no row in the status. */
async function expectUnseen(catalog: Catalog): Promise<void> {
  const hits = await catalog.read((conn) => searchTerms(conn, { query: 'biological_process', match: 'exact' }));
  expect(hits.total).toBe(0);
  const status = await catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION));
  expect(status.term_rows).toBe(0);
  expect(status.contents_pending).toBe(1);
}

/** After a killed run: `ontocat validate` removes the rows left and indexes GO as recording its whole parse does. */
async function expectValidateIndexesWhole(): Promise<void> {
  runOntocatOk(['validate', 'go/1', '--json'], { root: dirs.root });
  const catalog = await openCatalog({ root: dirs.root });
  try {
    expect(await unrecordedRows(catalog)).toBe(0);
    expect(await indexRows(catalog)).toEqual(await recordedWhole([path.join(OBO, 'go.obo')]));
  } finally {
    await catalog.close();
  }
}

describe.skipIf(!haveObo)('term recording while a large file is parsed', () => {
  it('hands Debian GO back in chunks that, with the rest, are every term the parse reads', async () => {
    const file = path.join(OBO, 'go.obo');
    const chunks: number[] = [];
    const [result] = await validateInPool([{ absPath: file, relpath: 'go.obo', format: 'obo', size_bytes: 0, index_terms: true, stream_terms: true }], {
      workers: 1,
      onTermChunk(relpath, columns) {
        expect(relpath).toBe('go.obo');
        chunks.push(columns.count);
      },
    });
    const terms = await extractTerms(file, 'obo');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(result!.index_chunks).toBe(chunks.length);
    expect(chunks.slice(0, -1).every((count) => count === TERM_CHUNK_TERMS)).toBe(true);
    // The rest: the relations (their ids mapped once the file is read) and the alt_id terms.
    expect(result!.index_terms!.count).toBeGreaterThan(0);
    expect(chunks.reduce((sum, count) => sum + count, 0) + result!.index_terms!.count).toBe(terms.length);
  }, 120_000);

  it('indexes Debian GO and ChEBI exactly as recording each whole parse at once does', async () => {
    const catalog = await openCatalog({ root: dirs.root });
    try {
      await ingest(catalog, release('1', { 'go.obo': null, 'chebi.obo': null }), { service: 'obo', version: '1' });
      await validateVersion(catalog, { service: 'obo', version: '1' });
      expect(await unrecordedRows(catalog)).toBe(0);
      const rows = await indexRows(catalog);
      expect(rows.length).toBeGreaterThan(80_000);
      expect(rows).toEqual(await recordedWhole([path.join(OBO, 'go.obo'), path.join(OBO, 'chebi.obo')]));
      // And it answers: a term, by id, found in that version.
      const hits = await catalog.read((conn) => searchTerms(conn, { query: 'GO:0008150', match: 'exact' }));
      expect(hits.items.map((hit) => hit.label)).toEqual(['biological_process']);
      const status = await catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION));
      expect(status.term_rows).toBe(rows.length);
    } finally {
      await catalog.close();
    }
  }, 300_000);

  it('leaves no rows of a file whose parse fails after some chunks were recorded', async () => {
    const stanzas = Array.from({ length: TERM_CHUNK_TERMS * 2 + 500 }, (_, i) => `[Term]\nid: XX:${String(i).padStart(7, '0')}\nname: term ${i}\n`);
    const broken = `format-version: 1.2\nontology: xx\n\n${stanzas.join('\n')}\n[Bogus]\nid: XX:9999999\n`;
    const catalog = await openCatalog({ root: dirs.root });
    try {
      await ingest(catalog, release('1', { 'xx.obo': broken }), { service: 'xx', version: '1' });
      await validateVersion(catalog, { service: 'xx', version: '1' });
      expect(await unrecordedRows(catalog)).toBe(0);
      const indexed = await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM term_index_contents'));
      expect(Number(indexed)).toBe(0);
      const refused = await catalog.read((conn) => conn.all<{ message: string }>('SELECT message FROM term_index_unparsable'));
      expect(refused).toHaveLength(1);
      expect(refused[0]!.message).toContain('[Bogus]');
      const hits = await catalog.read((conn) => searchTerms(conn, { query: 'XX:0000001', match: 'exact' }));
      expect(hits.total).toBe(0);
    } finally {
      await catalog.close();
    }
  }, 120_000);

  it('leaves no rows when the run is cancelled while chunks are being recorded', async () => {
    const catalog = await openCatalog({ root: dirs.root });
    try {
      await ingest(catalog, release('1', { 'go.obo': null }), { service: 'go', version: '1' });
      const size = 28_859_032;
      const stop = new AbortController();
      const run = validateVersion(catalog, { service: 'go', version: '1' }, {
        signal: stop.signal,
        // Past two chunks' worth of the file: some chunks are committed, others under way.
        onProgress(progress) {
          if (progress.bytes > size * 0.6) stop.abort();
        },
      });
      await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(await unrecordedRows(catalog)).toBe(0);
      const indexed = await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM term_index_contents'));
      expect(Number(indexed)).toBe(0);
      // And the next run indexes the file whole.
      await validateVersion(catalog, { service: 'go', version: '1' });
      expect(await unrecordedRows(catalog)).toBe(0);
      expect(await indexRows(catalog)).toEqual(await recordedWhole([path.join(OBO, 'go.obo')]));
    } finally {
      await catalog.close();
    }
  }, 300_000);

  it('after a run killed between two chunks, shows none of its rows and indexes the file whole on the next run', async () => {
    const killed = runOntocat(['ingest', release('1', { 'go.obo': null }), '--service', 'go', '--version', '1', '--json'], {
      root: dirs.root, env: { ONTOCAT_CRASH_AT: 'terms.after-chunk' },
    });
    expect(killed.code, killed.stderr).toBe(-1);
    const catalog = await openCatalog({ root: dirs.root });
    try {
      // The first chunk committed; nothing reaches it: no record, no search hit, no count.
      expect(await unrecordedRows(catalog)).toBe(TERM_CHUNK_TERMS);
      await expectUnseen(catalog);
    } finally {
      await catalog.close();
    }
    await expectValidateIndexesWhole();
  }, 300_000);

  it('records the file with the run\'s results: a run killed just before their commit leaves its rows unseen, and the next run indexes it', async () => {
    const killed = runOntocat(['ingest', release('1', { 'go.obo': null }), '--service', 'go', '--version', '1', '--json'], {
      root: dirs.root, env: { ONTOCAT_CRASH_AT: 'validate.before-commit' },
    });
    expect(killed.code, killed.stderr).toBe(-1);
    const catalog = await openCatalog({ root: dirs.root });
    try {
      // Every chunk committed (every [Term] and [Instance] stanza of the file), the content
      // not: no record, no search hit, no count, and no validation rows.
      const stanzas = readFileSync(path.join(OBO, 'go.obo'), 'utf8').split('\n').filter((line) => line === '[Term]' || line === '[Instance]').length;
      expect(stanzas).toBeGreaterThan(3 * TERM_CHUNK_TERMS);
      expect(await unrecordedRows(catalog)).toBe(stanzas);
      expect(Number(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM term_index_contents')))).toBe(0);
      await expectUnseen(catalog);
      expect(Number(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM validations')))).toBe(0);
    } finally {
      await catalog.close();
    }
    await expectValidateIndexesWhole();
  }, 300_000);
});
