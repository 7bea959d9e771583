import { Writable } from 'node:stream';
import { OntocatError } from '../shared/errors.js';
import { utf8EntryName } from './archive-name-text.js';

/** One tar entry as its headers describe it (pax and GNU long names applied); data never read. */
export interface TarHeader {
  readonly name: string;
  /** The raw type flag: '0' file, '1' hard link, '2' symlink, '5' folder, … */
  readonly typeflag: string;
  readonly size: number;
  readonly linkTarget: string;
  /**
   * A GNU sparse file (`tar --sparse`): type 'S' (GNU and old GNU formats) or GNU.sparse.*
   * pax keys (formats 0.0, 0.1, 1.0). Its data is a packed form (1.0: a map, then the data
   * runs), not the file's bytes, and in 1.0 its header name is `…/GNUSparseFile.N/name`;
   * `name` is the real one (GNU.sparse.name) when the archive gives it.
   */
  readonly sparse: boolean;
}

const BLOCK = 512;
/** Pax and GNU long-name records are small; a huge one is an attack on memory. */
const MAX_META_BYTES = 1 << 20;

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return utf8EntryName(block.subarray(start, end === -1 || end > start + length ? start + length : end));
}

/** The entry name a header block holds itself: the name field, after a ustar prefix. */
function headerName(block: Buffer): string {
  const name = cString(block, 0, 100);
  // POSIX ustar keeps a path prefix apart from the name.
  if (block.toString('latin1', 257, 263) === 'ustar\0') {
    const prefix = cString(block, 345, block[475] !== 0 ? 155 : 130);
    if (prefix !== '') return `${prefix}/${name}`;
  }
  return name;
}

function octalField(block: Buffer, start: number, length: number): number {
  // GNU base-256: the high bit of the first byte marks a big-endian binary number.
  if (block[start]! & 0x80) {
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i += 1) value = value * 256 + block[i]!;
    return value;
  }
  const text = block.toString('latin1', start, start + length).replace(/[\0 ]+$/g, '').replace(/^[\0 ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return Number.NaN;
  return parseInt(text, 8);
}

function checksumValid(block: Buffer): boolean {
  const stored = octalField(block, 148, 8);
  let sum = 8 * 0x20; // the checksum field counts as spaces
  for (let i = 0; i < 148; i += 1) sum += block[i]!;
  for (let i = 156; i < BLOCK; i += 1) sum += block[i]!;
  return sum === stored;
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 1) if (block[i] !== 0) return false;
  return true;
}

/** Reads `path`, `linkpath` and `size` from pax extended header records (`len key=value\n`). */
function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(data.toString('latin1', at, space));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) break;
    const record = data.subarray(space + 1, at + length - 1);
    const eq = record.indexOf(0x3d);
    if (eq > 0) {
      const key = record.toString('utf8', 0, eq);
      // Other records may hold bytes (SCHILY.xattr.*); a path must be text.
      const isPath = key === 'path' || key === 'linkpath' || key === 'GNU.sparse.name';
      out.set(key, isPath ? utf8EntryName(record.subarray(eq + 1)) : record.toString('utf8', eq + 1));
    }
    at += length;
  }
  return out;
}

/**
 * A writable that reads tar headers and skips every entry's data, in constant memory.
 *
 * It calls `onHeader` once per real entry, in order, so that every limit can be judged
 * before anything is extracted. A throw from `onHeader` fails the stream (and with it
 * the pipeline feeding it). Corrupt headers (bad checksum, bad size) fail as BAD_INPUT.
 */
export class TarHeaderScanner extends Writable {
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Bytes of data (plus padding) still to skip. */
  private skip = 0;
  /** A pax or GNU long-name record being collected, then its padding to skip. */
  private meta: { kind: string; data: Buffer; fill: number; padding: number } | null = null;
  private pending: { path?: string; linkpath?: string; size?: number; sparse?: boolean; sparseName?: string } = {};
  /**
   * After an old GNU sparse header whose map did not fit: the data bytes (plus padding) to
   * skip once its extension blocks end. Those blocks sit between the header and the data
   * and are counted in no size field; each says in its byte 504 whether another follows.
   */
  private sparseData: number | null = null;
  private zeroBlocks = 0;
  private ended = false;

