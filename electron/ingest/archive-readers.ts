import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform, pipeline as pipeStreams, type Readable as ReadableType } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createGunzip } from 'node:zlib';
// tar and yauzl load on first use: a CLI read command never pays for them.
import type { ReadEntry } from 'tar';
import type yauzl from 'yauzl';
import { OntocatError, isOntocatError } from '../shared/errors.js';
import { fsFailureDetails } from '../shared/fs-error-words.js';
import { xzDecodeStream } from './xz-worker.js';
import { UNICODE_PATH_FIELD, zipEntryName } from './zip-names.js';

/** The kinds of archive ingest understands. */
export type ArchiveKind = 'zip' | 'tar' | 'tar.gz' | 'tar.xz' | 'gz';

/** One entry of an archive, as the extractor sees it, whatever the container. */
export interface ArchiveEntry {
  /** The raw name from the archive (checked by the extractor, never trusted). */
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'device' | 'sparse' | 'other';
  readonly linkTarget?: string;
  readonly mtimeMs: number | null;
  /** The entry's bytes; call once, only for files. */
  readonly open: () => Promise<ReadableType>;
}

export type EntryHandler = (entry: ArchiveEntry) => Promise<void>;

/** Guesses the archive kind from a file name; null when it is not an archive. */
export function archiveKindOf(name: string): ArchiveKind | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar.xz') || lower.endsWith('.txz')) return 'tar.xz';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.gz')) return 'gz';
  return null;
}

/** Errnos of writing out or opening files, never of a damaged archive. */
const notTheArchives = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE', 'ENAMETOOLONG']);

function corrupt(file: string, error: unknown): OntocatError {
  if (isOntocatError(error)) return error;
  const message = (error as Error)?.message ?? String(error);
  // The archive read fine; writing what it holds did not: no fault of the archive's.
  const failure = fsFailureDetails(error);
  if (failure && notTheArchives.has(failure.errno)) {
    return new OntocatError('IO_ERROR', `Could not extract ${path.basename(file)}: ${failure.cause}.`, { ...failure });
  }
  if (/invalid relative path|absolute path|invalid characters in fileName/i.test(message)) {
    return new OntocatError('UNSAFE_PATH', `Refused archive entry in ${path.basename(file)}: ${message}.`);
  }
  return new OntocatError('BAD_INPUT', `Cannot read the archive ${path.basename(file)}: ${message.split('\n')[0]}.`);
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/** The entry type a zip's central directory records (only Unix-made zips carry a file mode). */
export function zipEntryType(entry: Pick<yauzl.Entry, 'externalFileAttributes' | 'versionMadeBy' | 'fileName'>): ArchiveEntry['type'] {
  const fileType = ((entry.externalFileAttributes >>> 16) & 0xffff) & S_IFMT;
  const madeOnUnix = (entry.versionMadeBy >> 8) === 3;
  // Otherwise a trailing slash marks folders.
  if (entry.fileName.endsWith('/')) return 'dir';
  if (!madeOnUnix || fileType === 0 || fileType === S_IFREG) return 'file';
  if (fileType === S_IFLNK) return 'symlink';
  if (fileType === S_IFDIR) return 'dir';
  return 'device';
}

/**
 * An entry's bytes, failing at their end when their CRC-32 is not the one the zip's central
 * directory records. yauzl checks sizes but never the CRC, so a flipped byte in a stored
 * entry (or one that still inflates) would otherwise be ingested as good content.
 */
function crcChecked(source: ReadableType, expected: number, entryName: string, file: string): ReadableType {
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      if (crc >>> 0 === expected >>> 0) { done(); return; }
      const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
      done(new OntocatError('BAD_INPUT', `Cannot read the archive ${path.basename(file)}: the entry '${entryName}' fails its CRC-32 check (the zip records ${hex(expected)}, its data gives ${hex(crc)}); the archive is corrupt.`));
    },
  });
  // Destroying the check (a reader that stops early) closes the entry's stream too.
  pipeStreams(source, check, () => undefined);
  return check;
}

