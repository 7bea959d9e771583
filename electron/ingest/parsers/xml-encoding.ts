import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { readChunks } from './read-chunks.js';
import { placeOfByte, Utf8Check } from './utf8-check.js';
import type { ParseControl } from './parse-types.js';

/**
 * XML documents in the encoding they declare.
 *
 * Every other format is UTF-8 by its specification, but an XML document may declare
 * another encoding (`<?xml version="1.0" encoding="ISO-8859-1"?>`) or start with a UTF-16
 * byte order mark; older ontologies do both. Read as UTF-8, their labels lost every
 * accented letter to U+FFFD.
 */

/**
 * Thrown when a document declares an encoding no decoder here reads, or holds bytes that are
 * not in the encoding it is read in: a syntax problem of the file, at `line` (and `col`).
 */
export class XmlEncodingProblem extends Error {
  constructor(message: string, readonly line = 1, readonly col: number | null = null) {
    super(message);
  }
}

/** Labels that read as UTF-8 unchanged. */
const UTF8_LABELS = new Set(['utf-8', 'utf8']);

/**
 * Labels of US-ASCII: read as UTF-8 too (a subset), but held to seven bits. WHATWG's
 * decoders take these labels for windows-1252, which would read any byte as some letter.
 */
const ASCII_LABELS = new Set(['us-ascii', 'ascii']);

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
  if (label === null || UTF8_LABELS.has(label) || ASCII_LABELS.has(label)) return null;
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
 * Where the document read as UTF-8 (no declaration, or one naming UTF-8 or US-ASCII) first
 * holds a byte outside that encoding, chunk by chunk: XML 1.0 §4.3.3 makes such a byte a
 * fatal error (xmllint and expat refuse the document there), as the RDF text syntaxes and
 * JSON make theirs; OBO and delimited text only get a WARN. Native checks do the work; the
 * bytes are walked only to name the place.
 */
class HeldToEncoding {
  private readonly utf8 = new Utf8Check();
  private offset = 0;

  constructor(private readonly filePath: string, private readonly ascii: boolean) {}

  /** The bytes of `chunk` before its first one outside the encoding, and the problem there (null when none). */
  check(chunk: Buffer): { valid: Buffer; problem: Promise<XmlEncodingProblem> | null } {
    const start = this.offset;
    this.offset += chunk.length;
    let at = -1;
    if (this.ascii) {
      if (!isAscii(chunk)) at = start + chunk.findIndex((byte) => byte >= 0x80);
    } else {
      this.utf8.add(chunk);
      at = this.utf8.invalidAt ?? -1;
    }
    if (at < 0) return { valid: chunk, problem: null };
    return { valid: chunk.subarray(0, Math.max(0, at - start)), problem: this.problemAt(at) };
  }

  /** The end of the document: a UTF-8 character cut short by it is not UTF-8 either. */
  finish(): Promise<XmlEncodingProblem> | null {
    const at = this.ascii ? null : this.utf8.finish();
    return at === null ? null : this.problemAt(at);
  }

  /** The problem at byte `at` of the file, its line and column found by reading up to it again (only ever on failure). */
  private async problemAt(at: number): Promise<XmlEncodingProblem> {
    const { line, col, byte } = await placeOfByte(this.filePath, at);
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    return new XmlEncodingProblem(this.ascii
      ? `Byte ${hex} at byte ${at} is not US-ASCII, the encoding the document declares; declare the encoding it is in (encoding="UTF-8" or "ISO-8859-1").`
      : `The document is not UTF-8 at byte ${at} (${hex}), and XML without an encoding declaration or declaring UTF-8 must be; declare the encoding it is in (encoding="ISO-8859-1") or save it as UTF-8.`,
    line, col);
  }
}

/**
 * Streams an XML file as UTF-8 Buffers: unchanged when it is UTF-8 (held to it), else decoded
 * from the encoding it declares. The UTF-8 check of `control` is told either way: bytes of a
 * declared encoding are not bad UTF-8, and bad bytes of a UTF-8 document are its syntax error.
 */
export async function* readXmlChunks(filePath: string, control: ParseControl = {}): AsyncGenerator<Buffer> {
  let decoder: TextDecoder | null | undefined;
  let held: HeldToEncoding | null = null;
  for await (const chunk of readChunks(filePath, control)) {
    if (decoder === undefined) {
      try {
        decoder = xmlDecoderFor(chunk);
      } catch (error) {
        // Not read at all: its bytes are in the encoding it names, not bad UTF-8 (the syntax error says why).
        if (error instanceof XmlEncodingProblem) control.utf8?.readAs(declaredXmlEncoding(chunk) ?? 'undeclared');
        throw error;
      }
      if (decoder) control.utf8?.readAs(decoder.encoding);
      else {
        const label = declaredXmlEncoding(chunk);
        held = new HeldToEncoding(filePath, label !== null && ASCII_LABELS.has(label) && !(chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf));
        control.utf8?.readAs(label ?? 'utf-8');
      }
    }
    if (decoder) {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield Buffer.from(text, 'utf8');
    } else if (held) {
      const { valid, problem } = held.check(chunk);
      // What comes before the bad byte is parsed first: an earlier syntax error is the first error.
      if (valid.length > 0) yield valid;
      if (problem) throw await problem;
    }
  }
  const cut = held?.finish();
  if (cut) throw await cut;
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
