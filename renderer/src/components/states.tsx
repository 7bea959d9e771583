/**
 * Loading, error, empty and not-available states shared by every page.
 */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/invoke.js';

/** Grey placeholder bars while a query runs. */
export function Skeleton({ rows = 5, label = 'Loading' }: { rows?: number; label?: string }): ReactNode {
  return (
    <div className="skeleton" role="status" aria-live="polite" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => <div key={i} className="skeleton-bar" />)}
    </div>
  );
}

/** A failed call, with its code and a retry. */
export function ErrorState({ error, onRetry, title = 'Something went wrong' }: { error: ApiError; onRetry?: () => void; title?: string }): ReactNode {
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <p>{error.message} <code className="mono">{error.code}</code></p>
      {onRetry && <button type="button" onClick={onRetry}>Retry</button>}
    </div>
  );
}

/** Nothing to show yet, with what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="state state-empty" role="status">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

/** A pending channel the running build does not offer yet. */
export function NotAvailable({ feature }: { feature: string }): ReactNode {
  return (
    <EmptyState title={`${feature} is not available in this build`}>
      <p>This version of Ontocat does not include the channels this view needs. Update Ontocat to use it.</p>
    </EmptyState>
  );
}

/** How to get data into an empty catalog. */
export function NoCatalogHelp(): ReactNode {
  return (
    <EmptyState title="No versions in this catalog yet">
      <p>Ingest a folder or archive to create the first version:</p>
      <pre className="mono">ontocat ingest ./downloads/go --service go --version 2024-05-01</pre>
      <p>In the desktop app use <em>File → Ingest Folder…</em>. To explore with sample data, start the demo catalog with <code className="mono">npm run demo</code>.</p>
    </EmptyState>
  );
}
