/**
 * Confirms "Set as latest": shows what changes versus the current latest before writing.
 */
import type { ReactNode } from 'react';
import { useChannelAvailable, useMutation, useQuery } from '../api/api-context.js';
import { itemsOf } from '../api/pending-channels.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatBytesDelta, formatCount } from '../lib/format.js';

export interface SetLatestDialogProps {
  readonly service: string;
  readonly version: string;
  readonly current: string | null;
  readonly onClose: (changed: boolean) => void;
}

function signed(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '±0';
}

/** Loads both versions' stats (and the delta when available), then asks. */
export function SetLatestDialog({ service, version, current, onClose }: SetLatestDialogProps): ReactNode {
  const ref = `${service}/${version}`;
  const currentRef = current ? `${service}/${current}` : null;
  const notify = useToast();
  const target = useQuery('versions:stats', { ref }, [ref]);
  const before = useQuery('versions:stats', currentRef ? { ref: currentRef } : null, [currentRef]);
  const hasDelta = useChannelAvailable('delta:compute');
  const hasValidationDelta = useChannelAvailable('delta:validations');
  const delta = useQuery('delta:compute', hasDelta && currentRef ? { a: currentRef, b: ref, limit: 1 } : null, [currentRef, ref, hasDelta]);
  const findings = useQuery('delta:validations', hasValidationDelta && currentRef ? { a: currentRef, b: ref, status: 'NEW' } : null,
    [currentRef, ref, hasValidationDelta]);
  const setLatest = useMutation('latest:set');

  const confirm = (): void => {
    setLatest.run({ ref }).then((result) => {
      notify(`${result.service}: latest is now ${result.version}${result.previous ? ` (was ${result.previous})` : ''}.`, 'success');
      onClose(true);
    }, () => { /* the error shows in the dialog */ });
  };

  const newFailures = findings.data ? itemsOf(findings.data).filter((row) => row.status === 'NEW').length : null;
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
          <dt>Validation failures</dt>
          <dd>{formatCount(target.data.validations.failed)}{before.data && <span className="delta"> ({signed(target.data.validations.failed - before.data.validations.failed)})</span>}</dd>
          {delta.data && <>
            <dt>Files added / removed / modified</dt>
            <dd>{formatCount(delta.data.summary.added.count)} / {formatCount(delta.data.summary.removed.count)} / {formatCount(delta.data.summary.modified.count)}</dd>
          </>}
          {newFailures !== null && <>
            <dt>New validation failures</dt>
            <dd>{formatCount(newFailures)}</dd>
          </>}
        </dl>
      )}
      {target.loading && <p className="muted" role="status">Comparing versions…</p>}
      {setLatest.error && <p className="error-text" role="alert">{setLatest.error.message}</p>}
    </ConfirmDialog>
  );
}
