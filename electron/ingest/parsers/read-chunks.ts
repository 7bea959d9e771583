import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { NotAFileError } from '../../storage/file-hash.js';
import { open } from 'node:fs/promises';
import { ParseAborted, type ParseControl } from './parse-types.js';

/** Read size per chunk: large enough for throughput, small enough to keep memory flat. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Streams a file as Buffers of at most CHUNK_BYTES, reporting bytes and honouring the
 * abort signal between chunks. Memory stays bounded whatever the file size.
 *
 * Each read asks for what is left by fstat's size plus one byte (at most CHUNK_BYTES), so
 * a small file is one exact-size buffer from one read: a stream's fresh 1 MB buffer per
 * read made most of a validation run's garbage and page faults on many small files.
 */
export async function* readChunks(filePath: string, control: ParseControl = {}): AsyncGenerator<Buffer> {
  const small = readSmallChunk(filePath, control);
  if (small) {
    if (small.length > 0) yield small;
    return;
  }
  const handle = await open(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotAFileError(filePath);
    const { size } = stats;
    let position = 0;
    for (;;) {
      if (control.signal?.aborted) throw new ParseAborted();
      const length = Math.min(CHUNK_BYTES, Math.max(size - position, 0) + 1);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const chunk = bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
      report(control, chunk, position - bytesRead);
      yield chunk;
      // A short read past the size fstat gave is the end (one read for a small file).
      if (bytesRead < length && position >= size) break;
    }
  } finally {
    await handle.close();
  }
}

/**
 * The whole of a file of at most SMALL_FILE_BYTES, read as `readChunks` reads it (abort
 * check, byte count, UTF-8 check) but without its async generator; null for a larger file,
 * which the caller then streams with `readChunks`.
 */
export function readSmallChunk(filePath: string, control: ParseControl = {}): Buffer | null {
  if (control.signal?.aborted) throw new ParseAborted();
  const small = readSmallFile(filePath);
  if (small && small.length > 0) report(control, small, 0);
  return small;
}

/** Counts and checks the part of `chunk` (at `start` in the file) past `control.reportedBytes`. */
function report(control: ParseControl, chunk: Buffer, start: number): void {
  const skip = Math.max(0, Math.min(chunk.length, (control.reportedBytes ?? 0) - start));
  if (skip === chunk.length) return;
  const fresh = skip === 0 ? chunk : chunk.subarray(skip);
  control.onBytes?.(fresh.length);
  control.utf8?.add(fresh);
}

/** Files up to this size are read whole, synchronously (see readSmallFile). */
export const SMALL_FILE_BYTES = 64 * 1024;

/**
 * The whole content of a file of at most SMALL_FILE_BYTES, read synchronously; null when
 * the file is larger (the caller streams it).
 *
 * Most files of a large package are a few hundred bytes. Through fs/promises each costs
 * four thread-pool round trips (open, fstat, read, close) that two validation workers
 * queue on the same four pool threads, which is why a second worker made a run of 11,000
 * small files no faster. Read here, a small file costs four plain system calls on the
 * calling thread, which blocks it for about as long as one round trip would.
 */
function readSmallFile(filePath: string): Buffer | null {
  // Without blocking: a FIFO in a file's place fails here at once instead of waiting for a writer.
  const fd = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotAFileError(filePath);
    const { size } = stat;
    if (size > SMALL_FILE_BYTES) return null;
    // One byte more than fstat gave tells a file that grew since from one that did not.
    let buffer = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > SMALL_FILE_BYTES) return null;
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const wanted = buffer.length - length;
      const bytesRead = readSync(fd, buffer, length, wanted, length);
      length += bytesRead;
      // A short read at or past fstat's size is the end: one read for a file that kept its size.
      if (bytesRead === 0 || (bytesRead < wanted && length >= size)) break;
    }
    return length === buffer.length ? buffer : buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Streams a file as UTF-8 text chunks (multi-byte characters never split; a BOM is dropped). */
export async function* readTextChunks(filePath: string, control: ParseControl = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for await (const chunk of readChunks(filePath, control)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}

/** Line and column (1-based) of the character at `index` in `text`, counting from a known start. */
export function positionIn(text: string, index: number, startLine = 1, startCol = 1): { line: number; col: number } {
  let line = startLine;
  let col = startCol;
  for (let i = 0; i < index && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      col = 1;
    } else {
      col += 1;
    }
  }
  return { line, col };
}
