import type { Readable } from 'node:stream';

/** What `stat` reports about one stored file or folder. */
export interface StoredStat {
  readonly relpath: string;
  readonly kind: 'file' | 'dir' | 'other';
  readonly size_bytes: number;
  readonly mtime_ms: number;
  /** Hardlink count: above 1 means the bytes are shared (content store). */
  readonly links: number;
  readonly inode: number;
}

/** One entry of `list`. */
export interface StoredEntry {
  readonly relpath: string;
  readonly kind: 'file' | 'dir' | 'other';
  readonly size_bytes: number;
}

/**
 * Where the bytes of a storage root live.
 *
 * Every path is relative to the root, normalised and confined to it (safe-path.ts);
 * anything else is refused with UNSAFE_PATH. Writes are atomic and durable: a temp name,
 * fsync of the file and its folder, then a rename, so a reader or a crash never sees a
 * half-written file. The local filesystem is the one implementation today; the interface
 * keeps the catalog and ingest code independent of it.
 */
export interface StorageBackend {
  /** Copies a file (from a source path) or drains a stream into `relpath`. */
  putFile(relpath: string, source: string | Readable): Promise<StoredStat>;
  /** Writes bytes to `relpath`. */
  putBytes(relpath: string, bytes: Uint8Array | string): Promise<StoredStat>;
  /** Moves `from` to `to` atomically (both inside the root). */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder; missing is not an error. */
  delete(relpath: string): Promise<void>;
  exists(relpath: string): Promise<boolean>;
  /** Stats a path, or null when it is missing. */
  stat(relpath: string): Promise<StoredStat | null>;
  /** Lists a folder (recursively with `recursive`), sorted by path. */
  list(relpath: string, options?: { recursive?: boolean }): Promise<StoredEntry[]>;
  /** The absolute local path of `relpath` (after the same confinement checks). */
  resolve(relpath: string): string;
}