/** Reads a zip archive entry by entry (yauzl: central directory, sizes validated). */
export async function readZip(file: string, onEntry: EntryHandler, signal?: AbortSignal): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    const { default: yauzlLib } = await import('yauzl');
    // Raw names: yauzl would read every unflagged name as CP437 (a Linux zip's UTF-8
    // `café` as `caf├⌐`); zip-names decides, as the header scan does.
    zip = await yauzlLib.openPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true });
  } catch (error) {
    throw corrupt(file, error);
  }
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      try { zip.close(); } catch { /* already closed */ }
      reject(corrupt(file, error));
    };
    zip.on('error', fail);
    const unsubscribe = onAborted(signal, () => fail(cancelled()));
    zip.on('end', () => { unsubscribe(); if (!settled) { settled = true; resolve(); } });
    zip.on('entry', (entry: yauzl.Entry) => {
      let name: string;
      try {
        name = zipEntryName({
          raw: entry.fileNameRaw,
          generalPurposeBitFlag: entry.generalPurposeBitFlag,
          versionMadeBy: entry.versionMadeBy,
          unicodePath: entry.extraFields.find((field) => field.id === UNICODE_PATH_FIELD)?.data,
        });
      } catch (error) {
        fail(error);
        return;
      }
      const type = zipEntryType({ externalFileAttributes: entry.externalFileAttributes, versionMadeBy: entry.versionMadeBy, fileName: name });
      if (entry.isEncrypted()) { fail(new OntocatError('BAD_INPUT', `The zip entry ${name} is encrypted; encrypted archives are not supported.`)); return; }
      const open = async (): Promise<ReadableType> => crcChecked(await zip.openReadStreamPromise(entry), entry.crc32, name, file);
      const handle = async (): Promise<void> => {
        let linkTarget: string | undefined;
        if (type === 'symlink') {
          const chunks: Buffer[] = [];
          for await (const chunk of await open()) chunks.push(chunk as Buffer);
          linkTarget = Buffer.concat(chunks).toString('utf8');
        }
        await onEntry({ name, type, linkTarget, mtimeMs: entry.getLastModDate().getTime(), open });
      };
      handle().then(() => { if (!settled) zip.readEntry(); }, fail);
    });
    zip.readEntry();
  });
}

function tarType(entry: ReadEntry): ArchiveEntry['type'] {
  switch (entry.type) {
    case 'File': case 'OldFile': case 'ContiguousFile': return 'file';
    case 'Directory': case 'GNUDumpDir': return 'dir';
    case 'SymbolicLink': return 'symlink';
    case 'Link': return 'hardlink';
    case 'CharacterDevice': case 'BlockDevice': case 'FIFO': return 'device';
    default: return 'other';
  }
}

async function compressedSource(file: string, kind: ArchiveKind): Promise<ReadableType> {
  // xz decodes in a worker thread that destroying the stream terminates (see xz-worker.ts).
  if (kind === 'tar.xz') return xzDecodeStream(file);
  return createReadStream(file, { highWaterMark: 1 << 20 }); // the tar parser unzips gzip itself
}

/** The plain tar bytes of a tar, .tar.gz or .tar.xz file, decompressed as they stream. */
export async function tarBytes(file: string, kind: ArchiveKind): Promise<ReadableType> {
  const source = await compressedSource(file, kind);
  if (kind !== 'tar.gz') return source;
  // Big output chunks: a header scan does little per byte, so per-chunk overhead dominates.
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  source.on('error', (error) => gunzip.destroy(error));
  gunzip.on('close', () => source.destroy());
  return source.pipe(gunzip);
}

