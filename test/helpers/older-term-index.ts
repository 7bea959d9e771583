/**
 * A catalog's term index as an older reader recorded it, for upgrade tests: what a
 * migration must mark for re-reading, and what a backfill must then put right.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { recordContentTerms, type TermRecord } from '../../electron/catalog/term-index.js';
import { projectRoot } from './run-cli.js';

/** The term index tables, emptied before the older recording. */
const INDEX_TABLES = ['file_terms', 'term_index_contents', 'term_keys', 'term_labels', 'term_definitions', 'term_presence_sets', 'term_key_presence'];

/**
 * Replaces the index of the catalog at `root` with `contents` (each file's terms as the older
 * reader gave them) recorded under `rules`, then runs the UPDATE of `migration` (a file
 * of migrations/) that marks which contents to re-read, as that migration does.
 */
export async function recordUnderOlderRules(
  root: string, contents: readonly { file: string; format: string; terms: readonly TermRecord[] }[], rules: number, migration: string,
): Promise<void> {
  const catalog = await openCatalog({ root });
  try {
    await catalog.write(async (tx) => {
      for (const table of INDEX_TABLES) await tx.run(`DELETE FROM ${table}`);
      for (const { file, format, terms } of contents) {
        await recordContentTerms(tx, { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), format, terms });
      }
      await tx.run(`UPDATE term_index_contents SET rules = ${rules}`);
      const text = readFileSync(path.join(projectRoot, 'migrations', migration), 'utf8');
      await tx.run(/^UPDATE term_index_contents[^;]+;/m.exec(text)![0]);
    });
  } finally {
    await catalog.close();
  }
}
