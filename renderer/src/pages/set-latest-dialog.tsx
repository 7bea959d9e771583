/**
 * Confirms "Set as latest": shows what changes versus the current latest before writing —
 * files and bytes added and removed, terms added and removed in a few changed ontology
 * files, and validation failures that are new in the target version.
 */
import type { ReactNode } from 'react';
import type { FileChange, ValidationDeltaSummary } from '../../../electron/shared/contract/delta.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../../../electron/shared/formats.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatBytesDelta, formatCount } from '../lib/format.js';
import { HealthSummary } from '../components/validation-health.js';

/** Term deltas parse both files, so the preview samples only this many ontology files. */
export const TERM_PREVIEW_FILES = 3;
const CHANGE_SAMPLE = 200;

export interface SetLatestDialogProps {
  readonly service: string;
  readonly version: string;
  readonly current: string | null;
  readonly onClose: (changed: boolean) => void;
}

function signed(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '±0';
}

function isOntologyChange(change: FileChange): boolean {
  return (change.kind === 'MODIFIED' || change.kind === 'RENAMED') && ONTOLOGY_FORMATS.has(change.format as FileFormat);
}

/** Terms added/removed summed over the first few changed ontology files (fixed hook slots). */
function TermsPreview({ from, to, files, of }: { from: string; to: string; files: readonly FileChange[]; of: number }): ReactNode {
  const slot = (i: number) => {
    const f = files[i];
    return f ? { from, to, relpath: f.relpath, old_relpath: f.old_relpath && f.old_relpath !== f.relpath ? f.old_relpath : undefined, limit: 1 } : null;
  };
  const a = useQuery('delta:terms', slot(0), [from, to, files[0]?.relpath]);
  const b = useQuery('delta:terms', slot(1), [from, to, files[1]?.relpath]);
  const c = useQuery('delta:terms', slot(2), [from, to, files[2]?.relpath]);
  const results = [a, b, c].slice(0, files.length);
  const done = results.filter((r) => r.data);
  const pending = results.some((r) => r.loading);
  const added = done.reduce((n, r) => n + (r.data?.summary.added ?? 0), 0);
  const removed = done.reduce((n, r) => n + (r.data?.summary.removed ?? 0), 0);
  const sample = of > files.length ? ` (in ${files.length} of ${formatCount(of)} changed ontology files)` : '';
  return (
    <>
      <dt>Terms added / removed</dt>
      <dd aria-label="Terms added and removed">
        {pending && done.length === 0 ? <span className="muted">comparing…</span>
          : done.length === 0 ? <span className="muted">not available</span>
            : <>+{formatCount(added)} / −{formatCount(removed)}<span className="delta">{sample}</span></>}
      </dd>
    </>
  );
}

/** Loads both versions' stats and the delta, then asks. */
/** Findings of severity ERROR that are new in the target version. */
function newErrors(summary: ValidationDeltaSummary): number {
  return summary.by_severity.find((row) => row.severity === 'ERROR')?.new ?? 0;
}

export function SetLatestDialog({ service, version, current, onClose }: SetLatestDialogProps): ReactNode {
  const ref = `${service}/${version}`;
  const currentRef = current && current !== version ? `${service}/${current}` : null;
  const notify = useToast();
  const target = useQuery('versions:stats', { ref }, [ref]);
  const before = useQuery('versions:stats', currentRef ? { ref: currentRef } : null, [currentRef]);
  const delta = useQuery('delta:compute', currentRef ? { from: currentRef, to: ref, kind: 'changed', limit: CHANGE_SAMPLE } : null, [currentRef, ref]);
  const findings = useQuery('delta:validations', currentRef ? { from: currentRef, to: ref, status: 'new', limit: 1 } : null, [currentRef, ref]);
  const setLatest = useMutation('latest:set');

  const confirm = (): void => {
    setLatest.run({ ref }).then((result) => {
      notify(`${result.service}: latest is now ${result.version}${result.previous ? ` (was ${result.previous})` : ''}.`, 'success');
      onClose(true);
    }, () => { /* the error shows in the dialog */ });
  };

  const summary = delta.data?.summary;
  const ontologyChanges = (delta.data?.changes.items ?? []).filter(isOntologyChange);
  return (
    <ConfirmDialog title={`Set ${ref} as latest?`} confirmLabel="Set as latest" onConfirm={confirm} onCancel={() => onClose(false)}
      busy={setLatest.pending}>
      {currentRef ? <p>The latest {service} version is now <strong>{current}</strong>. After this change it will be <strong>{version}</strong>.</p>
        : <p>{service} has no latest version yet; <strong>{version}</strong> becomes the first.</p>}
      {target.data && (
        <dl className="compare" aria-label="Changes versus the current latest">
          <dt>Files</dt>
          <dd>{formatCount(target.data.files)}{before.data && <span className="delta"> ({signed(target.data.files - before.data.files)})</span>}</dd>
          <dt>Size</dt>
          <dd>{formatBytes(target.data.bytes)}{before.data && <span className="delta"> ({formatBytesDelta(target.data.bytes - before.data.bytes)})</span>}</dd>
          {summary && <>
            <dt>Files added / removed</dt>
            <dd aria-label="Files added and removed">+{formatCount(summary.added.count)} / −{formatCount(summary.removed.count)}
              <span className="delta"> ({formatCount(summary.modified.count)} modified, {formatCount(summary.renamed.count)} renamed)</span></dd>
            <dt>Bytes added / removed</dt>
            <dd aria-label="Bytes added and removed">+{formatBytes(summary.bytes_added)} / −{formatBytes(summary.bytes_removed)}</dd>
          </>}
          {currentRef && ontologyChanges.length > 0 && (
            <TermsPreview from={currentRef} to={ref} files={ontologyChanges.slice(0, TERM_PREVIEW_FILES)}
              of={ontologyChanges.length} />
          )}
          <dt>Files that parse</dt>
          <dd><HealthSummary health={target.data.health} label={`Validation of ${ref}`} /></dd>
          <dt>Errors</dt>
          <dd className={target.data.health.errors + target.data.health.files_unparsable > 0 ? 'bad' : undefined}>
            {formatCount(target.data.health.errors + target.data.health.files_unparsable)}{before.data && <span className="delta"> ({signed(target.data.health.errors + target.data.health.files_unparsable - before.data.health.errors - before.data.health.files_unparsable)})</span>}</dd>
          <dt>Warnings</dt>
          <dd>{formatCount(target.data.health.warnings)}{before.data && <span className="delta"> ({signed(target.data.health.warnings - before.data.health.warnings)})</span>}</dd>
          {findings.data && <>
            <dt>New errors</dt>
            <dd aria-label="New errors" className={newErrors(findings.data.summary) > 0 ? 'bad' : undefined}>{formatCount(newErrors(findings.data.summary))}
              <span className="delta"> ({formatCount(findings.data.summary.new - newErrors(findings.data.summary))} new warnings and info)</span></dd>
          </>}
        </dl>
      )}
      {(target.loading || delta.loading || findings.loading) && <p className="muted" role="status">Comparing versions…</p>}
      {(delta.error ?? findings.error) && <p className="muted">The comparison is incomplete: {(delta.error ?? findings.error)?.message}</p>}
      {setLatest.error && <p className="error-text" role="alert">{setLatest.error.message}</p>}
    </ConfirmDialog>
  );
}
