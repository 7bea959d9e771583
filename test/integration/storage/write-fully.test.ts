/**
 * A write(2) on a nearly full file system may store part of a buffer and report it without
 * an error: the kernel's own answer, seen here on a tmpfs with 36 KiB free (36,864 of 65,536
 * bytes). Ontocat's streams (archive extraction, downloads, intact copies) wrote each chunk
 * with one `FileHandle.write` and ignored the count, so a last chunk cut that way left a
 * staged file shorter than the size and SHA-256 recorded for it. `writeFully` writes the
 * rest, and so gets the ENOSPC that makes the ingest fail as it should.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFully } from '../../../electron/storage/write-fully.js';
import { mountSmallFs, noSmallFs, type SmallFs } from '../../helpers/small-fs.js';

describe.skipIf(noSmallFs)('writing a whole chunk onto a nearly full file system', () => {
  let fs: SmallFs;
  beforeEach(() => {
    fs = mountSmallFs('128k', 'ontocat-write-fully');
    fs.fill(36 * 1024);
  });
  afterEach(() => fs.cleanup());

  it('one write stores part of the chunk without an error (the kernel), writeFully fails with ENOSPC', async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const raw = await open(path.join(fs.dir, 'raw'), 'w');
    try {
      const { bytesWritten } = await raw.write(chunk);
      expect(bytesWritten).toBeGreaterThan(0);
      expect(bytesWritten).toBeLessThan(chunk.length);
    } finally {
      await raw.close();
    }
    fs.fill(36 * 1024);
    const whole = await open(path.join(fs.dir, 'whole'), 'w');
    try {
      await expect(writeFully(whole, chunk)).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      await whole.close();
    }
  });

  it('with room, writes every byte', async () => {
    fs.free();
    const chunk = Buffer.alloc(64 * 1024, 9);
    const file = path.join(fs.dir, 'fits');
    const handle = await open(file, 'w');
    try {
      await writeFully(handle, chunk);
    } finally {
      await handle.close();
    }
    expect((await open(file, 'r').then(async (h) => { try { return (await h.stat()).size; } finally { await h.close(); } }))).toBe(chunk.length);
  });
});
