/**
 * `/trash`: everything prune and doctor moved aside, restorable until emptied.
 */
import type { ReactNode } from 'react';
import { TrashSection } from './trash-section.js';

/** `/trash` */
export function TrashPage(): ReactNode {
  return (
    <section className="page" aria-labelledby="trash-title">
      <header className="page-header"><h1 id="trash-title">Trash</h1></header>
      <p className="muted">Prune and Doctor move files here instead of deleting them. Restore puts files and catalog rows back exactly;
        disk space is freed only when an entry is emptied.</p>
      <TrashSection refreshKey={0} />
    </section>
  );
}
