/**
 * Pieces the Doctor and Prune pages share: the applied-plan summary and the stale-plan notice.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApplyResult } from '../../../electron/shared/contract/housekeeping.js';
import { describeDone } from '../../../electron/shared/finding-words.js';
import { useApi } from '../api/api-context.js';
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

/**
 * Writes that change nothing a doctor or prune plan is made of: anyone's scan or preview, and
 * edits of source settings and accounts (a team server's curators edit those all day, and a
 * notice for each would send a curator back to a needless, perhaps deep, scan). A sync,
 * a removed source or anything else still counts.
 */
const NO_CHANGE_TO_PLANS: ReadonlySet<string> = new Set([
  'doctor:plan', 'doctor:choose', 'prune:plan', 'prune:choose', 'store:migrate-plan',
  'sources:save', 'sources:import', 'sources:set-enabled', 'users:add', 'users:remove', 'users:set-password', 'users:set-role',
]);

/** The first write heard since a plan was asked for: which channel, and by whom. */
export interface ChangeSince { readonly channel: string; readonly by?: string }

/**
 * Whether the catalog was written to since this page asked for its plan (another client's
 * ingest, prune, pin or repair): the plan shown may no longer hold, and applying it waits for
 * a new one. `planned()` when a plan is asked for; `applied()` after this page's own apply,
 * whose write is no change to the next plan.
 */
export function useChangedSince(): { readonly changed: ChangeSince | null; planned(): void; applied(): void } {
  const { bridge } = useApi();
  const listening = useRef(false);
  const [changed, setChanged] = useState<ChangeSince | null>(null);
  useEffect(() => bridge.subscribe('catalog:changed', ({ channel, by }) => {
    if (listening.current && !NO_CHANGE_TO_PLANS.has(channel)) setChanged((first) => first ?? { channel, ...(by ? { by } : {}) });
  }), [bridge]);
  return {
    changed,
    planned: () => { listening.current = true; setChanged(null); },
    applied: () => { listening.current = false; },
  };
}

/** "The catalog changed since this scan (or preview)", naming the write, with the way to a new plan. */
export function ChangedSince({ what, change, pending, onRedo }: { what: 'scan' | 'preview'; change: ChangeSince; pending: boolean; onRedo: () => void }): ReactNode {
  return (
    <div className="state state-warn" role="alert" aria-label={`Catalog changed since the ${what}`}>
      <strong>The catalog changed since this {what}</strong>
      <p>A write was made since ({change.channel}{change.by ? ` by ${change.by}` : ''}), so this plan may no longer be what the catalog
        and the disk need. {what === 'scan' ? 'Scan again' : 'Preview again'} to review, and apply, a plan of them as they are now.</p>
      <button type="button" className="primary" disabled={pending} onClick={onRedo}>{what === 'scan' ? 'Scan again' : 'Preview again'}</button>
    </div>
  );
}
