import { describe, expect, it } from 'vitest';
import { csvBufferSize, StagedBlockWriter } from '../../../electron/catalog/staged-block.js';

const text = (data: Uint8Array): string => Buffer.from(data).toString('utf8');

describe('StagedBlockWriter', () => {
  it('keeps every line exactly, multi-byte characters included, and bounds the longest in bytes', () => {
    const writer = new StagedBlockWriter();
    const lines = ['a\tb\n', 'ünï 名前 😀\tx\n', 'plain\n'];
    for (const line of lines) writer.add(line);
    expect(writer.rows).toBe(3);
    const block = writer.take();
    expect(text(block.data)).toBe(lines.join(''));
    // A bound, never short of the UTF-8 bytes of any line: csvBufferSize must fit them all.
    for (const line of lines) expect(block.longestLine).toBeGreaterThanOrEqual(Buffer.byteLength(line));
    expect(block.longestLine).toBeLessThanOrEqual(3 * Math.max(...lines.map((line) => line.length)));
  });

  it('joins many lines across its encoding runs without losing or reordering one', () => {
    const writer = new StagedBlockWriter();
    const lines = Array.from({ length: 30_000 }, (_, i) => `row ${i}\t${i % 7 === 0 ? 'é' : 'e'}\t${'x'.repeat(i % 50)}\n`);
    for (const line of lines) writer.add(line);
    expect(writer.rows).toBe(lines.length);
    expect(text(writer.take().data)).toBe(lines.join(''));
  });

  it('grows past its first buffer without cutting a line, and starts afresh after take', () => {
    const writer = new StagedBlockWriter();
    const long = `${'名'.repeat(3_000_000)}\n`;
    writer.add('first\n');
    writer.add(long);
    writer.add('last\n');
    const block = writer.take();
    expect(text(block.data)).toBe(`first\n${long}last\n`);
    expect(block.longestLine).toBeGreaterThanOrEqual(9_000_001);
    expect(writer.rows).toBe(0);
    writer.add('next\n');
    const next = writer.take();
    expect(text(next.data)).toBe('next\n');
    expect(next.longestLine).toBeGreaterThanOrEqual(5);
    expect(next.longestLine).toBeLessThanOrEqual(15);
    // The first block's bytes are untouched by the second.
    expect(text(block.data).endsWith('last\n')).toBe(true);
  });
});

describe('csvBufferSize', () => {
  it('is at least 1 MiB and leaves room for the longest line', () => {
    expect(csvBufferSize(200)).toBe(1 << 20);
    expect(csvBufferSize(3_000_000)).toBeGreaterThan(3_000_000 * 2);
  });
});
