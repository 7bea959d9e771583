/**
 * An N-Triples file that is not UTF-8 no longer parses (validator version 20), as rdflib
 * refuses it; before, it parsed with U+FFFD in place of each such byte and the term index
 * took its terms with those letters lost. A catalog indexed before keeps offering them
 * ("caf\uFFFD noir", in a release whose file validation now says does not parse) until the
 * content is read again: migration 0037 marks such contents for the next backfill, and a
 * validation that meets one drops it from the index. A file holding U+FFFD as UTF-8 is
 * read as before. Both files' verdicts are rdflib's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import type { TermBackfillResult, TermIndexStatus, TermSearchResult } from '../../../electron/shared/contract/terms.js';
import { recordUnderOlderRules } from '../../helpers/older-term-index.js';
import { hasRdflib, rdflibVerdict } from '../../helpers/rdf-references.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const CLASS = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class>';

describe('terms of RDF text that is not UTF-8, indexed before validator version 20', () => {
  const temp = makeTempRoot('ontocat-terms-not-utf8');
  let latin1: string;
  let replacement: string;

  beforeAll(() => {
    const dir = path.join(temp.root, 'src');
    mkdirSync(dir, { recursive: true });
    latin1 = path.join(dir, 'latin1.nt');
    replacement = path.join(dir, 'replacement.nt');
    writeFileSync(latin1, Buffer.concat([
      Buffer.from(`<http://e.org/latin1> ${CLASS} .\n<http://e.org/latin1> <${LABEL}> "caf`),
      Buffer.from([0xe9]),
      Buffer.from(' noir" .\n'),
    ]));
    writeFileSync(replacement, `<http://e.org/replacement> ${CLASS} .\n<http://e.org/replacement> <${LABEL}> "caf\uFFFD noir" .\n`, 'utf8');
  });
  afterAll(() => temp.cleanup());

  /** A root with both files in s/1, indexed as the reader before validator version 20 did. */
  async function olderRoot(name: string, migration: string): Promise<string> {
    const root = path.join(temp.root, name);
    runOntocatOk(['ingest', path.dirname(latin1), '--service', 's', '--version', '1'], { root });
    await recordUnderOlderRules(root, [
      { file: latin1, format: 'ntriples', terms: await extractTerms(latin1, 'ntriples') },
      { file: replacement, format: 'ntriples', terms: await extractTerms(replacement, 'ntriples') },
    ], 8, migration);
    // The older reader kept no verdict on the Latin-1 file: it parsed.
    const catalog = await openCatalog({ root });
    try {
      await catalog.write((tx) => tx.run('DELETE FROM term_index_unparsable'));
    } finally {
      await catalog.close();
    }
    return root;
  }
  const found = (root: string): string[] =>
    runOntocat(['terms', 'search', 'noir', '--json'], { root }).json<TermSearchResult>().items.map((hit) => hit.ident).sort();

  it('the references: rdflib refuses the Latin-1 byte and reads U+FFFD written as UTF-8', () => {
    if (!hasRdflib && !process.env.CI) return;
    expect(rdflibVerdict(latin1, 'ntriples')).toMatchObject({ ok: false });
    expect(rdflibVerdict(replacement, 'ntriples')).toMatchObject({ ok: true, triples: 2 });
  });

  it('after the upgrade (0037), one backfill drops the refused content and keeps the other', async () => {
    const root = await olderRoot('upgraded', '0037_term_rdf_text_not_utf8.sql');
    // The old answer: both terms, one of them from a file that does not parse.
    expect(found(root)).toEqual(['http://e.org/latin1', 'http://e.org/replacement']);
    expect(runOntocat(['terms', 'status', '--json'], { root }).json<TermIndexStatus>()).toMatchObject({ contents: 2, contents_outdated: 2 });

    const backfill = runOntocat(['terms', 'backfill', '--json'], { root });
    expect(backfill.code, backfill.stderr).toBe(0);
    expect(backfill.json<TermBackfillResult>()).toMatchObject({ contents: 2, indexed: 1, unparsable: 1, unreadable: 0 });
    expect(found(root)).toEqual(['http://e.org/replacement']);
    expect(runOntocat(['terms', 'status', '--json'], { root }).json<TermIndexStatus>()).toMatchObject({ contents: 1, contents_outdated: 0, contents_unparsable: 1 });
    expect(runOntocat(['terms', 'unparsable'], { root }).stdout).toContain('latin1.nt');
  }, 120_000);

  it('a validation that meets such a content, indexed under today\'s rules, drops it', async () => {
    // No migration marks it: as if validated between 0036 and validator version 20.
    const root = await olderRoot('revalidated', '9999_none.sql');
    expect(found(root)).toEqual(['http://e.org/latin1', 'http://e.org/replacement']);
    const run = runOntocat(['validate', 's/1'], { root });
    expect(run.stdout).toContain('1 of 2 checked files parse');
    expect(found(root)).toEqual(['http://e.org/replacement']);
  }, 120_000);
});
