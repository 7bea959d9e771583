import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { OntocatError } from '../shared/errors.js';
import { UNICODE_PATH_FIELD, zipEntryName } from './zip-names.js';

/** One central directory record: what the zip says about an entry, data unread. */
export interface ZipRecord {
  /** The name as `zip-names` reads it, as extraction reads it too. */
  readonly fileName: string;
  readonly versionMadeBy: number;
  readonly externalFileAttributes: number;
  readonly uncompressedSize: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const MAX_EOCD_SEARCH = 22 + 0xffff;

/** The data of a record's Info-ZIP Unicode Path extra field, if it has one. */
function unicodePathOf(data: Buffer, at: number, nameLength: number, extraLength: number): Buffer | undefined {
  let extra = at + 46 + nameLength;
  const end = extra + extraLength;
  while (extra + 4 <= end) {
    const id = data.readUInt16LE(extra);
    const length = data.readUInt16LE(extra + 2);
    if (id === UNICODE_PATH_FIELD) return data.subarray(extra + 4, Math.min(extra + 4 + length, end));
    extra += 4 + length;
  }
  return undefined;
}

const bad = (message: string): OntocatError => new OntocatError('BAD_INPUT', message);

/** Where the central directory is and how many records it claims, from the end of the file. */
async function locateDirectory(file: string): Promise<{ offset: number; size: number; entries: number }> {
  const handle = await open(file, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const tailSize = Math.min(fileSize, MAX_EOCD_SEARCH);
    const tail = Buffer.alloc(tailSize);
    await handle.read(tail, 0, tailSize, fileSize - tailSize);
    let at = -1;
    for (let i = tailSize - 22; i >= 0; i -= 1) {
      if (tail.readUInt32LE(i) === EOCD) { at = i; break; }
    }
    if (at < 0) throw bad('end of central directory record signature not found (not a zip, or truncated)');
    let entries = tail.readUInt16LE(at + 10);
    let size = tail.readUInt32LE(at + 12);
    let offset = tail.readUInt32LE(at + 16);
    if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      const locatorAt = at - 20;
      if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR) throw bad('zip64 end of central directory locator not found');
      const recordOffset = Number(tail.readBigUInt64LE(locatorAt + 8));
      const record = Buffer.alloc(56);
      await handle.read(record, 0, 56, recordOffset);
      if (record.readUInt32LE(0) !== ZIP64_EOCD) throw bad('zip64 end of central directory record not found');
      entries = Number(record.readBigUInt64LE(32));
      size = Number(record.readBigUInt64LE(40));
      offset = Number(record.readBigUInt64LE(48));
    }
    if (offset + size > fileSize) throw bad('the central directory lies past the end of the file (truncated)');
    return { offset, size, entries };
  } finally {
    await handle.close();
  }
}

/** The uncompressed size, from the zip64 extra field when the record's own field is full. */
function uncompressedSizeOf(record: Buffer, at: number, nameLength: number, extraLength: number): number {
  const size = record.readUInt32LE(at + 24);
  if (size !== 0xffffffff) return size;
  let extra = at + 46 + nameLength;
  const end = extra + extraLength;
  while (extra + 4 <= end) {
    const id = record.readUInt16LE(extra);
    const length = record.readUInt16LE(extra + 2);
    if (id === 0x0001 && length >= 8) return Number(record.readBigUInt64LE(extra + 4));
    extra += 4 + length;
  }
  throw bad('a zip64 entry has no zip64 size');
}

/**
 * Streams a zip's central directory record by record, in big sequential reads.
 *
 * yauzl reads each record with its own small reads, which for a million entries is
 * minutes; the header check only needs names, types and sizes. The same checks run
 * again while extracting, on names read from yauzl's raw bytes the same way.
 */
export async function scanZipDirectory(file: string, onRecord: (record: ZipRecord) => void, signal?: AbortSignal): Promise<number> {
  const { offset, size, entries } = await locateDirectory(file);
  if (size === 0) return entries;
  let carry: Buffer = Buffer.alloc(0);
  let seen = 0;
  const stream = createReadStream(file, { start: offset, end: offset + size - 1, highWaterMark: 1 << 20, signal });
  for await (const chunk of stream) {
    const data: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let at = 0;
    while (at + 46 <= data.length) {
      if (data.readUInt32LE(at) !== CENTRAL) throw bad('a central directory record has a wrong signature (corrupt zip)');
      const nameLength = data.readUInt16LE(at + 28);
      const extraLength = data.readUInt16LE(at + 30);
      const commentLength = data.readUInt16LE(at + 32);
      const length = 46 + nameLength + extraLength + commentLength;
      if (at + length > data.length) break;
      const versionMadeBy = data.readUInt16LE(at + 4);
      onRecord({
        fileName: zipEntryName({
          raw: data.subarray(at + 46, at + 46 + nameLength),
          generalPurposeBitFlag: data.readUInt16LE(at + 8),
          versionMadeBy,
          unicodePath: unicodePathOf(data, at, nameLength, extraLength),
        }),
        versionMadeBy,
        externalFileAttributes: data.readUInt32LE(at + 38),
        uncompressedSize: uncompressedSizeOf(data, at, nameLength, extraLength),
      });
      seen += 1;
      at += length;
    }
    carry = Buffer.from(data.subarray(at));
  }
  if (carry.length > 0) throw bad('the central directory ends in the middle of a record (corrupt zip)');
  return seen;
}
