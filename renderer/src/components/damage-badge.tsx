/**
 * A tree row's damage mark: a file doctor marked missing or quarantined, or a folder with such files.
 */
import type { ReactNode } from 'react';
import { describeDamage } from '../../../electron/shared/finding-words.js';
import type { DirEntry } from '../../../electron/shared/models.js';

/** Nothing for a healthy entry; the tooltip says what fixes it. */
export function DamageBadge({ entry }: { entry: DirEntry }): ReactNode {
  if (entry.kind === 'file') {
    if (!entry.damage) return null;
    const words = describeDamage(entry.damage, null);
    return <span className="badge badge-bad" title={words.advice}>{words.state}</span>;
  }
  if (!entry.damaged) return null;
  return <span className="badge badge-bad" title="Files below are missing or quarantined; open them for what fixes it">{entry.damaged} damaged</span>;
}
