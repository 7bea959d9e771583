/**
 * A modal confirmation: title, what will happen, and explicit confirm/cancel buttons.
 */
import { useId, useRef, type ReactNode } from 'react';
import { useModalFocus } from './use-modal-focus.js';

export interface ConfirmDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly danger?: boolean;
  readonly busy?: boolean;
  readonly confirmDisabled?: boolean;
  readonly children: ReactNode;
}

/**
 * Focus starts on Cancel so Enter never confirms by accident, stays inside the dialog
 * while it is open (Tab cycles) and returns to the control that opened it; Escape cancels.
 */
export function ConfirmDialog(props: ConfirmDialogProps): ReactNode {
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { onCancel, busy } = props;
  useModalFocus(dialogRef, () => { if (!busy) onCancel(); }, cancelRef);
  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={dialogRef} tabIndex={-1}>
        <h2 id={titleId}>{props.title}</h2>
        <div className="dialog-body">{props.children}</div>
        <div className="dialog-actions">
          <button type="button" ref={cancelRef} onClick={props.onCancel} disabled={props.busy}>Cancel</button>
          <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}
            disabled={props.busy || props.confirmDisabled}>
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
