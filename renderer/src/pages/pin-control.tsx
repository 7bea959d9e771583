/**
 * Pin and unpin a version, with the curator's reason: prune always keeps a pinned version
 * and its previews say why ("pinned — reason").
 */
import { useCallback, useState, type ReactNode } from 'react';
import { RoleHint } from '../api/access.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { useToast } from '../components/toast.js';
import { formatDate } from '../lib/format.js';

/** The pin state of `versionRef` with Pin… / Unpin… (each confirmed). */
export function PinControl({ versionRef }: { versionRef: string }): ReactNode {
  const notify = useToast();
  const pin = useQuery('pins:get', { ref: versionRef }, [versionRef]);
  const save = useMutation('versions:pin');
  const [editing, setEditing] = useState<'pin' | 'unpin' | null>(null);
  const [reason, setReason] = useState('');
  // Stable: the dialog puts focus on Cancel whenever its onCancel changes, which must not happen while typing.
  const cancel = useCallback(() => setEditing(null), []);
  if (!pin.data) return null;
  const info = pin.data;
  const run = (): void => {
    const pinned = editing === 'pin';
    save.run({ ref: versionRef, pinned, ...(pinned ? { reason: reason.trim() } : {}) }).then(() => {
      setEditing(null);
      notify(pinned ? `Pinned ${versionRef}: prune always keeps it.` : `Unpinned ${versionRef}.`, 'success');
      pin.refetch();
    }, (error: Error) => notify(error.message, 'error'));
  };
  return (
    <div className="pin-control" role="group" aria-label="Pin">
      {info.pinned ? (
        <>
          <span className="badge badge-warn">pinned</span>
          <span aria-label="Pin reason">{info.reason ?? 'no reason given'}</span>
          {info.pinned_at && <span className="muted small"> since {formatDate(info.pinned_at)}</span>}
          {save.refusal ? <RoleHint refusal={save.refusal} /> : <button type="button" onClick={() => setEditing('unpin')}>Unpin…</button>}
        </>
      ) : (
        save.refusal ? <><span className="muted">not pinned</span><RoleHint refusal={save.refusal} /></>
          : <button type="button" onClick={() => { setReason(''); setEditing('pin'); }}>Pin…</button>
      )}
      {editing === 'pin' && (
        <ConfirmDialog title={`Pin ${versionRef}?`} confirmLabel="Pin" busy={save.pending} confirmDisabled={reason.trim() === ''}
          onCancel={cancel} onConfirm={run}>
          <p>Prune always keeps a pinned version. Say why, for whoever reviews a prune later.</p>
          <label htmlFor="pin-reason">Reason</label>
          <input id="pin-reason" type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && reason.trim() !== '') run(); }} />
        </ConfirmDialog>
      )}
      {editing === 'unpin' && (
        <ConfirmDialog title={`Unpin ${versionRef}?`} confirmLabel="Unpin" danger busy={save.pending} onCancel={cancel} onConfirm={run}>
          <p>Prune may then remove it under its retention policy{info.reason ? <> (it was pinned because: {info.reason})</> : null}.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
