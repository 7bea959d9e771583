import { indexTermDeltaCounts, unindexedOntologyFiles, type UnindexedFile } from '../../catalog/term-index-queries.js';
import { requireVersionId } from '../../catalog/version-queries.js';
import type { Catalog } from '../../catalog/open-catalog.js';
import { isOntocatError } from '../../shared/errors.js';
import type { TermDeltaSummary, TermImpact, TermImpactFile, TermIndexSummary } from '../../shared/models.js';
import type { WorkControl } from '../../shared/progress.js';
import { formatVersionRef, type VersionRef } from '../../shared/version-ref.js';
import { computeTermDelta } from './term-delta.js';

const NOT_INDEXED = 'not in the term index yet (validated before the index existed; `ontocat terms backfill` indexes it)';
const UNPARSABLE = 'not in the term index: it does not parse (see its validation findings)';

/** A pair to compare file by file, or a lone file the index lacks. */
interface FallbackPair {
  readonly old_relpath: string | null;
  readonly relpath: string | null;
  readonly reason: string;
}

/**
 * Pairs each unindexed file with its counterpart: a changed pair is compared file by file;
 * the same content on both sides has no term change; a file with no counterpart is named.
 */
function fallbackPairs(unindexed: readonly UnindexedFile[]): { pairs: FallbackPair[]; unchanged: number; skipA: Set<string>; skipB: Set<string> } {
  const pairs = new Map<string, FallbackPair>();
  const skipA = new Set<string>();
  const skipB = new Set<string>();
  const unchanged = new Set<string>();
  for (const file of unindexed) {
    const oldPath = file.side === 'a' ? file.relpath : file.other_relpath;
    const newPath = file.side === 'b' ? file.relpath : file.other_relpath;
    if (oldPath !== null) skipA.add(oldPath);
    if (newPath !== null) skipB.add(newPath);
    const key = `${oldPath ?? ''}\0${newPath ?? ''}`;
    if (file.same_content) { unchanged.add(key); continue; }
    const reason = file.unparsable ? UNPARSABLE : NOT_INDEXED;
    // A pair where both files are unindexed keeps the reason of either; "does not parse" says more.
    if (!pairs.has(key) || file.unparsable) pairs.set(key, { old_relpath: oldPath, relpath: newPath, reason });
  }
  const sorted = [...pairs.values()].sort((x, y) => {
    const a = x.relpath ?? x.old_relpath ?? '';
    const b = y.relpath ?? y.old_relpath ?? '';
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return { pairs: sorted, unchanged: unchanged.size, skipA, skipB };
}

/**
 * Term changes of two versions: what setting B as latest in place of A does to the terms.
 *
 * The whole-version term delta comes from the term index, in SQL over all files of both
 * versions (a term that moves between files is not added or removed). A changed ontology
 * file the index does not hold yet is left out of that query together with its
 * counterpart and compared file by file instead (parsed once, cached in the catalog); a
 * file that cannot be compared, or has no counterpart, is named with the reason. No file
 * is sampled or silently left out.
 */
export async function computeTermImpact(catalog: Catalog, a: VersionRef, b: VersionRef, control: WorkControl = {}): Promise<TermImpact> {
  const { aId, bId, unindexed } = await catalog.read(async (conn) => {
    const ids = { aId: await requireVersionId(conn, a), bId: await requireVersionId(conn, b) };
    return { ...ids, unindexed: await unindexedOntologyFiles(conn, ids.aId, ids.bId) };
  });
  const { pairs, unchanged, skipA, skipB } = fallbackPairs(unindexed);
  control.onProgress?.({ done: 0, total: pairs.length + 1, bytes: 0, current: 'term index', phase: 'terms' });
  const index = await catalog.read((conn) => indexTermDeltaCounts(conn, aId, bId, [...skipA], [...skipB]));
  const totals: Record<keyof TermIndexSummary, number> = { ...index.summary };
  const files: TermImpactFile[] = [];
  for (const [i, pair] of pairs.entries()) {
    control.onProgress?.({ done: i + 1, total: pairs.length + 1, bytes: 0, current: pair.relpath ?? pair.old_relpath, phase: 'terms' });
    const relpath = pair.relpath ?? pair.old_relpath!;
    const oldRelpath = pair.old_relpath ?? pair.relpath!;
    if (pair.relpath === null || pair.old_relpath === null) {
      const what = pair.relpath === null ? `removed in ${formatVersionRef(b)}` : `added in ${formatVersionRef(b)}`;
      files.push({ relpath, old_relpath: oldRelpath, reason: pair.reason, summary: null,
        error: `${what}, with no counterpart to compare with; its terms are not counted until it is indexed` });
      continue;
    }
    let summary: TermDeltaSummary | null = null;
    let error: string | null = null;
    try {
      const delta = await computeTermDelta(catalog, {
        a, b, relpath: pair.relpath, old_relpath: pair.old_relpath === pair.relpath ? undefined : pair.old_relpath, limit: 1,
      }, control.signal);
      summary = delta.summary;
      for (const key of Object.keys(summary) as (keyof TermDeltaSummary)[]) totals[key] += summary[key];
    } catch (failure) {
      if (isOntocatError(failure, 'CANCELLED') || control.signal?.aborted) throw failure;
      error = failure instanceof Error ? failure.message : String(failure);
    }
    files.push({ relpath, old_relpath: oldRelpath, reason: pair.reason, summary, error });
  }
  control.onProgress?.({ done: pairs.length + 1, total: pairs.length + 1, bytes: 0, current: null, phase: 'terms' });
  const failed = files.filter((file) => file.error !== null).length;
  return {
    from: formatVersionRef(a),
    to: formatVersionRef(b),
    source: pairs.length === 0 && unchanged === 0 ? 'index' : 'mixed',
    index: { summary: index.summary, old_terms: index.old_terms, new_terms: index.new_terms, files_from: index.files_a, files_to: index.files_b },
    files,
    compared: files.length - failed,
    failed,
    unchanged_unindexed: unchanged,
    totals,
  };
}
