/**
 * A catalog's term index as an older reader recorded it, for upgrade tests: what a
 * migration must mark for re-reading, and what a backfill must then put right.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { recordContentTerms, type TermRecord } from '../../electron/catalog/term-index.js';
import { projectRoot } from './run-cli.js';

/** The term index tables, emptied before the older recording. */
const INDEX_TABLES = ['file_terms', 'term_index_contents', 'term_keys', 'term_labels', 'term_definitions', 'term_presence_sets', 'term_key_presence'];

/**
 * Replaces the index of the catalog at `root` with `contents` (each file's terms as the older
 * reader gave them) recorded under `rules`, then runs the UPDATE of `migration` (a file
 * of migrations/) that marks which contents to re-read, and each later migration's, as an
 * upgrade does.
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
      // That migration's marking, then each later one's, as an upgrade runs them in turn.
      const folder = path.join(projectRoot, 'migrations');
      for (const file of readdirSync(folder).filter((name) => name.endsWith('.sql') && name >= migration).sort()) {
        const marking = /^UPDATE term_index_contents[^;]+;/m.exec(readFileSync(path.join(folder, file), 'utf8'));
        if (marking) await tx.run(marking[0]);
        else if (file === migration) throw new Error(`${migration} marks no term index content`);
      }
    });
  } finally {
    await catalog.close();
  }
}
