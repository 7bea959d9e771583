import { closeSync, openSync, readSync } from 'node:fs';

/** One line of a stored file, as text, possibly cut short. */
export interface StoredLine {
  /** 1-based line number. */
  readonly number: number;
  readonly text: string;
  /** The line was longer than the kept width; `text` holds its start. */
  readonly truncated: boolean;
  /** Full length of the line in bytes (without its line break). */
  readonly bytes: number;
}

export interface LinesAround {
  readonly lines: readonly StoredLine[];
  /** The file holds a NUL byte in its first block: it is binary, and no lines are shown. */
  readonly binary: boolean;
  /** The file ended before the asked line. */
  readonly past_end: boolean;
  /** The scan stopped at `maxScanBytes` before reaching the asked line. */
  readonly scan_limited: boolean;
}

export interface LinesAroundOptions {
  /** Lines before and after `line`. */
  readonly context: number;
  /** Bytes kept of one line; the rest is counted, not kept (default 2000). */
  readonly maxLineBytes?: number;
  /** Bytes read at most while looking for the lines (default 1 GiB). */
  readonly maxScanBytes?: number;
  /** Read block size (default 256 KiB). */
  readonly blockBytes?: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Reads lines `line - context` … `line + context` of a file, streaming it block by block.
 *
 * Memory is bounded whatever the file: only the lines in the window are kept, each cut to
 * `maxLineBytes` (a minified file with one 100 MB line costs 2 KB), and the scan gives up
 * after `maxScanBytes`. A file with a NUL byte in its first block is reported as binary.
 * Bytes are decoded as UTF-8 (invalid sequences become U+FFFD); a line ends at LF, and a
 * CR before it is dropped.
 */
export function readLinesAround(file: string, line: number, options: LinesAroundOptions): LinesAround {
  const maxLine = options.maxLineBytes ?? 2000;
  const maxScan = options.maxScanBytes ?? 1024 * 1024 * 1024;
  const block = Buffer.allocUnsafe(options.blockBytes ?? 256 * 1024);
  const first = Math.max(1, line - options.context);
  const last = line + options.context;
  const lines: StoredLine[] = [];
  const fd = openSync(file, 'r');
  try {
    let number = 1;
    // The current line's kept bytes (only while it is in the window) and its full length.
    let kept: Buffer[] = [];
    let keptBytes = 0;
    let length = 0;
    let scanned = 0;
    let firstBlock = true;
    const finish = (): void => {
      if (number >= first && number <= last) {
        let bytes = Buffer.concat(kept, keptBytes);
        let full = length;
        if (full <= maxLine && bytes.at(-1) === CARRIAGE_RETURN) { bytes = bytes.subarray(0, -1); full -= 1; }
        lines.push({ number, text: bytes.toString('utf8'), truncated: full > maxLine, bytes: full });
      }
      number += 1;
      kept = [];
      keptBytes = 0;
      length = 0;
    };
    for (;;) {
      if (scanned >= maxScan) return { lines, binary: false, past_end: false, scan_limited: true };
      const read = readSync(fd, block, 0, Math.min(block.length, maxScan - scanned), null);
      if (read === 0) break;
      scanned += read;
      if (firstBlock) {
        firstBlock = false;
        if (block.subarray(0, read).includes(0)) return { lines: [], binary: true, past_end: false, scan_limited: false };
      }
      let start = 0;
      while (start < read) {
        const end = block.indexOf(NEWLINE, start);
        const stop = end === -1 || end >= read ? read : end;
        const piece = stop - start;
        if (number >= first && number <= last && keptBytes < maxLine) {
          const take = Math.min(piece, maxLine - keptBytes);
          kept.push(Buffer.from(block.subarray(start, start + take)));
          keptBytes += take;
        }
        length += piece;
        if (stop === read) break;
        finish();
        if (number > last) return { lines, binary: false, past_end: false, scan_limited: false };
        start = stop + 1;
      }
    }
    // The last line has no line break (or the file is empty).
    if (length > 0) finish();
    return { lines, binary: false, past_end: lines.every((l) => l.number < line), scan_limited: false };
  } finally {
    closeSync(fd);
  }
}
