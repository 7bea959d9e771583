/**
 * Short-lived notifications in a live region.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';

export type ToastKind = 'info' | 'success' | 'error';
/** A button in a toast, such as Undo; the toast closes when it is pressed. */
export interface ToastAction { readonly label: string; readonly run: () => void }
/** A link in a toast to a route of the app (`/delta?from=…`); the toast closes when it is followed. */
export interface ToastLink { readonly label: string; readonly to: string }
interface Toast { readonly id: number; readonly kind: ToastKind; readonly text: string; readonly action?: ToastAction | ToastLink }
type Notify = (text: string, kind?: ToastKind, action?: ToastAction | ToastLink) => void;

/** Whether focus is in a field where Ctrl+Z undoes typing, not the last action. */
function inTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'));
}

const ToastContext = createContext<Notify>(() => {});

/** Holds the toasts and renders them in the corner. */
export function ToastProvider({ children, timeoutMs = 5000 }: { children: ReactNode; timeoutMs?: number }): ReactNode {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>((text, kind = 'info', action) => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-3), { id, kind, text, action }]);
    // A toast with an action stays six times as long, so a keyboard user has time to reach
    // its button, and never closes while focus or the pointer is on it (WCAG 2.2.1).
    const expire = (): void => {
      const el = document.querySelector(`[data-toast-id="${id}"]`);
      if (el && (el.contains(document.activeElement) || el.matches(':hover'))) setTimeout(expire, timeoutMs);
      else dismiss(id);
    };
    setTimeout(expire, action ? timeoutMs * 6 : timeoutMs);
  }, [dismiss, timeoutMs]);
  const value = useMemo(() => notify, [notify]);
  // Ctrl+Z (⌘Z) outside a text field runs the newest toast's Undo, as in a desktop app.
  const latestUndo = useRef<{ id: number; action: ToastAction } | null>(null);
  const undoToast = [...toasts].reverse().find((t) => t.action && 'run' in t.action && t.action.label === 'Undo');
  latestUndo.current = undoToast ? { id: undoToast.id, action: undoToast.action as ToastAction } : null;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      if (event.defaultPrevented || inTextField(event.target) || !latestUndo.current) return;
      event.preventDefault();
      const { id, action } = latestUndo.current;
      dismiss(id);
      action.run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [dismiss]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} data-toast-id={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            {t.action && ('to' in t.action
              ? <Link to={t.action.to} onClick={() => dismiss(t.id)}>{t.action.label}</Link>
              : <button type="button" aria-keyshortcuts={t.action.label === 'Undo' ? 'Control+Z' : undefined}
                onClick={() => { dismiss(t.id); (t.action as ToastAction).run(); }}>{t.action.label}</button>)}
            <button type="button" className="icon" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>×</button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** Shows a toast. */
export function useToast(): Notify {
  return useContext(ToastContext);
}
