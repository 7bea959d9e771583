/**
 * Confirms "Set as latest": shows what changes versus the current latest before writing —
 * files and bytes added and removed, the whole-version term delta from the term index
 * (with any changed file the index lacks compared one by one, or named with why it could
 * not be), validation health and new errors.
 */
import type { MouseEvent, ReactNode } from 'react';
import type { ValidationDeltaSummary } from '../../../electron/shared/contract/delta.js';
import type { TermImpact, TermImpactFile } from '../../../electron/shared/models.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { useJobProgress } from '../components/job-progress.js';
import { describeNewerRelease, describeOrderBetween, newerReleaseThan } from '../../../electron/shared/release-order.js';
import { formatBytes, formatBytesDelta, formatCount } from '../lib/format.js';
import { formatSignedCount } from '../../../electron/shared/count-noun.js';
import { HealthSummary } from '../components/validation-health.js';
import { errorCount } from '../../../electron/shared/validation-health.js';

export interface SetLatestDialogProps {
  readonly service: string;
  readonly version: string;
  /** The latest the caller knows of; the dialog follows the catalog's own from then on. */
  readonly current: string | null;
  /**
   * After a change, with the version it replaced and the stamps Confirm sent (for Undo, which
   * goes back only to the version as this preview showed it); `changed` is false on cancel.
   */
  readonly onClose: (changed: boolean, previous?: string | null, stamps?: PreviewStamps) => void;
  /**
   * A source's pending candidate: the same preview, confirmed as the review decision
   * (`review:approve`, which sets latest and records the approval in one transaction; refused
   * when another reviewer decided it meanwhile).
   */
  readonly approve?: boolean;
}

/** previewStamp of the version made latest (`to`) and of the latest it replaced (`from`). */
export interface PreviewStamps { readonly to: string; readonly from: string | null }

/** Findings of severity ERROR that are new in the target version. */
function newErrors(summary: ValidationDeltaSummary): number {
  return summary.by_severity.find((row) => row.severity === 'ERROR')?.new ?? 0;
}

/**
 * The whole-version term delta from the index, the changed files the index lacks (each
 * compared one by one, with why) and those that could not be compared (with why).
 */
function TermsImpact({ impact }: { impact: TermImpact }): ReactNode {
  const t = impact.totals;
  const unreadable = impact.files.filter((file) => file.error !== null);
  const byFile = impact.files.filter((file) => file.summary !== null);
  const pathOf = (file: TermImpactFile): string => (file.old_relpath === file.relpath ? file.relpath : `${file.old_relpath} → ${file.relpath}`);
  return (
    <>
      <dt>Terms added / removed</dt>
      <dd aria-label="Terms added and removed">
        +{formatCount(t.added)} / −{formatCount(t.removed)}
        <span className="delta"> ({formatCount(t.relabelled)} relabelled, {formatCount(t.deprecated)} deprecated, {formatCount(t.redefined)} redefined,
          {' '}{formatCount(t.reparented)} re-parented{t.retyped > 0 && `, ${formatCount(t.retyped)} changed kind`}{t.undeprecated > 0 && `, ${formatCount(t.undeprecated)} no longer deprecated`}{t.replaced > 0 && `, ${formatCount(t.replaced)} with a new replacement`}; from the term index over {formatCount(impact.index.files_from)} → {formatCount(impact.index.files_to)} files
          {byFile.length > 0 && `, plus ${formatCount(byFile.length)} compared one by one`})</span>
      </dd>
      {byFile.length > 0 && <>
        <dt>Compared by file</dt>
        <dd>
          <ul className="not-compared" aria-label="Ontology files compared one by one">
            {byFile.map((file) => <li key={file.relpath}><span className="mono">{pathOf(file)}</span>: +{formatCount(file.summary!.added)} / −{formatCount(file.summary!.removed)} ({file.reason})</li>)}
          </ul>
        </dd>
      </>}
      {unreadable.length > 0 && <>
        <dt>Not compared</dt>
        <dd>
          <ul className="not-compared" aria-label="Ontology files that could not be compared">
            {unreadable.map((file) => <li key={file.relpath}><span className="mono">{pathOf(file)}</span>: {file.error}</li>)}
          </ul>
        </dd>
      </>}
    </>
  );
}

/**
 * Loads both versions' stats, the file delta, new findings and the term changes of every
 * changed ontology file, then asks: Confirm stays disabled, and no figure is shown, until
 * each is known.
 */