/** Calls `onAbort` once when `signal` aborts (at once if it already has); returns the unsubscribe. */
function onAborted(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

const cancelled = (): OntocatError => new OntocatError('CANCELLED', 'Ingest cancelled.');

/**
 * Reads a tar archive (plain, gzip or xz) entry by entry, in order, with backpressure.
 *
 * When the compressed stream fails (corrupt or truncated) or the signal aborts, every
 * entry still being read is failed too: a reader waiting for the rest of an entry's
 * bytes would otherwise wait forever, holding the writer queue.
 */
export async function readTar(file: string, kind: ArchiveKind, onEntry: EntryHandler, signal?: AbortSignal): Promise<void> {
  const { Parser } = await import('tar');
  const parser = new Parser({ strict: true });
  let failure: unknown = null;
  let chain = Promise.resolve();
  const unfinished = new Set<ReadEntry>();
  const source = await compressedSource(file, kind);
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  const fail = (error: unknown): void => {
    failure ??= error;
    for (const entry of unfinished) {
      try { entry.destroy(error as Error); } catch { /* no listener yet: the chain skips it */ }
    }
    unfinished.clear();
    source.destroy(error as Error);
    stop();
  };
  parser.on('entry', (entry: ReadEntry) => {
    unfinished.add(entry);
    entry.on('end', () => unfinished.delete(entry));
    entry.on('error', () => undefined); // reported through `failure`
    chain = chain.then(async () => {
      if (failure) { entry.resume(); return; }
      const type = tarType(entry);
      let opened = false;
      try {
        await onEntry({
          name: entry.path,
          type,
          linkTarget: entry.linkpath,
          mtimeMs: entry.mtime ? entry.mtime.getTime() : null,
          open: async () => { opened = true; return entry as unknown as ReadableType; },
        });
        if (!opened) entry.resume();
      } catch (error) {
        entry.resume();
        fail(error);
      }
    });
  });
  // node-tar skips a GNU sparse entry (type 'S') as unsupported: hand it on in order so
  // the rules refuse it instead of the file going missing unnoticed. PAX sparse entries
  // look like plain files to node-tar; the header scan, which runs first, refuses those.
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (entry.type !== 'SparseFile') return;
    chain = chain.then(async () => {
      if (failure) return;
      const open = async (): Promise<ReadableType> => { throw new OntocatError('BAD_INPUT', `The tar entry ${entry.path} is sparse; its data cannot be read.`); };
      try {
        await onEntry({ name: entry.path, type: 'sparse', mtimeMs: entry.mtime ? entry.mtime.getTime() : null, open });
      } catch (error) {
        fail(error);
      }
    });
  });
  const unsubscribe = onAborted(signal, () => fail(cancelled()));
  try {
    const piping = pipeline(source, parser as unknown as NodeJS.WritableStream);
    piping.catch(() => undefined);
    // A failure ends the wait too: once the whole file is read (a small archive is one
    // chunk), destroying the source changes nothing, and the parser, holding bytes for
    // entries nobody takes any more, never finishes (an entry's write hitting a full disk hung the ingest).
    await Promise.race([piping, stopped]);
  } catch (error) {
    fail(error);
  } finally {
    unsubscribe();
  }
  await chain;
  if (failure) throw corrupt(file, failure);
}

/** Reads a single gzip-compressed file as an archive of one entry (its name minus `.gz`). */
export async function readGzip(file: string, onEntry: EntryHandler, signal?: AbortSignal): Promise<void> {
  const base = path.basename(file).replace(/\.gz$/i, '') || 'data';
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip();
  const piping = pipeline(source, gunzip).catch((error: unknown) => { gunzip.destroy(error as Error); });
  const unsubscribe = onAborted(signal, () => source.destroy(cancelled()));
  try {
    await onEntry({ name: base, type: 'file', mtimeMs: null, open: async () => gunzip });
  } catch (error) {
    source.destroy();
    throw corrupt(file, error);
  } finally {
    unsubscribe();
    await piping;
  }
}

/** Reads any supported archive. */
export function readArchive(file: string, kind: ArchiveKind, onEntry: EntryHandler, signal?: AbortSignal): Promise<void> {
  if (kind === 'zip') return readZip(file, onEntry, signal);
  if (kind === 'gz') return readGzip(file, onEntry, signal);
  return readTar(file, kind, onEntry, signal);
}
