import { isUtf8 } from 'node:buffer';

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
