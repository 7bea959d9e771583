import { closeSync, openSync, readSync } from 'node:fs';
import type { ArchiveKind } from './archive-readers.js';

/**
 * The archive kind a file's first bytes show, where its name says another of ours.
 *
 * GNU tar reads a gzip file named `.tar`, or a plain tar named `.tar.gz`, by its bytes; read
 * by the name, they failed with "a tar header has a wrong checksum" or "incorrect header
 * check", which send a curator looking for a damaged download. Only the magic numbers
 * decide (gzip 1f 8b, xz FD 37 7A 58 5A 00, zip PK 03 04, POSIX tar's `ustar` at offset
 * 257); a file that shows none of them is read as named, and its own error stands.
 */
export function archiveKindOfBytes(file: string, named: ArchiveKind): ArchiveKind {
  const head = Buffer.alloc(512);
  const fd = openSync(file, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, length);
  const tarLike = named === 'tar' || named === 'tar.gz' || named === 'tar.xz';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return named === 'tar' || named === 'tar.xz' ? 'tar.gz' : named;
  if (bytes.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return tarLike ? 'tar.xz' : named;
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return tarLike ? 'zip' : named;
  if (bytes.subarray(257, 262).toString('latin1') === 'ustar') return tarLike ? 'tar' : named;
  return named;
}
