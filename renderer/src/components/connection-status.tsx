/**
 * The header's connection badge: says when the server behind the page has gone away
 * (`ontocat serve` stopped or restarting) and when it is back; silent otherwise.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context.js';

/** How long "Reconnected" stays up before the badge goes quiet again. */
const BACK_NOTICE_MS = 3000;

export function ConnectionStatus({ onReconnect }: { readonly onReconnect?: () => void }): ReactNode {
  const { bridge } = useApi();
  const [state, setState] = useState<'up' | 'down' | 'back'>('up');
  const reconnect = useRef(onReconnect);
  reconnect.current = onReconnect;

  useEffect(() => {
    if (!bridge.watchConnection) return undefined;
    let wasDown = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = bridge.watchConnection((connected) => {
      clearTimeout(timer);
      if (!connected) {
        wasDown = true;
        setState('down');
        return;
      }
      if (!wasDown) return;
      wasDown = false;
      setState('back');
      // What the page shows may have changed while it was away.
      reconnect.current?.();
      timer = setTimeout(() => setState('up'), BACK_NOTICE_MS);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [bridge]);

  // The live region stays mounted so that screen readers announce each change.
  return (
    <span className={state === 'down' ? 'connection-status badge badge-warn' : 'connection-status muted small'} role="status" aria-live="polite" aria-label="Connection to the catalog">
      {state === 'down' ? 'Disconnected from the catalog — retrying…' : state === 'back' ? 'Reconnected.' : ''}
    </span>
  );
}
