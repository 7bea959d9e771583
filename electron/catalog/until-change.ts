/**
 * Read answers kept until the catalog next changes.
 *
 * Some answers aggregate every file row of the catalog (storage usage, the stats of a page
 * of versions) yet only change on a write, and the owner of a catalog is asked them again
 * and again (the Versions page, `ontocat versions` through a running app). They are kept
 * against `Catalog.generation`, which moves on every committed write, exclusive task and
 * reopen of this session, so a kept answer is never one the catalog has since outgrown.
 */
import type { Catalog } from './open-catalog.js';

/** Answers kept per catalog, dropped together when its generation moves. */
interface Kept {
  generation: number;
  readonly answers: Map<string, Promise<unknown>>;
}

/** At most this many distinct questions are kept per generation (pages, sorts, filters). */
const MAX_KEPT = 64;

const kept = new WeakMap<Catalog, Kept>();

/**
 * The answer to `key` as `compute` gave it since the catalog last changed, or computed now.
 *
 * The generation is read before `compute` starts: a write that commits while it runs
 * moves the generation on, so that answer is never served after the write. A failed
 * answer is not kept. Answers are shared between callers and must be treated as
 * immutable.
 */
export function untilChange<T>(catalog: Catalog, key: string, compute: () => Promise<T>): Promise<T> {
  const generation = catalog.generation;
  let entry = kept.get(catalog);
  if (!entry || entry.generation !== generation) {
    entry = { generation, answers: new Map() };
    kept.set(catalog, entry);
  }
  const found = entry.answers.get(key);
  if (found) return found as Promise<T>;
  const answer = compute();
  if (entry.answers.size >= MAX_KEPT) entry.answers.delete(entry.answers.keys().next().value!);
  entry.answers.set(key, answer);
  const answers = entry.answers;
  answer.catch(() => {
    if (answers.get(key) === answer) answers.delete(key);
  });
  return answer;
}