export function SetLatestDialog({ service, version, current: known, onClose, approve = false }: SetLatestDialogProps): ReactNode {
  const ref = `${service}/${version}`;
  // The latest as the catalog holds it now: another client (the CLI beside the app) may move
  // it while the dialog is open, and the preview and its warning must compare with that one.
  const latest = useQuery('latest:get', { service }, [service]);
  const current = latest.data === undefined ? known : latest.data?.version ?? null;
  const currentRef = current && current !== version ? `${service}/${current}` : null;
  // Stamped: Confirm sends back what these showed, and the write refuses if either version's
  // date, files or findings changed since (another client's correction, replace or validation).
  // The target's answer also says whether it comes before the current latest in release order:
  // the two answers' ranks are places among all the service's versions, and a third one pruned
  // or re-dated between the two reads shifted them, so the warning below went missing.
  const target = useQuery('versions:stats', currentRef ? { ref, stamp: true, order_against: currentRef } : { ref, stamp: true }, [ref, currentRef]);
  const before = useQuery('versions:stats', currentRef ? { ref: currentRef, stamp: true } : null, [currentRef]);
  // The comparisons are asked once both stamps are in, and again after every new answer of
  // them: Confirm vouches for what it shows with those stamps, so they must be read no later
  // than the comparison (asked together, a write landing after the comparison's read and
  // before the stamps' gave stamps of the newer state beside the older figures, and Confirm
  // applied over them; read first, a write in between makes Confirm refuse).
  const answered = (query: { data: unknown; error: unknown }): boolean => query.data !== undefined || query.error !== null;
  const compareWith = answered(target) && answered(before) ? currentRef : null;
  const comparedAfter = [currentRef, ref, target.data, before.data];
  const keepWithin = { keepWithin: [currentRef, ref] };
  const delta = useQuery('delta:compute', compareWith ? { from: compareWith, to: ref, kind: 'changed', limit: 1 } : null, comparedAfter, keepWithin);
  const findings = useQuery('delta:validations', compareWith ? { from: compareWith, to: ref, status: 'new', limit: 1 } : null, comparedAfter, keepWithin);
  const terms = useQuery('delta:term-impact', compareWith ? { from: compareWith, to: ref } : null, comparedAfter, keepWithin);
  // The service's newest release: latest set to an older one (even with none set yet) leaves
  // pipelines that follow latest short of it.
  const newest = useQuery('versions:list', { service, sort: 'release', direction: 'desc', limit: 1 }, [service]);
  const termProgress = useJobProgress('terms', terms.loading, terms.requestId);
  const setLatestCall = useMutation('latest:set');
  const approveCall = useMutation('review:approve');
  const setLatest = approve ? approveCall : setLatestCall;

  const confirm = (): void => {
    // The write refuses if the pointer moved past what this preview compared with, or either
    // version changed since it was shown.
    const stamps = target.data?.stamp ? { to: target.data.stamp, from: currentRef ? before.data?.stamp ?? null : null } : undefined;
    const expected = { expected_latest: current, ...(stamps ? { expected_stamps: stamps } : {}) };
    const done = approve
      ? approveCall.run({ ref, ...expected, expected_state: 'pending' }).then((result) => result.previous_latest)
      : setLatestCall.run({ ref, ...expected }).then((result) => result.previous);
    done.then((previous) => onClose(true, previous, stamps), () => { /* the error shows in the dialog */ });
  };

  // A refusal because the catalog changed since this preview (CONFLICT, the server's sentence
  // naming what changed) leaves these figures stale: Confirm waits for a preview read again.
  const conflict = setLatest.error?.code === 'CONFLICT';
  const previewAgain = (event: MouseEvent<HTMLButtonElement>): void => {
    // The button goes with the refusal: focus stays in the dialog.
    event.currentTarget.closest<HTMLElement>('[role="dialog"]')?.focus();
    setLatest.reset();
    // The comparisons follow the stamps' new answers (above), never asked beside them.
    for (const query of [latest, target, before, newest]) query.refetch();
  };

  const summary = delta.data?.summary;
  // Every part of the impact is either known or has failed (and says so) before Confirm, and
  // none is being asked again (a catalog change re-asks, the old figures showing meanwhile).
  const settled = (query: { data: unknown; error: unknown; loading: boolean }): boolean => !query.loading && (query.data !== undefined || query.error !== null);
  const ready = settled(latest) && settled(target) && settled(newest) && (!currentRef || [before, delta, findings, terms].every(settled));
  const goesBack = target.data?.order_against?.ref === currentRef && target.data.order_against.older === true && before.data !== undefined;
  const newer = target.data && newest.data ? newerReleaseThan(target.data, newest.data) : null;
  return (
    <ConfirmDialog title={approve ? `Approve ${ref} and set it as latest?` : `Set ${ref} as latest?`} confirmLabel={approve ? 'Approve and set as latest' : 'Set as latest'}
      onConfirm={confirm} onCancel={() => onClose(false)}
      busy={setLatest.pending} confirmDisabled={!ready || conflict || (!approve && current === version)}>
      {currentRef ? <p>The latest {service} version is now <strong>{current}</strong>. After this change it will be <strong>{version}</strong>.</p>
        : current === version ? <p><strong>{version}</strong> is the latest {service} already.</p>
        : <p>{service} has no latest version yet; <strong>{version}</strong> becomes the first.</p>}
      {goesBack && target.data && before.data && (
        <p className="warn-text" role="alert" aria-label="Older than the current latest">
          {version} is older than {current} by release order ({describeOrderBetween(target.data, before.data)}): curators and pipelines
          following latest would go back a release.
        </p>
      )}
      {ready && !goesBack && current !== version && target.data && newer && (
        <p className="muted" aria-label="Not the newest release">{describeNewerRelease(version, target.data, newer)}</p>
      )}
      {ready && target.data && (
        <dl className="compare" aria-label="Changes versus the current latest">
          <dt>Files</dt>
          <dd>{formatCount(target.data.files)}{before.data && <span className="delta"> ({formatSignedCount(target.data.files - before.data.files)})</span>}</dd>
          <dt>Size</dt>
          <dd>{formatBytes(target.data.bytes)}{before.data && <span className="delta"> ({formatBytesDelta(target.data.bytes - before.data.bytes)})</span>}</dd>
          {summary && <>
            <dt>Files added / removed</dt>
            <dd aria-label="Files added and removed">+{formatCount(summary.added.count)} / −{formatCount(summary.removed.count)}
              <span className="delta"> ({formatCount(summary.modified.count)} modified, {formatCount(summary.renamed.count)} renamed)</span></dd>
            <dt>Bytes added / removed</dt>
            <dd aria-label="Bytes added and removed">+{formatBytes(summary.bytes_added)} / −{formatBytes(summary.bytes_removed)}</dd>
          </>}
          {terms.data && <TermsImpact impact={terms.data} />}
          <dt>Files that parse</dt>
          <dd><HealthSummary health={target.data.health} label={`Validation of ${ref}`} /></dd>
          <dt>Errors</dt>
          <dd className={errorCount(target.data.health) > 0 ? 'bad' : undefined}>
            {formatCount(errorCount(target.data.health))}{before.data && <span className="delta"> ({formatSignedCount(errorCount(target.data.health) - errorCount(before.data.health))})</span>}</dd>
          <dt>Warnings</dt>
          <dd>{formatCount(target.data.health.warnings)}{before.data && <span className="delta"> ({formatSignedCount(target.data.health.warnings - before.data.health.warnings)})</span>}</dd>
          {findings.data && <>
            <dt>New errors</dt>
            <dd aria-label="New errors" className={newErrors(findings.data.summary) > 0 ? 'bad' : undefined}>{formatCount(newErrors(findings.data.summary))}
              <span className="delta"> ({formatCount(findings.data.summary.new - newErrors(findings.data.summary))} new warnings and info)</span></dd>
          </>}
        </dl>
      )}
      {!ready && <p className="muted" role="status">Comparing versions…{terms.loading && termProgress?.total
        ? ` term changes in ${formatCount(termProgress.done)} of ${formatCount(termProgress.total)} changed ontology files` : ''}</p>}
      {(delta.error ?? findings.error ?? terms.error) && (
        <p className="error-text" role="alert">The comparison is incomplete: {(delta.error ?? findings.error ?? terms.error)?.message}</p>)}
      {setLatest.error && <p className="error-text" role="alert">{setLatest.error.message}</p>}
      {conflict && <p><button type="button" onClick={previewAgain}>Preview again</button></p>}
    </ConfirmDialog>
  );
}
