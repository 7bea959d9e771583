import { createReadStream } from 'node:fs';
import { ParseAborted, type ParseControl } from './parse-types.js';

/** Read size per chunk: large enough for throughput, small enough to keep memory flat. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Streams a file as Buffers of at most CHUNK_BYTES, reporting bytes and honouring the
 * abort signal between chunks. Memory stays bounded whatever the file size.
 */
export async function* readChunks(filePath: string, control: ParseControl = {}): AsyncGenerator<Buffer> {
  const stream = createReadStream(filePath, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream) {
      if (control.signal?.aborted) throw new ParseAborted();
      const buffer = chunk as Buffer;
      control.onBytes?.(buffer.length);
      yield buffer;
    }
  } finally {
    stream.destroy();
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
