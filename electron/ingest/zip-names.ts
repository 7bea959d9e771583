import { crc32 } from 'node:zlib';
import { strictUtf8, utf8EntryName } from './archive-name-text.js';

/** What a zip record says about its name: the raw bytes and what tells how to read them. */
export interface ZipNameFields {
  readonly raw: Buffer;
  readonly generalPurposeBitFlag: number;
  readonly versionMadeBy: number;
  /** The data of an Info-ZIP Unicode Path extra field (0x7075), when the record has one. */
  readonly unicodePath?: Buffer;
}

/** General purpose bit 11: the name (and comment) are UTF-8. */
const UTF8_FLAG = 0x800;

/** The Info-ZIP Unicode Path extra field's id. */
export const UNICODE_PATH_FIELD = 0x7075;

/**
 * "Version made by" hosts whose tools write an unflagged name in a DOS code page: MS-DOS
 * and FAT (0), OS/2 HPFS (6), Windows NTFS (11), VFAT (14) — Windows' own "compressed
 * folder" among them. Everywhere else (Unix 3, OS X 19, …) an unflagged name is the
 * system's bytes, which today means UTF-8: Info-ZIP on Linux writes `café` unflagged.
 */
const DOS_HOSTS = new Set([0, 6, 11, 14]);

/** Code page 437, the zip format's default name encoding (the table yauzl uses). */
const CP437 = '\u0000☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼ !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~⌂ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■ ';

function cp437(raw: Buffer): string {
  let name = '';
  for (const byte of raw) name += CP437[byte];
  return name;
}

/** The Unicode Path field's name, when it is version 1 and its CRC matches the raw name. */
function unicodePathName(field: Buffer | undefined, raw: Buffer): string | null {
  // Version (1 byte), CRC-32 of the raw name (4), the UTF-8 name; on a CRC mismatch the
  // field is stale (the name was changed by a tool that did not know it) and is ignored.
  if (field === undefined || field.length < 6 || field[0] !== 1 || field.readUInt32LE(1) !== crc32(raw)) return null;
  return utf8EntryName(field.subarray(5));
}

function decode(fields: ZipNameFields): string {
  const { raw } = fields;
  const unicode = unicodePathName(fields.unicodePath, raw);
  if (unicode !== null) return unicode;
  if ((fields.generalPurposeBitFlag & UTF8_FLAG) !== 0) return utf8EntryName(raw);
  // Unflagged: valid UTF-8 is taken as UTF-8 from any host. A real CP437 name is almost
  // never valid UTF-8 (that needs a box-drawing byte followed by an accented letter).
  const utf8 = strictUtf8(raw);
  if (utf8 !== null) return utf8;
  if (DOS_HOSTS.has(fields.versionMadeBy >> 8)) return cp437(raw);
  // A Unix zip's Latin-1 `caf\xe9.txt`: refused by its bytes, as tar and folder ingest do.
  return utf8EntryName(raw);
}

/**
 * A zip entry's name as text, read the same way by the header scan and by extraction.
 *
 * The Info-ZIP Unicode Path field when valid; else UTF-8 when flagged (strictly valid, or
 * refused); else UTF-8 when the bytes are valid UTF-8; else CP437 for a zip made on DOS or
 * Windows; else refused, named by its bytes. Backslashes become slashes, as yauzl makes them.
 */
export function zipEntryName(fields: ZipNameFields): string {
  return decode(fields).replace(/\\/g, '/');
}
