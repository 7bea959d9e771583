/**
 * One validation finding: what failed, the failing line with a few lines around it read
 * from the stored file, and ways to reach the file (show in folder / download, the tree).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ValidationRecord } from '../../../electron/shared/models.js';
import { useApi, useQuery } from '../api/api-context.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { revealFile, revealLabel } from '../lib/downloads.js';
import { formatBytes } from '../lib/format.js';

const CONTEXT = 3;

function FailingLines({ versionRef, finding }: { versionRef: string; finding: ValidationRecord & { line: number } }): ReactNode {
  const lines = useQuery('files:lines', { ref: versionRef, relpath: finding.relpath, line: finding.line, context: CONTEXT },
    [versionRef, finding.relpath, finding.line]);
  if (lines.error) return <ErrorState error={lines.error} onRetry={lines.refetch} />;
  if (!lines.data) return <Skeleton rows={3} label="Reading the failing line" />;
  const data = lines.data;
  if (data.binary) return <p className="muted" role="status">The file is binary; there is no line to show.</p>;
  if (data.scan_limited) return <p className="muted" role="status">Line {finding.line} lies too deep in this {formatBytes(data.size_bytes)} file to read here.</p>;
  if (data.past_end || data.lines.length === 0) return <p className="muted" role="status">The file has fewer than {finding.line} lines.</p>;
  return (
    <>
      {data.from === 'cas' && <p className="muted small">Read from the content store: the version's own copy is missing (run Doctor).</p>}
      <ol className="code-lines" aria-label={`Lines ${data.lines[0]!.number} to ${data.lines.at(-1)!.number} of ${finding.relpath}`}
        start={data.lines[0]!.number}>
        {data.lines.map((l) => (
          <li key={l.number} value={l.number} className={l.number === finding.line ? 'failing' : undefined}
            aria-current={l.number === finding.line ? 'true' : undefined}>
            <span className="line-no" aria-hidden="true">{l.number}</span>
            <code>{l.text}{l.truncated && <span className="muted"> … ({formatBytes(l.bytes)} line, cut)</span>}</code>
          </li>
        ))}
      </ol>
    </>
  );
}

/** The details pane of one finding; the heading takes focus so a keyboard user lands on it. */
export function FindingPanel({ versionRef, finding: opened, onClose }: { versionRef: string; finding: ValidationRecord; onClose: () => void }): ReactNode {
  const { bridge } = useApi();
  const notify = useToast();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [opened.validation_id]);
  // The finding as the catalog holds it now (read again on every catalog change): another
  // client's validation may have removed it, or given it another message or line, since the
  // row it was opened from was read.
  const live = useQuery('validations:list', { ref: versionRef, validation_id: opened.validation_id, limit: 1 }, [versionRef, opened.validation_id]);
  const now = live.data?.items[0];
  const gone = live.data !== undefined && (now === undefined || (now.passed && !opened.passed));
  const finding = now ?? opened;
  return (
    <aside className="finding-panel" role="complementary" aria-label={finding.relpath} onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
      <div className="details-head">
        <h2 ref={heading} tabIndex={-1} className="mono wrap">{finding.relpath}</h2>
        <button type="button" className="icon" aria-label="Close finding" onClick={onClose}>×</button>
      </div>
      {gone ? (
        <>
          <div className="state state-warn" role="status" aria-label="Finding gone">
            <p>This finding ({opened.validator}: {opened.rule}{opened.line !== null ? ` at line ${opened.line}` : ''}) is no longer in the catalog:
              {now ? ' the file passes this check now' : ' the file was validated again, replaced or removed since it was opened'}.</p>
          </div>
          <div className="actions">
            <Link to={`/versions/${versionRef}?path=${encodeURIComponent(finding.relpath)}`}>Open in the version's files</Link>
          </div>
        </>
      ) : (
        <>
          <p>
            <span className={`sev sev-${finding.severity.toLowerCase()}`}>{finding.severity}</span>{' '}
            {finding.validator}: {finding.rule}
            {finding.line !== null && <> at line {finding.line}{finding.col !== null && `, column ${finding.col}`}</>}
          </p>
          {finding.message && <p className="message-text">{finding.message}</p>}
          {finding.line !== null
            ? <FailingLines versionRef={versionRef} finding={finding as ValidationRecord & { line: number }} />
            : <p className="muted">This finding names no line (it is about the whole file).</p>}
          <div className="actions">
            <button type="button" onClick={() => { void revealFile(bridge, versionRef, finding.relpath).then((o) => notify(o.message, o.ok ? 'info' : 'error')); }}>
              {revealLabel(bridge)}
            </button>
            <Link to={`/versions/${versionRef}?path=${encodeURIComponent(finding.relpath)}`}>Open in the version's files</Link>
          </div>
        </>
      )}
    </aside>
  );
}
