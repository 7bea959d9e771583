import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { TEMP_SUFFIX } from './atomic-write.js';
import { BACKUPS_DIR, CAS_DIR, TEMP_DIR, TRASH_DIR } from './layout.js';

/**
 * What a listed file is, by where it lives:
 * `root` a file of the service tree, `latest` a `<service>/LATEST.json`, `cas` a content
 * store object, `temp` a leftover of an interrupted write.
 */
export type ListingScope = 'root' | 'latest' | 'cas' | 'temp';

/** One listed file; `mtime_ms` is whole milliseconds, like the catalog's mtimes. */
export interface ListedFile {
  readonly scope: ListingScope;
  readonly relpath: string;
  readonly size_bytes: number;
  readonly mtime_ms: number;
}

export interface ScanSink {
  /** Tab-separated rows `scope, relpath, size, mtime_ms`, one per line. */
  block(text: string, rows: number): void;
  /** Files whose names hold a tab, newline or other control character (cannot be framed). */
  odd(file: ListedFile): void;
}

export interface ScanSummary {
  readonly files: number;
  readonly bytes: number;
}

// eslint-disable-next-line no-control-regex -- control characters cannot be framed in a block
const controlCharacter = /[\u0000-\u001f\u007f]/;
const casTop = CAS_DIR.split('/')[0]!;
const skippedTop = new Set([TRASH_DIR, BACKUPS_DIR]);
const BLOCK_ROWS = 20_000;

/**
 * Lists every file under a storage root that the catalog could care about, in blocks.
 *
 * Trash and backups are skipped (they are not part of the live tree); top-level files
 * other than temp leftovers (the catalog, its WAL, the lock) are not listed. The walk
 * uses synchronous readdir/lstat in one tight loop: per-call overhead, not disk, bounds
 * a warm-cache scan, and the synchronous calls are several times cheaper than promises.
 */
export function scanRoot(root: string, sink: ScanSink, control: WorkControl = {}): ScanSummary {
  const base = path.resolve(root);
  let files = 0;
  let bytes = 0;
  let block = '';
  let rows = 0;
  const emit = (scope: ListingScope, relpath: string, size: number, mtime: number): void => {
    files += 1;
    bytes += size;
    if (controlCharacter.test(relpath)) {
      sink.odd({ scope, relpath, size_bytes: size, mtime_ms: mtime });
      return;
    }
    block += `${scope}\t${relpath}\t${size}\t${mtime}\n`;
    rows += 1;
    if (rows === BLOCK_ROWS) {
      sink.block(block, rows);
      block = '';
      rows = 0;
      if (control.signal?.aborted) throw new OntocatError('CANCELLED', 'The scan was cancelled.');
      control.onProgress?.({ done: files, total: null, bytes, current: relpath, phase: 'scan' });
    }
  };

  // Each stack entry: absolute dir, relative dir ('' at the top), scope of its files.
  const stack: { abs: string; rel: string; scope: 'root' | 'cas' | 'temp' | 'top' }[] = [{ abs: base, rel: '', scope: 'top' }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir.abs, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new OntocatError('IO_ERROR', `Cannot list ${dir.abs}: ${(error as Error).message}`);
    }
    for (const entry of entries) {
      const name = entry.name;
      const abs = dir.abs + path.sep + name;
      const rel = dir.rel === '' ? name : `${dir.rel}/${name}`;
      if (entry.isDirectory()) {
        if (dir.scope === 'top') {
          if (skippedTop.has(name)) continue;
          if (name === casTop) stack.push({ abs, rel, scope: 'cas' });
          else if (name === TEMP_DIR) stack.push({ abs, rel, scope: 'temp' });
          else if (!name.startsWith('.')) stack.push({ abs, rel, scope: 'root' });
        } else {
          stack.push({ abs, rel, scope: dir.scope });
        }
        continue;
      }
      let scope: ListingScope;
      if (dir.scope === 'top') {
        if (!name.endsWith(TEMP_SUFFIX)) continue;
        scope = 'temp';
      } else if (dir.scope === 'temp' || name.endsWith(TEMP_SUFFIX)) {
        scope = 'temp';
      } else if (dir.scope === 'cas') {
        scope = 'cas';
      } else {
        scope = name === 'LATEST.json' && !dir.rel.includes('/') ? 'latest' : 'root';
      }
      const stat = lstatSync(abs, { throwIfNoEntry: false });
      if (!stat) continue;
      emit(scope, rel, stat.size, Math.floor(stat.mtimeMs));
    }
  }
  if (rows > 0) sink.block(block, rows);
  control.onProgress?.({ done: files, total: files, bytes, current: null, phase: 'scan' });
  return { files, bytes };
}
