/**
 * Review of candidates: their impact against the current latest, approve (the set-latest
 * boundary), reject, and the automatic promotion of a source whose policy allows it.
 */
import { computeDelta } from '../catalog/delta-queries.js';
import { setLatestInTx } from '../catalog/latest-boundary.js';
import { releasedBefore } from '../catalog/release-order.js';
import type { Catalog, WriteTx } from '../catalog/open-catalog.js';
import { candidateRow, candidateState, decideCandidate, listCandidateRows } from '../catalog/source-queries.js';
import { validationDelta } from '../catalog/validation-delta-queries.js';
import { getLatest, versionStats } from '../catalog/version-queries.js';
import { computeTermImpact } from '../ingest/terms/term-impact.js';
import type { Candidate, CandidateImpact, ReviewDecision } from '../shared/contract/sources.js';
import { OntocatError } from '../shared/errors.js';
import type { Page } from '../shared/models.js';
import { errorCount } from '../shared/validation-health.js';
import { formatVersionRef, type VersionRef } from '../shared/version-ref.js';
import { countOf } from '../shared/count-noun.js';

/** NEW and FIXED ERROR findings of `to` against `from`. */
async function errorDelta(catalog: Catalog, from: VersionRef, to: VersionRef): Promise<{ new_errors: number; fixed_errors: number }> {
  const delta = await catalog.read((conn) => validationDelta(conn, from, to, { severity: 'ERROR', limit: 1 }));
  const errors = delta.summary.by_severity.find((row) => row.severity === 'ERROR');
  return { new_errors: errors?.new ?? 0, fixed_errors: errors?.fixed ?? 0 };
}

/** What making `candidate` latest in place of `latest` changes: files, bytes, errors, terms. */
export async function candidateImpact(catalog: Catalog, latest: VersionRef, candidate: VersionRef, withTerms = true): Promise<CandidateImpact> {
  const delta = await catalog.read((conn) => computeDelta(conn, latest, candidate, { limit: 1 }));
  const errors = await errorDelta(catalog, latest, candidate);
  let terms: CandidateImpact['terms'] = null;
  let termsError: string | null = null;
  if (withTerms) {
    try {
      const impact = await computeTermImpact(catalog, latest, candidate);
      terms = {
        ...impact.totals,
        by_file: impact.compared,
        not_compared: impact.files.filter((file) => file.error !== null).map((file) => ({ relpath: file.relpath, reason: file.error! })),
      };
    } catch (failure) {
      termsError = failure instanceof Error ? failure.message : String(failure);
    }
  }
  const s = delta.summary;
  return {
    files_from: s.files_from, files_to: s.files_to, bytes_from: s.bytes_from, bytes_to: s.bytes_to,
    files_added: s.added.count, files_removed: s.removed.count, files_modified: s.modified.count + s.renamed.count,
    ...errors, terms, terms_error: termsError,
  };
}

/** One page of candidates (`window`) with their impact against their service's latest, and how many there are. */
export async function listCandidates(
  catalog: Catalog, state: Candidate['state'] | 'all', service: string | undefined, window: { readonly offset: number; readonly limit: number },
): Promise<Page<Candidate>> {
  const page = await catalog.read((conn) => listCandidateRows(conn, state, service, window));
  const items: Candidate[] = [];
  for (const row of page.items) {
    const latest = row.latest && row.latest !== row.version ? { service: row.service, version: row.latest } : null;
    // Terms only for pending ones: decided candidates are history, their files may be pruned.
    const impact = latest ? await candidateImpact(catalog, latest, row, row.state === 'pending').catch(() => null) : null;
    items.push({ ...row, impact });
  }
  return { ...page, items };
}

/** What a review decision was based on: each refuses the decision when the catalog differs now. */
export interface DecisionBasis {
  /** The latest the preview compared with (null: none). */
  readonly expectedLatest?: string | null;
  /** The preview's stamps of both versions (previewStamp). */
  readonly expectedStamps?: { readonly to: string; readonly from: string | null };
  /** The candidate's state when the reviewer chose (the Review page offers pending ones). */
  readonly expectedState?: Candidate['state'];
}

/**
 * Refuses a decision on a candidate another reviewer decided since this one was shown: the
 * first decision (and its reason) is never silently replaced.
 */
async function checkCandidateState(tx: WriteTx, ref: VersionRef, expected: Candidate['state'] | undefined): Promise<void> {
  if (expected === undefined) return;
  const now = await candidateRow(tx, ref.service, ref.version);
  if (now?.state === expected) return;
  const what = now === null ? 'is not a candidate' : `was ${now.state}${now.decided_by ? ` by ${now.decided_by}` : ''}${now.reason ? ` (${now.reason})` : ''} since`;
  throw new OntocatError('CONFLICT', `${formatVersionRef(ref)} ${what}, not ${expected} as this decision was based on; nothing was changed. Review it again.`,
    { ref: formatVersionRef(ref), state: now?.state ?? null, expected });
}

