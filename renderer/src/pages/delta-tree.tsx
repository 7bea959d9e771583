/**
 * The tree of changes between two versions (`delta:tree`), one folder level at a time:
 * sub-folders with their per-kind counts and bytes, and files with their change.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DeltaTreeEntry } from '../../../electron/shared/contract/delta.js';
import { useQuery } from '../api/api-context.js';
import { Pager } from '../components/pager.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { formatBytes, formatBytesDelta, formatCount, formatCountOf } from '../lib/format.js';

const PAGE = 100;

/** Per-kind counts of an entry, in display order. */
const KIND_PARTS = [
  { kind: 'added', files: 'added_files', bytes: 'added_bytes' },
  { kind: 'removed', files: 'removed_files', bytes: 'removed_bytes' },
  { kind: 'modified', files: 'modified_files', bytes: 'modified_bytes' },
  { kind: 'renamed', files: 'renamed_files', bytes: 'renamed_bytes' },
] as const satisfies readonly { kind: string; files: keyof DeltaTreeEntry; bytes: keyof DeltaTreeEntry }[];

/** Files changed (not unchanged) below an entry. */
export function changedFiles(entry: DeltaTreeEntry): number {
  return entry.added_files + entry.removed_files + entry.modified_files + entry.renamed_files;
}

export interface DeltaTreeProps {
  readonly from: string;
  readonly to: string;
  readonly dir: string;
  readonly selected: string | null;
  readonly onDir: (dir: string) => void;
  readonly onFile: (entry: DeltaTreeEntry) => void;
}

function EntryRow({ entry, selected, onDir, onFile }: { entry: DeltaTreeEntry; selected: boolean } & Pick<DeltaTreeProps, 'onDir' | 'onFile'>): ReactNode {
  const isDir = entry.entry === 'dir';
  const label = isDir
    ? `Open folder ${entry.name}: ${formatCount(changedFiles(entry))} changed of ${formatCountOf(entry.files, 'file')}`
    : `${entry.kind ?? 'UNCHANGED'} ${entry.relpath}`;
  return (
    <li className={selected ? 'selected' : undefined}>
      <button type="button" className={`link entry-name${isDir ? ' dir' : ''}`} aria-label={label} aria-current={selected || undefined}
        onClick={() => (isDir ? onDir(entry.relpath) : onFile(entry))}>
        {isDir ? `${entry.name}/` : entry.name}
      </button>
      {!isDir && entry.kind && <span className={`kind kind-${entry.kind.toLowerCase()}`}>{entry.kind.toLowerCase()}</span>}
      {!isDir && entry.old_relpath && entry.old_relpath !== entry.relpath && <span className="muted small mono">from {entry.old_relpath}</span>}
      {/* A file that left this folder is listed where it was; say where it went. */}
      {!isDir && entry.new_relpath && entry.new_relpath !== entry.relpath && <span className="muted small mono">moved to {entry.new_relpath}</span>}
      <span className="chips">
        {isDir && KIND_PARTS.map((p) => entry[p.files] > 0 && (
          <span key={p.kind} className={`kind kind-${p.kind}`} title={`${formatBytes(entry[p.bytes])} ${p.kind}`}>
            {p.kind} {formatCount(entry[p.files])}
          </span>
        ))}
        <span className={`net${entry.net_bytes > 0 ? ' up' : entry.net_bytes < 0 ? ' down' : ''}`}>{formatBytesDelta(entry.net_bytes)}</span>
      </span>
    </li>
  );
}

/** Breadcrumb, the entries of `dir`, and paging for very large folders. */
export function DeltaTree({ from, to, dir, selected, onDir, onFile }: DeltaTreeProps): ReactNode {
  const [offset, setOffset] = useState(0);
  const [showUnchanged, setShowUnchanged] = useState(false);
  const tree = useQuery('delta:tree', { from, to, dir: dir || undefined, changed_only: !showUnchanged, offset, limit: PAGE },
    [from, to, dir, showUnchanged, offset], { keepWithin: [from, to, dir] });
  const parts = dir ? dir.split('/') : [];
  const rootRef = useRef<HTMLDivElement>(null);
  // A folder opened from its entry takes that button away with the folder left, and focus fell
  // to the page's start: it goes to the new folder's first entry once that is shown.
  const refocus = useRef(false);
  const go = (next: string): void => {
    refocus.current = rootRef.current?.querySelector('.folder-list')?.contains(document.activeElement) ?? false;
    setOffset(0);
    onDir(next);
  };
  useEffect(() => {
    if (!refocus.current || !tree.data || tree.stale) return;
    refocus.current = false;
    // Unless the user put focus somewhere else meanwhile.
    if (document.activeElement && document.activeElement !== document.body) return;
    const root = rootRef.current;
    // An empty folder has no entry: its own crumb, the last of the path, takes focus.
    (root?.querySelector<HTMLElement>('.folder-list button') ?? [...(root?.querySelectorAll<HTMLElement>('.breadcrumb button') ?? [])].at(-1))?.focus();
  }, [tree.data, tree.stale]);
  return (
    <div className="delta-tree" ref={rootRef}>
      <div className="tree-head">
        <nav aria-label="Folder path" className="breadcrumb">
          <button type="button" className="link" onClick={() => go('')}>(root)</button>
          {parts.map((part, i) => (
            <span key={i}> / <button type="button" className="link" onClick={() => go(parts.slice(0, i + 1).join('/'))}>{part}</button></span>
          ))}
        </nav>
        <label className="check small">
          <input type="checkbox" checked={showUnchanged} onChange={(e) => { setShowUnchanged(e.target.checked); setOffset(0); }} /> Show unchanged
        </label>
      </div>
      {tree.error ? <ErrorState error={tree.error} onRetry={tree.refetch} /> : !tree.data ? <Skeleton rows={3} label="Loading the tree of changes" /> : (
        tree.data.total === 0 && !tree.stale ? <p className="muted" role="status">No changes in this folder.</p> : (
          <>
            <ul className="folder-list" aria-label="Tree of changes">
              {tree.data.items.map((e) => (
                <EntryRow key={`${e.entry}|${e.relpath}`} entry={e} selected={e.entry === 'file' && (e.new_relpath ?? e.relpath) === selected} onDir={go} onFile={onFile} />
              ))}
            </ul>
            {tree.data.total > PAGE && <Pager label="Tree pages" offset={offset} limit={PAGE} total={tree.data.total} onOffset={setOffset} />}
          </>
        )
      )}
    </div>
  );
}
