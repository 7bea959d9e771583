/** One block of tab-separated lines for `WriteTx.loadStagedBlocks`. */
export interface StagedBlock {
  /** The lines as UTF-8, each ending in a newline. */
  readonly data: Uint8Array;
  /** At least the bytes of the longest line, newline included (see `StagedBlockWriter.take`). */
  readonly longestLine: number;
}

const INITIAL_BYTES = 1 << 22;
/** UTF-16 units collected before they are encoded into the buffer in one call. */
const PENDING_UNITS = 1 << 16;

/**
 * Collects lines straight into a UTF-8 buffer, block by block.
 *
 * Concatenating a whole block as one JS string makes a rope of tens of thousands of
 * pieces, and encoding each line on its own pays a native call per line (about half of
 * building a 50k-row block). Lines are joined into runs of about 64k characters, each
 * encoded in one call: a small rope, flattened while it is still in cache.
 */
export class StagedBlockWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  private pending = '';
  private longest = 0;
  private count = 0;

  get rows(): number {
    return this.count;
  }

  add(line: string): void {
    this.pending += line;
    if (line.length > this.longest) this.longest = line.length;
    this.count += 1;
    if (this.pending.length >= PENDING_UNITS) this.encodePending();
  }

  private encodePending(): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; `write` would silently cut a line short.
    const room = this.pending.length * 3;
    if (this.buffer.length - this.length < room) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + room));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(this.pending, this.length);
    this.pending = '';
  }

  /**
   * The block so far; the writer starts a new one (the returned bytes stay valid).
   *
   * The longest line is given as its UTF-16 length times three, a bound on its UTF-8
   * bytes that needs no encoding per line to find.
   */
  take(): StagedBlock {
    this.encodePending();
    const block = { data: this.buffer.subarray(0, this.length), longestLine: this.longest * 3 };
    this.buffer = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, this.length));
    this.length = 0;
    this.longest = 0;
    this.count = 0;
    return block;
  }
}

/**
 * The CSV reader's `buffer_size` for a block whose longest line has at most `longestLine` bytes.
 *
 * Buffers well below a block's size let DuckDB parse one block on every core instead of one,
 * but each line must fit in a buffer with room to spare.
 */
export function csvBufferSize(longestLine: number): number {
  return Math.max(1 << 20, 4 * longestLine);
}

/**
 * Rows as staged blocks of `chunkRows` lines each (the last one shorter), lines made by
 * `lineOf` as the rows are read: what a bulk write hands to `WriteTx.loadStagedFile`.
 */
export function* stagedBlocks<T>(rows: Iterable<T>, lineOf: (row: T) => string, chunkRows: number): Generator<StagedBlock> {
  const writer = new StagedBlockWriter();
  for (const row of rows) {
    writer.add(lineOf(row));
    if (writer.rows === chunkRows) yield writer.take();
  }
  if (writer.rows > 0) yield writer.take();
}

/**
 * DuckDB's CSV reader over a staged file (the parameter `$staged`): tab-separated, no
 * quoting or escapes, no header, the given columns (name to SQL type) in line order, in
 * buffers sized for lines of at most `longestLine` bytes. An empty field reads as NULL.
 */
export function stagedFileSql(longestLine: number, columns: Readonly<Record<string, string>>): string {
  const listed = Object.entries(columns).map(([name, type]) => `'${name}': '${type}'`).join(', ');
  return `read_csv($staged, delim = '\t', quote = '', escape = '', header = false, auto_detect = false,
                     buffer_size = ${csvBufferSize(longestLine)}, columns = {${listed}})`;
}
