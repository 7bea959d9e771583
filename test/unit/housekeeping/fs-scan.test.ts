import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_SUFFIX } from '../../../electron/storage/atomic-write.js';
import { MAX_PENDING_BLOCKS, scanRoot, type ListedFile } from '../../../electron/storage/fs-scan.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
beforeEach(() => { ({ root, cleanup } = makeTempRoot('ontocat-scan')); });
afterEach(() => cleanup());

function put(relpath: string, content = 'x'): void {
  mkdirSync(path.dirname(path.join(root, relpath)), { recursive: true });
  writeFileSync(path.join(root, relpath), content);
}

async function listing(workers?: number): Promise<{ rows: string[]; odd: ListedFile[]; files: number }> {
  const rows: string[] = [];
  const odd: ListedFile[] = [];
  const summary = await scanRoot(root, {
    block(text) { rows.push(...text.split('\n').filter(Boolean).map((line) => line.split('\t').slice(0, 3).join(' '))); },
    odd(file) { odd.push(file); },
  }, {}, { workers });
  return { rows: rows.sort(), odd, files: summary.files };
}

describe('scanRoot', () => {
  it('lists symlinks as links and never descends into them, near the top or deep in a worker', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'ontocat-scan-outside-'));
    try {
      writeFileSync(path.join(outside, 'secret.owl'), 'outside');
      put('go/v1/data/a.owl', 'hello');
      symlinkSync(outside, path.join(root, 'linked'));
      symlinkSync(outside, path.join(root, '.cas'));
      symlinkSync(outside, path.join(root, 'go/v2'));
      mkdirSync(path.join(root, 'go/v1/data/d1/d2/d3/d4'), { recursive: true });
      symlinkSync(outside, path.join(root, 'go/v1/data/d1/d2/d3/d4/deep'));
      symlinkSync('/etc/passwd', path.join(root, 'go/v1/data/passwd'));
      symlinkSync(outside, path.join(root, 'catalog.duckdb.wal'));
      for (const workers of [1, 3]) {
        const { rows } = await listing(workers);
        expect(rows.filter((row) => row.startsWith('link '))).toEqual([
          expect.stringMatching(/^link \.cas \d+$/), expect.stringMatching(/^link go\/v1\/data\/d1\/d2\/d3\/d4\/deep \d+$/),
          expect.stringMatching(/^link go\/v1\/data\/passwd \d+$/), expect.stringMatching(/^link go\/v2 \d+$/), expect.stringMatching(/^link linked \d+$/),
        ]);
        expect(rows.some((row) => row.includes('secret.owl'))).toBe(false);
        expect(rows).toContain('root go/v1/data/a.owl 5');
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('classifies files by where they live and skips what is not the live tree', async () => {
    put('catalog.duckdb');
    put('.ontocat.lock');
    put(`.catalog.duckdb.0a1b2c3d4e5f${TEMP_SUFFIX}`, 'tmp');
    put('.trash/prune-1-abcdef12/files/go/v1/data/a.owl');
    put('.backups/20260101T000000000Z/catalog.duckdb');
    put('.cas/sha256/ab/cd/abcd', 'obj');
    put(`.cas/sha256/ab/cd/.abcd.00ff00ff00ff${TEMP_SUFFIX}`);
    put('.tmp/extract/part', 'pp');
    put('.tmp/duckdb/duckdb_temp_storage_S32K-0.tmp', 'spill');
    put('go/LATEST.json', '{}');
    put('go/v1/LATEST.json');
    put('go/v1/data/a.owl', 'hello');
    put(`go/v1/data/.b.owl.123456abcdef${TEMP_SUFFIX}`);
    // Only the names Ontocat's own writes make are temp files; a curator's is a file like any other.
    put(`go/v1/data/notes${TEMP_SUFFIX}`, 'mine');
    put('go/v1/archives/go.zip');
    const { rows, files } = await listing();
    expect(rows).toEqual([
      `temp .catalog.duckdb.0a1b2c3d4e5f${TEMP_SUFFIX} 3`,
      'cas .cas/sha256/ab/cd/abcd -1',
      `temp .cas/sha256/ab/cd/.abcd.00ff00ff00ff${TEMP_SUFFIX} 1`,
      'temp .tmp/extract/part 2',
      'latest go/LATEST.json 2',
      'root go/v1/LATEST.json 1',
      'root go/v1/archives/go.zip 1',
      'root go/v1/data/a.owl 5',
      `temp go/v1/data/.b.owl.123456abcdef${TEMP_SUFFIX} 1`,
      `root go/v1/data/notes${TEMP_SUFFIX} 4`,
    ].sort());
    expect(files).toBe(10);
  });

  it('lists big trees the same with one worker or several, and hands back names it cannot frame', async () => {
    for (let s = 0; s < 3; s += 1) for (let v = 0; v < 30; v += 1) for (let f = 0; f < 5; f += 1) put(`s${s}/v${v}/data/d/f${f}.txt`, 'abc');
    put('s0/v0/data/tab\there.txt');
    const one = await listing(1);
    const many = await listing(3);
    expect(one.files).toBe(451);
    expect(many.rows).toEqual(one.rows);
    expect(many.odd.map((file) => file.relpath)).toEqual(['s0/v0/data/tab\there.txt']);
  });

  it('skips DuckDB\'s spill folder also when a worker walks the temp area', async () => {
    // Enough top-level folders that none is expanded first: `.tmp` goes to a worker whole.
    for (let s = 0; s < 70; s += 1) put(`s${s}/v1/data/f.txt`);
    put('.tmp/extract/part');
    put('.tmp/duckdb/duckdb_temp_storage_S32K-0.tmp');
    const { rows } = await listing(2);
    expect(rows.filter((row) => row.startsWith('temp '))).toEqual(['temp .tmp/extract/part 1']);
    expect(rows).toHaveLength(71);
  });

  it('holds the walkers back while a slow consumer has blocks pending, and lists everything', async () => {
    for (let s = 0; s < 4; s += 1) for (let v = 0; v < 20; v += 1) for (let f = 0; f < 25; f += 1) put(`s${s}/v${v}/data/f${f}.txt`);
    let pending = 0;
    let most = 0;
    let rows = 0;
    const summary = await scanRoot(root, {
      block(_text, count) {
        pending += 1;
        most = Math.max(most, pending);
        rows += count;
        return new Promise((resolve) => setTimeout(() => { pending -= 1; resolve(); }, 5));
      },
      odd() {},
    }, {}, { workers: 2, blockRows: 10 });
    expect(summary.files).toBe(2000);
    expect(rows).toBe(2000);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(MAX_PENDING_BLOCKS);
  });
});