  constructor(private readonly onHeader: (header: TarHeader) => void) {
    super({ highWaterMark: 1 << 20 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.ended && (this.skip > 0 || this.meta !== null || this.headerFill > 0 || this.sparseData !== null)) {
      callback(new OntocatError('BAD_INPUT', 'the tar data ends in the middle of an entry (truncated archive)'));
      return;
    }
    callback();
  }

  private consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.meta) {
        const { data } = this.meta;
        if (this.meta.fill < data.length) {
          const n = Math.min(data.length - this.meta.fill, chunk.length - at);
          chunk.copy(data, this.meta.fill, at, at + n);
          this.meta.fill += n;
          at += n;
          continue;
        }
        this.finishMeta();
        continue;
      }
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(BLOCK - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + n);
      this.headerFill += n;
      at += n;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.readHeader(this.header);
      }
    }
    if (this.meta && this.meta.fill === this.meta.data.length) this.finishMeta();
  }

  private finishMeta(): void {
    const meta = this.meta!;
    this.meta = null;
    this.skip = meta.padding;
    if (meta.kind === 'x') {
      const pax = parsePax(meta.data);
      if (pax.has('path')) this.pending.path = pax.get('path')!;
      if (pax.has('linkpath')) this.pending.linkpath = pax.get('linkpath')!;
      if (pax.has('size')) this.pending.size = Number(pax.get('size'));
      if ([...pax.keys()].some((key) => key.startsWith('GNU.sparse.'))) this.pending.sparse = true;
      if (pax.has('GNU.sparse.name')) this.pending.sparseName = pax.get('GNU.sparse.name')!;
    } else if (meta.kind === 'L') {
      this.pending.path = cString(meta.data, 0, meta.data.length);
    } else if (meta.kind === 'K') {
      this.pending.linkpath = cString(meta.data, 0, meta.data.length);
    }
  }

  private readHeader(block: Buffer): void {
    if (this.sparseData !== null) {
      if (block[504] === 0) {
        this.skip = this.sparseData;
        this.sparseData = null;
      }
      return;
    }
    if (isZeroBlock(block)) {
      // Two zero blocks end the archive; whatever follows is padding.
      this.zeroBlocks += 1;
      if (this.zeroBlocks >= 2) this.ended = true;
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumValid(block)) throw new OntocatError('BAD_INPUT', 'a tar header has a wrong checksum (corrupt or not a tar archive)');
    let typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
    const headerSize = octalField(block, 124, 12);
    if (!Number.isFinite(headerSize) || headerSize < 0) throw new OntocatError('BAD_INPUT', 'a tar header has an unreadable size');
    const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === 'x' || typeflag === 'L' || typeflag === 'K') {
      if (headerSize > MAX_META_BYTES) throw new OntocatError('BAD_INPUT', `a tar extended header of ${headerSize} bytes is larger than any real one`);
      this.meta = { kind: typeflag, data: Buffer.alloc(headerSize), fill: 0, padding: padded(headerSize) - headerSize };
      return;
    }
    if (typeflag === 'g') {
      this.skip = padded(headerSize);
      return;
    }
    const sparse = typeflag === 'S' || this.pending.sparse === true;
    // The name field is read only when no long-name or pax record replaces it: a long name
    // is cut there at byte 100, mid-character for UTF-8, and would be refused as not UTF-8.
    const path = (sparse ? this.pending.sparseName : undefined) ?? this.pending.path ?? headerName(block);
    // As node-tar (which extracts) reads it: old tars mark folders by a trailing slash,
    // and a folder has no body whatever its size field says.
    if (typeflag === '0' && path.endsWith('/')) typeflag = '5';
    const size = typeflag === '5' ? 0 : this.pending.size ?? headerSize;
    if (!Number.isSafeInteger(size) || size < 0) throw new OntocatError('BAD_INPUT', 'a tar entry has an unreadable size');
    const header: TarHeader = { name: path, typeflag, size, linkTarget: this.pending.linkpath ?? cString(block, 157, 100), sparse };
    this.pending = {};
    this.onHeader(header);
    // Old GNU sparse: byte 482 says extension blocks of the map follow before the data.
    if (typeflag === 'S' && block[482] !== 0) this.sparseData = padded(size);
    else this.skip = padded(size);
  }
}
