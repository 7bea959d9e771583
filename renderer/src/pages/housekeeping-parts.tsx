/**
 * Pieces the Doctor and Prune pages share: the applied-plan summary and the stale-plan notice.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApplyResult } from '../../../electron/shared/contract/housekeeping.js';
import { describeDone } from '../../../electron/shared/finding-words.js';
import { formatBytes, formatCount, formatCountOf } from '../lib/format.js';

/** What an apply did: actions by name, files moved and where they went. */
export function ApplySummary({ title, result, onAgain, againLabel, sizesAddUp = true }: {
  title: string; result: ApplyResult; onAgain?: () => void; againLabel?: string;
  /** False where moved files share inodes (a prune's version files and their content objects): their sizes' sum is no size on disk. */
  sizesAddUp?: boolean;
}): ReactNode {
  const actions = Object.entries(result.actions).filter(([, n]) => n > 0);
  return (
    <div className="state state-ok" role="status">
      <strong>{title}</strong>
      <p>
        {actions.length ? actions.map(([name, n]) => describeDone(name, formatCount(n))).join('; ') : 'Nothing needed doing'}.
        {result.trash && <> Moved {formatCountOf(result.files_moved, 'file')}{sizesAddUp ? ` (${formatBytes(result.bytes)})` : ''} to <code className="mono">{result.trash}</code>; restore them on the <Link to="/trash">Trash</Link> page, where emptying frees the space.</>}
      </p>
      {onAgain && <button type="button" onClick={onAgain}>{againLabel ?? 'Again'}</button>}
    </div>
  );
}

/** Apply refused because the disk or the catalog moved on since the plan: offer to plan again. */
export function StalePlan({ what, onRedo, children }: { what: string; onRedo: () => void; children: ReactNode }): ReactNode {
  return (
    <div className="state state-warn" role="alert">
      <strong>This plan is out of date</strong>
      <p>{children}</p>
      <button type="button" className="primary" onClick={onRedo}>{what === 'scan' ? 'Scan again' : 'Preview again'}</button>
    </div>
  );
}
