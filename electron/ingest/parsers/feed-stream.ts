import { once } from 'node:events';
import type { Duplex } from 'node:stream';

/**
 * Feeds chunks through a parser stream, handing each item it gives to `onItem`.
 *
 * Resolves when the parser has ended; rejects with the parser's first error, or with an
 * error of the chunks themselves (an I/O error, a cancelled read), after destroying the
 * parser. This is stream/promises' pipeline without its per-call machinery: an abort
 * controller aborted at every finish (a DOMException with a stack each time), and
 * end-of-stream listeners on three streams. For a file of a few kilobytes that cost
 * several times the parse itself (measured 2026-12-03 on 20,000 N-Triples files).
 */
export async function feedStream<T>(parser: Duplex, chunks: AsyncIterable<Buffer>, onItem: (item: T) => void): Promise<void> {
  let failed = false;
  const ended = new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    parser.once('error', (error) => {
      failed = true;
      reject(error);
    });
  });
  // Awaited below; this only keeps an early rejection from counting as unhandled meanwhile.
  ended.catch(() => undefined);
  parser.on('data', onItem);
  try {
    for await (const chunk of chunks) {
      if (failed) break;
      if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), ended]);
    }
  } catch (error) {
    parser.destroy();
    // The parser failed on what it was given before the chunks did (a syntax error before a
    // byte the reader refuses): its error came first in the document, so it is the one.
    if (failed) await ended;
    throw error;
  }
  if (!failed) parser.end();
  await ended;
}
