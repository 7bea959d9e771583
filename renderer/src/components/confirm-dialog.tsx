/**
 * A modal confirmation: title, what will happen, and explicit confirm/cancel buttons.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

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

/** Escape cancels; focus starts on Cancel so Enter never confirms by accident. */
export function ConfirmDialog(props: ConfirmDialogProps): ReactNode {
  const titleId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { onCancel } = props;
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (event: KeyboardEvent): void => { if (event.key === 'Escape') onCancel(); };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
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
