/**
 * The details pane of one file: identity, validations and where else its bytes live.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../api/api-context.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { formatLabel } from '../../../electron/shared/formats.js';
import { describeDamage, describeDiskState } from '../../../electron/shared/finding-words.js';
import { formatBytes, formatDate } from '../lib/format.js';

/**
 * Shows `files:get`, then `validations:list` by file id and `files:where` by hash.
 * Escape closes it (unless a dialog above it, or a text field, takes the key); focus that
 * was inside the panel goes back to where it came from, else the main content.
 */
export function FileDetails({ versionRef, relpath, onClose }: { versionRef: string; relpath: string; onClose: () => void }): ReactNode {
  const asideRef = useRef<HTMLElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  // A layout effect: the key is heard from the first frame the panel shows. With an effect
  // (after paint), an Escape pressed as the panel appeared was lost and the panel stayed.
  useLayoutEffect(() => {
    const opener = document.activeElement;
    const aside = asideRef.current;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      const target = event.target;
      if (target instanceof HTMLElement && target.matches('input, textarea, select') && !aside?.contains(target)) return;
      event.preventDefault();
      close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      const active = document.activeElement;
      if (active && active !== document.body && !aside?.contains(active)) return;
      const back = opener instanceof HTMLElement && opener.isConnected && !aside?.contains(opener) ? opener : document.getElementById('main-content');
      back?.focus();
    };
  }, []);
  const file = useQuery('files:get', { ref: versionRef, relpath }, [versionRef, relpath]);
  const fileId = file.data?.file_id;
  const sha = file.data?.sha256;
  const validations = useQuery('validations:list', fileId ? { ref: versionRef, file_id: fileId, limit: 100 } : null, [versionRef, fileId]);
  const where = useQuery('files:where', sha ? { sha256: sha } : null, [sha]);
  const elsewhere = (where.data?.files ?? []).filter((f) => f.file_id !== fileId);

  return (
    <aside className="details" aria-labelledby="details-title" ref={asideRef}>
      <div className="details-head">
        <h2 id="details-title" className="mono">{relpath.split('/').pop()}</h2>
        <button type="button" className="icon" aria-label="Close details" aria-keyshortcuts="Escape" onClick={onClose}>×</button>
      </div>
      {file.error ? <ErrorState error={file.error} onRetry={file.refetch} /> : !file.data ? <Skeleton rows={4} label="Loading file details" /> : (
        <>
          <dl className="props">
            {file.data.damage && (() => {
              const words = describeDamage(file.data.damage.kind, file.data.damage.plan_id);
              // The note role sits inside the <dd>: a role on the <dd> itself breaks the list's semantics.
              return (<><dt>State</dt><dd><span role="note" aria-label="File state"><span className="badge badge-bad">{words.state}</span> {words.advice}
                {' '}<span className="muted">(since {formatDate(file.data.damage.detected_at)})</span></span></dd></>);
            })()}
            {file.data.disk && (() => {
              const words = describeDiskState(file.data.disk);
              return (<><dt>State</dt><dd><span role="note" aria-label="File state"><span className="badge badge-bad">{words.state}</span> {words.advice}
                {' '}<span className="muted">(found on disk just now; no Doctor run has recorded it yet)</span> <Link to="/doctor">Open Doctor</Link></span></dd></>);
            })()}
            <dt>Path</dt><dd className="mono wrap">{file.data.relpath}</dd>
            <dt>Format</dt>
            <dd>
              {formatLabel(file.data.format)}
              {/* The extension decides the format; say so when the content looks like something else. */}
              {file.data.sniffed_format && file.data.sniffed_format !== file.data.format
                && <span className="muted"> (content looks like {formatLabel(file.data.sniffed_format)})</span>}
            </dd>
            <dt>Size</dt><dd>{formatBytes(file.data.size_bytes)} <span className="muted">({file.data.size_bytes.toLocaleString('en-US')} bytes)</span></dd>
            <dt>SHA-256</dt><dd className="mono wrap" aria-label="SHA-256">{file.data.sha256}</dd>
            {/* The file on disk is a link to its stored content: its time is when that content was first stored, not the source's date. */}
            <dt>Stored</dt><dd title="When this content was first written to the store; every version holding it shares that copy, so the source file's own date is not kept">{formatDate(file.data.mtime)}</dd>
          </dl>
          <h3>Validations</h3>
          {validations.error ? <ErrorState error={validations.error} /> : !validations.data ? <Skeleton rows={2} label="Loading validations" />
            : validations.data.items.length === 0 ? <p className="muted">Not validated.</p> : (
              <ul className="findings" aria-label="Validations of this file">
                {validations.data.items.map((v) => (
                  <li key={v.validation_id} className={v.passed ? 'pass' : `sev-${v.severity.toLowerCase()}`}>
                    <span className="badge">{v.passed ? 'PASS' : v.severity}</span> {v.validator}: {v.rule}
                    {v.message && <div className="muted">{v.message}{v.line !== null && ` (line ${v.line}${v.col !== null ? `:${v.col}` : ''})`}</div>}
                  </li>
                ))}
              </ul>
            )}
          <h3>Same content elsewhere</h3>
          {where.error ? <ErrorState error={where.error} /> : !where.data ? <Skeleton rows={2} label="Looking for copies" />
            : elsewhere.length === 0 ? <p className="muted">Only here.</p> : (
              <ul className="where" aria-label="Same content elsewhere">
                {elsewhere.map((f) => (
                  <li key={f.file_id}>
                    <Link to={`/versions/${f.service}/${f.version}?path=${encodeURIComponent(f.relpath)}`}>{f.service}/{f.version}</Link>
                    {' '}<span className="mono">{f.relpath}</span>
                  </li>
                ))}
              </ul>
            )}
        </>
      )}
    </aside>
  );
}
