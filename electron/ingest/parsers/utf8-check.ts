import { isUtf8 } from 'node:buffer';
import { readChunks } from './read-chunks.js';

/** Where the first byte that is not UTF-8 is in `bytes`, or -1 (a sequence cut at the end counts as bad). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k += 1) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF.
    const second = bytes[i + 1] ?? 0;
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second >= 0xa0) || (lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second >= 0x90)) return i;
    i += length;
  }
  return -1;
}

/**
 * Checks a file's bytes as UTF-8, chunk by chunk, carrying a character split between two
 * chunks over to the next. Native `isUtf8` does the work; the byte loop runs only to name
 * where a chunk that failed goes wrong.
 */
export class Utf8Check {
  private carry: Uint8Array = new Uint8Array(0);
  private offset = 0;
  /** The offset of the first byte that is not UTF-8, once one is seen. */
  invalidAt: number | null = null;
  /** The encoding the file declares instead (an XML declaration), when it is not UTF-8. */
  private declared: string | null = null;

  /** The file is read in an encoding it declares: its bytes are not held to UTF-8. */
  readAs(encoding: string): void {
    this.declared = encoding;
  }

  add(chunk: Uint8Array): void {
    if (this.invalidAt !== null || this.declared !== null) return;
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    // A character cut at the end of the chunk (at most three bytes of it) waits for the next.
    let end = bytes.length;
    for (let back = 1; back <= 3 && back <= bytes.length; back += 1) {
      const byte = bytes[bytes.length - back]!;
      if ((byte & 0xc0) === 0x80) continue;
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      if (length > back) end = bytes.length - back;
      break;
    }
    const whole = bytes.subarray(0, end);
    if (!isUtf8(whole)) this.invalidAt = this.offset + Math.max(0, firstInvalidUtf8(whole));
    this.offset += end;
    this.carry = bytes.slice(end);
  }

  /** The end of the file: a character left cut short is not UTF-8 either. */
  finish(): number | null {
    if (this.declared !== null) return null;
    if (this.invalidAt === null && this.carry.length > 0) this.invalidAt = this.offset;
    return this.invalidAt;
  }
}

/** The longest line head read again to name a column in characters. */
const MAX_COLUMN_BYTES = 1 << 20;

/** Where byte `at` of a file is: its line, its column in characters (null past a megabyte of line), and the byte. */
export interface PlaceOfByte {
  readonly line: number;
  readonly col: number | null;
  readonly byte: number;
}

/**
 * The line and column of byte `at` of a file, found by reading up to it again: only ever
 * called on failure, so the file's normal read keeps no line count for it.
 */
export async function placeOfByte(filePath: string, at: number): Promise<PlaceOfByte> {
  let line = 1;
  let lineStart = 0;
  // The bytes of the line before `at`, for its column: none kept past a megabyte (a document on one line).
  let lineHead: Buffer[] | null = [];
  let read = 0;
  let byte = 0;
  for await (const chunk of readChunks(filePath)) {
    const end = Math.min(chunk.length, at - read);
    let from = 0;
    for (let i = chunk.indexOf(10, 0); i >= 0 && i < end; i = chunk.indexOf(10, i + 1)) {
      line += 1;
      lineStart = read + i + 1;
      from = i + 1;
      lineHead = [];
    }
    if (end < chunk.length) {
      byte = chunk[end]!;
      lineHead?.push(chunk.subarray(from, end));
      break;
    }
    lineHead?.push(chunk.subarray(from));
    if (read + chunk.length - lineStart > MAX_COLUMN_BYTES) lineHead = null;
    read += chunk.length;
  }
  const head = lineHead ? Buffer.concat(lineHead) : null;
  // The column in characters, as a parser counts them (the line's bytes before `at` are valid UTF-8).
  const col = head && firstInvalidUtf8(head) < 0 ? head.toString('utf8').length + 1 : null;
  return { line, col, byte };
}
