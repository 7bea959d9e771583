/**
 * A tree row's damage mark: a file doctor marked missing or quarantined, a folder with such
 * files, or a file or folder the disk no longer holds as catalogued (checked when the page
 * is shown, before any doctor run).
 */
import type { ReactNode } from 'react';
import { describeDamage, describeDiskState } from '../../../electron/shared/finding-words.js';
import type { DirEntry } from '../../../electron/shared/models.js';

/** The words of an entry's state, or null for a healthy one. */
export function entryStateWords(entry: DirEntry): { state: string; advice: string } | null {
  if (entry.kind === 'file' && entry.damage) return describeDamage(entry.damage, null);
  if (entry.disk) return describeDiskState(entry.disk, entry.kind);
  return null;
}

/** Nothing for a healthy entry; the tooltip says what fixes it. */
export function DamageBadge({ entry }: { entry: DirEntry }): ReactNode {
  const words = entryStateWords(entry);
  const badges: ReactNode[] = [];
  if (words) badges.push(<span key="state" className="badge badge-bad" title={words.advice}>{words.state}</span>);
  if (entry.kind === 'dir' && entry.damaged) {
    badges.push(<span key="damaged" className="badge badge-bad" title="Files below are missing or quarantined; open them for what fixes it">{entry.damaged} damaged</span>);
  }
  return badges.length > 0 ? <>{badges}</> : null;
}
