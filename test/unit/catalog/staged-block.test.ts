import { describe, expect, it } from 'vitest';
import { csvBufferSize, StagedBlockWriter } from '../../../electron/catalog/staged-block.js';

const text = (data: Uint8Array): string => Buffer.from(data).toString('utf8');

describe('StagedBlockWriter', () => {
  it('keeps every line exactly, multi-byte characters included, and measures the longest in bytes', () => {
    const writer = new StagedBlockWriter();
    const lines = ['a\tb\n', 'ünï 名前 😀\tx\n', 'plain\n'];
    for (const line of lines) writer.add(line);
    expect(writer.rows).toBe(3);
    const block = writer.take();
    expect(text(block.data)).toBe(lines.join(''));
    expect(block.longestLine).toBe(Buffer.byteLength(lines[1]!));
    expect(block.longestLine).toBeGreaterThan(lines[1]!.length);
  });

  it('grows past its first buffer without cutting a line, and starts afresh after take', () => {
    const writer = new StagedBlockWriter();
    const long = `${'名'.repeat(3_000_000)}\n`;
    writer.add('first\n');
    writer.add(long);
    writer.add('last\n');
    const block = writer.take();
    expect(text(block.data)).toBe(`first\n${long}last\n`);
    expect(block.longestLine).toBe(9_000_001);
    expect(writer.rows).toBe(0);
    writer.add('next\n');
    const next = writer.take();
    expect(text(next.data)).toBe('next\n');
    expect(next.longestLine).toBe(5);
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