/**
 * Approve: the set-latest boundary on the candidate, and the decision recorded in the same
 * transaction; refused when the catalog is not what the decision was based on (`basis`).
 */
export async function approveCandidate(catalog: Catalog, ref: VersionRef, by: string, reason: string | null = null, basis: DecisionBasis = {}): Promise<ReviewDecision> {
  const { previous } = await catalog.write(async (tx) => {
    await checkCandidateState(tx, ref, basis.expectedState);
    const moved = await setLatestInTx(tx, catalog.root, ref, by, basis.expectedLatest, basis.expectedStamps);
    await decideCandidate(tx, ref.service, ref.version, 'approved', by, reason);
    await tx.event('candidate.approved', { service: ref.service, version: ref.version, by, reason, previous: moved.previous });
    return moved;
  });
  return { service: ref.service, version: ref.version, state: 'approved', previous_latest: previous };
}

/** Reject: marked rejected (prune can remove it); refused for the current latest, and when the candidate's state is not `expectedState` (when given). */
export async function rejectCandidate(catalog: Catalog, ref: VersionRef, by: string, reason: string | null, expectedState?: Candidate['state']): Promise<ReviewDecision> {
  const latest = await catalog.read((conn) => getLatest(conn, ref.service));
  if (latest?.version === ref.version) {
    throw new OntocatError('CONFLICT', `${formatVersionRef(ref)} is the latest ${ref.service}; set another version latest before rejecting it.`);
  }
  await catalog.read((conn) => versionStats(conn, ref, 1));
  await catalog.write(async (tx) => {
    await checkCandidateState(tx, ref, expectedState);
    await decideCandidate(tx, ref.service, ref.version, 'rejected', by, reason);
    await tx.event('candidate.rejected', { service: ref.service, version: ref.version, by, reason });
  });
  return { service: ref.service, version: ref.version, state: 'rejected', previous_latest: latest?.version ?? null };
}

/**
 * The auto policy: promote when the candidate brings no NEW ERROR finding against the
 * current latest (with no latest, when it has no ERROR at all). The reason is recorded.
 */
export async function promoteIfClean(catalog: Catalog, ref: VersionRef, sourceId: string, by: string): Promise<{ promoted: boolean; reason: string }> {
  const state = await catalog.read((conn) => candidateState(conn, ref.service, ref.version));
  if (state !== 'pending') return { promoted: false, reason: `candidate is ${state ?? 'not recorded'}` };
  const latest = await catalog.read((conn) => getLatest(conn, ref.service));
  let reason: string;
  if (latest && latest.version !== ref.version) {
    // Promoting is moving forward: a lagging mirror's older release, clean or not, made latest
    // went back in time behind the curator's back.
    if (await catalog.read((conn) => releasedBefore(conn, ref, { service: ref.service, version: latest.version }))) {
      reason = `older than the latest ${ref.service}/${latest.version} in release order; left for review`;
      await catalog.write((tx) => tx.event('candidate.held', { service: ref.service, version: ref.version, source: sourceId, reason }, 'warn'));
      return { promoted: false, reason };
    }
    const errors = await errorDelta(catalog, { service: ref.service, version: latest.version }, ref);
    if (errors.new_errors > 0) {
      reason = `${countOf(errors.new_errors, 'NEW ERROR finding')} against ${ref.service}/${latest.version}; left for review`;
      await catalog.write((tx) => tx.event('candidate.held', { service: ref.service, version: ref.version, source: sourceId, reason }, 'warn'));
      return { promoted: false, reason };
    }
    reason = `no NEW ERROR finding against ${ref.service}/${latest.version}`;
  } else {
    const stats = await catalog.read((conn) => versionStats(conn, ref, 1));
    // A file that does not parse is an ERROR too: health.errors counts the other rules' alone.
    const errors = errorCount(stats.health);
    if (errors > 0) {
      reason = `${countOf(errors, 'ERROR finding')} and no latest to compare with; left for review`;
      await catalog.write((tx) => tx.event('candidate.held', { service: ref.service, version: ref.version, source: sourceId, reason }, 'warn'));
      return { promoted: false, reason };
    }
    reason = 'no ERROR finding (the service had no latest)';
  }
  await catalog.write(async (tx) => {
    await setLatestInTx(tx, catalog.root, ref, `auto:${sourceId}`);
    await decideCandidate(tx, ref.service, ref.version, 'approved', `auto:${sourceId}`, reason);
    await tx.event('candidate.promoted', { service: ref.service, version: ref.version, source: sourceId, policy: 'auto', reason, by });
  });
  return { promoted: true, reason };
}
