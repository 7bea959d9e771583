/**
 * A lazily loaded, virtualized file tree of one version.
 *
 * Each folder is fetched with `files:dir` only when expanded, a page at a time, so a
 * 200k-file version costs one small query per opened folder. Only visible rows are in
 * the DOM. Keyboard: ↑/↓ move, → opens (or enters) a folder, ← closes (or goes to the
 * parent), Enter selects a file or toggles a folder, Home/End jump, and typed letters
 * move to the next visible item whose name starts with them (type-ahead).
 */
import { observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { DirEntry, Page } from '../../../electron/shared/models.js';
import { formatLabel } from '../../../electron/shared/formats.js';
import { useApi } from '../api/api-context.js';
import { ApiError, invoke } from '../api/invoke.js';
import { formatBytes, formatCount, formatCountOf } from '../lib/format.js';
import { FindingBadges } from '../components/validation-health.js';
import { isTypeAheadKey, TYPE_AHEAD_RESET_MS, typeAheadMatch } from '../lib/type-ahead.js';
import { DamageBadge, entryStateWords } from '../components/damage-badge.js';

const DIR_PAGE = 500;
const ROW_HEIGHT = 26;
// Used when layout reports no size (jsdom, hidden panes) so rows still render.
const FALLBACK_RECT: Rect = { width: 800, height: 520 };

interface Folder { readonly items: readonly DirEntry[]; readonly total: number; readonly loading: boolean; readonly error: ApiError | null }

type Row =
  | { readonly type: 'entry'; readonly entry: DirEntry; readonly depth: number; readonly parent: string }
  | { readonly type: 'more'; readonly dir: string; readonly depth: number; readonly parent: string }
  | { readonly type: 'status'; readonly dir: string; readonly depth: number; readonly parent: string; readonly text: string };

export interface FileTreeProps {
  readonly versionRef: string;
  readonly format?: string;
  readonly status?: 'failed' | 'passed' | 'unvalidated';
  readonly selected: string | null;
  readonly onSelect: (relpath: string) => void;
}

function rowId(row: Row): string {
  return row.type === 'entry' ? `tree-${row.entry.relpath}` : `tree-${row.type}-${row.dir}`;
}

/** The tree; see the module comment. */
export function FileTree({ versionRef, format, status, selected, onSelect }: FileTreeProps): ReactNode {
  const { bridge } = useApi();
  const [folders, setFolders] = useState<ReadonlyMap<string, Folder>>(new Map());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // The active row by its id, with its index for when that row is gone: a reload after a
  // catalog change (a file added above, a folder's "Loading…" row) moves rows, and the index
  // alone then pointed at another file, which Enter opened.
  const [cursor, setCursor] = useState<{ readonly id: string | null; readonly index: number }>({ id: null, index: 0 });
  const scrollRef = useRef<HTMLDivElement>(null);
  const generation = useRef(0);
  const typed = useRef({ text: '', at: 0 });

  const load = useCallback((dir: string, offset: number) => {
    const gen = generation.current;
    setFolders((map) => {
      const next = new Map(map);
      const prev = map.get(dir);
      next.set(dir, { items: prev?.items ?? [], total: prev?.total ?? 0, loading: true, error: null });
      return next;
    });
    void invoke(bridge, 'files:dir', { ref: versionRef, dir, format, status, offset, limit: DIR_PAGE }).then((result) => {
      if (gen !== generation.current) return;
      setFolders((map) => {
        const next = new Map(map);
        const prev = map.get(dir);
        if (result.ok) {
          const page: Page<DirEntry> = result.data;
          next.set(dir, { items: [...(offset === 0 ? [] : prev?.items ?? []), ...page.items], total: page.total, loading: false, error: null });
        } else {
          next.set(dir, { items: prev?.items ?? [], total: prev?.total ?? 0, loading: false, error: new ApiError(result.code, result.message) });
        }
        return next;
      });
    });
  }, [bridge, versionRef, format, status]);

  // A deep link to a file opens the folders above it.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  useEffect(() => {
    generation.current += 1;
    setFolders(new Map());
    const parts = (selectedRef.current ?? '').split('/').slice(0, -1);
    const ancestors = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    setExpanded(new Set(ancestors));
    setCursor({ id: null, index: 0 });
    load('', 0);
    for (const dir of ancestors) load(dir, 0);
  }, [load]);

  // A write by anyone (another client's re-ingest of this version, a validation, doctor)
  // may change what the folders hold: read the loaded ones again, as every useQuery view
  // does, or the tree kept the old files under cards that counted the new ones.
  const foldersRef = useRef(folders);
  foldersRef.current = folders;
  useEffect(() => bridge.subscribe('catalog:changed', () => {
    for (const dir of foldersRef.current.keys()) load(dir, 0);
  }), [bridge, load]);

  const rows = useMemo(() => {
    const out: Row[] = [];
    const walk = (dir: string, depth: number): void => {
      const folder = folders.get(dir);
      if (!folder) return;
      for (const entry of folder.items) {
        out.push({ type: 'entry', entry, depth, parent: dir });
        if (entry.kind === 'dir' && expanded.has(entry.relpath)) walk(entry.relpath, depth + 1);
      }
      if (folder.error) out.push({ type: 'status', dir, depth, parent: dir, text: `Could not load: ${folder.error.message}` });
      else if (folder.loading) out.push({ type: 'status', dir, depth, parent: dir, text: 'Loading…' });
      else if (folder.items.length < folder.total) out.push({ type: 'more', dir, depth, parent: dir });
      else if (folder.items.length === 0 && dir === '') out.push({ type: 'status', dir, depth, parent: dir, text: 'No files match these filters.' });
    };
    walk('', 0);
    return out;
  }, [folders, expanded]);

  const found = cursor.id === null ? -1 : rows.findIndex((row) => rowId(row) === cursor.id);
  const active = found >= 0 ? found : Math.max(0, Math.min(rows.length - 1, cursor.index));
  // A "Load more" or status row is kept by place: after Load more, the first new file is there.
  const setActive = (index: number): void => {
    const row = rows[index];
    setCursor({ id: row?.type === 'entry' ? rowId(row) : null, index });
  };

  const virtualizer: Virtualizer<HTMLDivElement, Element> = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: FALLBACK_RECT,
    observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
  });

  const toggle = (entry: DirEntry, open?: boolean): void => {
    const isOpen = expanded.has(entry.relpath);
    const want = open ?? !isOpen;
    if (want === isOpen) return;
    setExpanded((set) => {
      const next = new Set(set);
      if (want) next.add(entry.relpath); else next.delete(entry.relpath);
      return next;
    });
    if (want && !folders.has(entry.relpath)) load(entry.relpath, 0);
  };

  const activate = (row: Row | undefined): void => {
    if (!row) return;
    if (row.type === 'more') load(row.dir, folders.get(row.dir)?.items.length ?? 0);
    else if (row.type === 'entry') {
      if (row.entry.kind === 'dir') toggle(row.entry); else onSelect(row.entry.relpath);
    }
  };

  const moveTo = (index: number): void => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActive(clamped);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const row = rows[active];
    // Any other key ends a typed prefix, as in native tree views.
    if (!isTypeAheadKey(event)) typed.current = { text: '', at: 0 };
    switch (event.key) {
      case 'ArrowDown': moveTo(active + 1); break;
      case 'ArrowUp': moveTo(active - 1); break;
      case 'Home': moveTo(0); break;
      case 'End': moveTo(rows.length - 1); break;
      case 'ArrowRight':
        if (row?.type === 'entry' && row.entry.kind === 'dir') {
          if (!expanded.has(row.entry.relpath)) toggle(row.entry, true); else moveTo(active + 1);
        }
        break;
      case 'ArrowLeft':
        if (row?.type === 'entry' && row.entry.kind === 'dir' && expanded.has(row.entry.relpath)) toggle(row.entry, false);
        else if (row && row.parent !== '') moveTo(rows.findIndex((r) => r.type === 'entry' && r.entry.relpath === row.parent));
        break;
      case 'Enter': case ' ': activate(row); break;
      default: {
        if (!isTypeAheadKey(event)) return;
        // The prefix lasts while keys come faster than the reset pause (compared at the
        // next key press, so no timer runs).
        const now = event.timeStamp;
        const text = now - typed.current.at > TYPE_AHEAD_RESET_MS ? event.key : typed.current.text + event.key;
        typed.current = { text, at: now };
        const match = typeAheadMatch(rows.map((r) => (r.type === 'entry' ? r.entry.name : null)), active, text);
        if (match >= 0) moveTo(match);
      }
    }
    event.preventDefault();
  };

  const activeRow = rows[active];
  return (
    <div ref={scrollRef} className="tree-scroll" role="tree" aria-label={`Files of ${versionRef}`} tabIndex={0}
      aria-activedescendant={activeRow ? rowId(activeRow) : undefined} onKeyDown={onKeyDown}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          const style = { transform: `translateY(${item.start}px)`, paddingLeft: `${8 + row.depth * 16}px` };
          const classes = ['tree-row', item.index === active ? 'active' : ''];
          if (row.type !== 'entry') {
            return (
              <div key={item.key} id={rowId(row)} className={[...classes, 'tree-aux'].join(' ')} style={style} role="treeitem"
                aria-level={row.depth + 1} aria-selected={false}
                onClick={() => { setActive(item.index); activate(row); }}>
                {row.type === 'more'
                  ? <span className="link">Load more ({formatCount((folders.get(row.dir)?.total ?? 0) - (folders.get(row.dir)?.items.length ?? 0))} left)</span>
                  : <span className="muted">{row.text}</span>}
              </div>
            );
          }
          const { entry } = row;
          const isDir = entry.kind === 'dir';
          const open = isDir && expanded.has(entry.relpath);
          if (entry.relpath === selected) classes.push('selected');
          return (
            <div key={item.key} id={rowId(row)} className={classes.join(' ')} style={style} role="treeitem"
              aria-level={row.depth + 1} aria-expanded={isDir ? open : undefined} aria-selected={entry.relpath === selected}
              aria-label={isDir ? `${entry.name}, folder, ${formatCountOf(entry.files, 'file')}${entry.disk ? `, ${entryStateWords(entry)!.state}` : ''}${entry.damaged ? `, ${entry.damaged} damaged` : ''}`
                : entryStateWords(entry) ? `${entry.name}, ${entryStateWords(entry)!.state}` : entry.name}
              onClick={() => { setActive(item.index); activate(row); }}>
              <span className="tree-twisty" aria-hidden="true">{isDir ? (open ? '▾' : '▸') : ''}</span>
              <span className={isDir ? 'tree-name dir' : 'tree-name'}>{entry.name}</span>
              <FindingBadges errors={entry.errors} warnings={entry.warnings} />
              <DamageBadge entry={entry} />
              <span className="tree-meta">
                {isDir ? `${formatCountOf(entry.files, 'file')} · ` : entry.format ? `${formatLabel(entry.format)} · ` : ''}{formatBytes(entry.bytes)}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
