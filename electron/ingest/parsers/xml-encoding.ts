import { TextDecoder } from 'node:util';
import { readChunks } from './read-chunks.js';
import type { ParseControl } from './parse-types.js';

/**
 * XML documents in the encoding they declare.
 *
 * Every other format is UTF-8 by its specification, but an XML document may declare
 * another encoding (`<?xml version="1.0" encoding="ISO-8859-1"?>`) or start with a UTF-16
 * byte order mark; older ontologies do both. Read as UTF-8, their labels lost every
 * accented letter to U+FFFD.
 */

/** Thrown when a document declares an encoding no decoder here reads: a syntax problem of the file. */
export class XmlEncodingProblem extends Error {}

/** Labels that read as UTF-8 unchanged (ASCII is a subset). */
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** The encoding an XML declaration names, lower-cased, or null when there is none. */
export function declaredXmlEncoding(head: Uint8Array): string | null {
  // The declaration is ASCII in every ASCII-compatible encoding: latin1 maps bytes one to one.
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 512)).toString('latin1').replace(/^\xEF\xBB\xBF/, '');
  return /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']/.exec(text)?.[1]?.toLowerCase() ?? null;
}

/**
 * The decoder a document's first bytes call for, or null when it is UTF-8 (read as it is).
 * A byte order mark decides before the declaration, as XML 1.0 appendix F says.
 */
export function xmlDecoderFor(head: Uint8Array): TextDecoder | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return null;
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le');
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be');
  const label = declaredXmlEncoding(head);
  if (label === null || UTF8_LABELS.has(label)) return null;
  if (label.startsWith('utf-16')) {
    throw new XmlEncodingProblem(`The document declares the encoding '${label}' but has no UTF-16 byte order mark; its bytes cannot be told apart.`);
  }
  try {
    return new TextDecoder(label);
  } catch {
    throw new XmlEncodingProblem(`The document declares the encoding '${label}', which Ontocat cannot read.`);
  }
}

/**
 * Streams an XML file as UTF-8 Buffers: unchanged when it is UTF-8, else decoded from the
 * encoding it declares. The UTF-8 check of `control` is told, so bytes of a declared
 * encoding are not reported as bad UTF-8.
 */
export async function* readXmlChunks(filePath: string, control: ParseControl = {}): AsyncGenerator<Buffer> {
  let decoder: TextDecoder | null | undefined;
  for await (const chunk of readChunks(filePath, control)) {
    if (decoder === undefined) {
      decoder = xmlDecoderFor(chunk);
      if (decoder) control.utf8?.readAs(decoder.encoding);
    }
    if (decoder === null) yield chunk;
    else {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield Buffer.from(text, 'utf8');
    }
  }
  const tail = decoder?.decode() ?? '';
  if (tail.length > 0) yield Buffer.from(tail, 'utf8');
}

/** The same as text: what an XML tokenizer is written. */
export async function* readXmlTextChunks(filePath: string, control: ParseControl = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for await (const chunk of readXmlChunks(filePath, control)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}
