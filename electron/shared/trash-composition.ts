/**
 * What a prune plan moves to the trash, by kind, in words.
 *
 * A version's data file is a hard link to its content object, so the sizes of the moved
 * entries add up to more than the disk holds for them: the plan says what the entries are,
 * and its bytes are the catalog's (removed) and the disk's (freed when the trash is emptied).
 */
import { countOf } from './count-noun.js';

const KIND_NOUNS: Readonly<Record<string, readonly [string, string]>> = {
  data: ['version file', 'version files'],
  archive: ['archive', 'archives'],
  cas: ['content object', 'content objects'],
  orphan: ['stray file', 'stray files'],
};

/** '113 version files, 30 content objects' for the entries of a plan (kinds in that order; none: ''). */
export function trashComposition(files: readonly { readonly what: string }[]): string {
  const counts = new Map<string, number>();
  for (const file of files) counts.set(file.what, (counts.get(file.what) ?? 0) + 1);
  return Object.entries(KIND_NOUNS)
    .filter(([kind]) => counts.has(kind))
    .map(([kind, [singular, plural]]) => countOf(counts.get(kind)!, singular, plural))
    .join(', ');
}
