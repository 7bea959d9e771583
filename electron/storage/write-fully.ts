/**
 * Writes a whole buffer to an open file, however few bytes each write takes.
 *
 * `FileHandle.write` is one write(2): when a file system is nearly full it may store part
 * of the buffer and report how much without an error (a tmpfs with 36 KiB left took 36,864
 * of 65,536 bytes). Ignoring that count left a staged file shorter than the size and hash
 * recorded for it; writing the rest instead gets the kernel's ENOSPC, and the ingest fails
 * as it should.
 */
import type { FileHandle } from 'node:fs/promises';

export async function writeFully(handle: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    // A write that stores nothing and says no error would loop for good: a full disk by another name.
    if (bytesWritten <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}
