/**
 * Short-lived notifications in a live region.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export type ToastKind = 'info' | 'success' | 'error';
/** A button in a toast, such as Undo; the toast closes when it is pressed. */
export interface ToastAction { readonly label: string; readonly run: () => void }
interface Toast { readonly id: number; readonly kind: ToastKind; readonly text: string; readonly action?: ToastAction }
type Notify = (text: string, kind?: ToastKind, action?: ToastAction) => void;

const ToastContext = createContext<Notify>(() => {});

/** Holds the toasts and renders them in the corner. */
export function ToastProvider({ children, timeoutMs = 5000 }: { children: ReactNode; timeoutMs?: number }): ReactNode {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>((text, kind = 'info', action) => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-3), { id, kind, text, action }]);
    // A toast with an action stays twice as long, so there is time to reach its button.
    setTimeout(() => dismiss(id), action ? timeoutMs * 2 : timeoutMs);
  }, [dismiss, timeoutMs]);
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            {t.action && <button type="button" onClick={() => { dismiss(t.id); t.action!.run(); }}>{t.action.label}</button>}
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
