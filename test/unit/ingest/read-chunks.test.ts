import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, readChunks, readTextChunks, SMALL_FILE_BYTES } from '../../../electron/ingest/parsers/read-chunks.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-read-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes whose every position differs from its neighbours', so a dropped or repeated block shows. */
function content(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 131 + (i >> 8)) & 0xff;
  return bytes;
}

async function readAll(file: string): Promise<{ bytes: Buffer; chunks: number; reported: number }> {
  const chunks: Buffer[] = [];
  let reported = 0;
  for await (const chunk of readChunks(file, { onBytes: (n) => { reported += n; } })) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), chunks: chunks.length, reported };
}

describe('readChunks: a file read whole when small, streamed when large', () => {
  const sizes = [0, 1, 480, SMALL_FILE_BYTES - 1, SMALL_FILE_BYTES, SMALL_FILE_BYTES + 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 17];
  for (const size of sizes) {
    it(`gives back exactly the ${size} bytes on disk, and reports them`, async () => {
      const file = path.join(dir, `f${size}`);
      const expected = content(size);
      writeFileSync(file, expected);
      const { bytes, chunks, reported } = await readAll(file);
      expect(bytes.equals(expected)).toBe(true);
      expect(reported).toBe(size);
      // A small file is one buffer; a large one at most CHUNK_BYTES a chunk.
      if (size > 0 && size <= SMALL_FILE_BYTES) expect(chunks).toBe(1);
      if (size > SMALL_FILE_BYTES) expect(chunks).toBeGreaterThanOrEqual(Math.ceil(size / CHUNK_BYTES));
    });
  }

  it('decodes UTF-8 text whole, dropping a BOM, in small and large files alike', async () => {
    const text = 'ünïcødé 名前 ';
    for (const repeat of [1, 20_000]) {
      const file = path.join(dir, `text${repeat}`);
      writeFileSync(file, `\ufeff${text.repeat(repeat)}`);
      let read = '';
      for await (const part of readTextChunks(file)) read += part;
      expect(read).toBe(text.repeat(repeat));
    }
  });

  it('a missing file is an error, not an empty read', async () => {
    await expect(readAll(path.join(dir, 'nothing-here'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
