/**
 * A path shortened in the middle: the folders give way first, the file name stays whole,
 * and the full path is the title (hover) and the accessible name.
 */
import type { ReactNode } from 'react';

export function MiddlePath({ path }: { path: string }): ReactNode {
  const cut = path.lastIndexOf('/');
  const head = cut >= 0 ? path.slice(0, cut + 1) : '';
  const tail = cut >= 0 ? path.slice(cut + 1) : path;
  return (
    <span className="mid-path mono" title={path}>
      {head && <span className="mid-path-head">{head}</span>}
      <span className="mid-path-tail">{tail}</span>
    </span>
  );
}
