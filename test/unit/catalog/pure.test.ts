import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../electron/catalog/serial-queue.js';
import { likeLiteral, pageWindow } from '../../../electron/catalog/paging.js';
import { defaultRoot } from '../../../electron/handlers/default-root.js';
import { formatBytes, formatTable } from '../../../electron/cli/output.js';
import { formatBytes as appBytes } from '../../../renderer/src/lib/format.js';
import { normaliseRelpath, resolveInsideRoot } from '../../../electron/storage/safe-path.js';
import { parseVersionRef } from '../../../electron/shared/version-ref.js';
import { methodName } from '../../../electron/shared/api-protocol.js';

describe('serial queue', () => {
  it('never overlaps tasks, even when one fails', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string, fail = false) => queue.run(async () => {
      running += 1;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
      running -= 1;
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});

describe('version refs and paths', () => {
  it('parses SERVICE/VERSION and rejects everything else', () => {
    expect(parseVersionRef('go/2024-01-01')).toEqual({ service: 'go', version: '2024-01-01' });
    for (const bad of ['go', 'go/', '/v1', 'go/v1/x', '../v1', 'go/..', 'go/.hidden', 'g o/v1', 'go/v1\0']) {
      expect(() => parseVersionRef(bad), bad).toThrow(/SERVICE\/VERSION|Invalid/);
    }
  });

  it('normalises relative paths and refuses escapes', () => {
    expect(normaliseRelpath('a/./b//c.ttl')).toBe('a/b/c.ttl');
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'C:/x', 'a\\b', 'a\0b', '.']) {
      expect(() => normaliseRelpath(bad), JSON.stringify(bad)).toThrow();
    }
    expect(resolveInsideRoot('/srv/root', 'go/v1/data/x.ttl')).toBe('/srv/root/go/v1/data/x.ttl');
  });

  it('pages are bounded and LIKE text is literal', () => {
    expect(pageWindow(undefined, undefined)).toEqual({ offset: 0, limit: 100 });
    expect(() => pageWindow(0, 5000)).toThrow(/Limit/);
    expect(likeLiteral('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('defaults and formatting', () => {
  it('root comes from ONTOCAT_ROOT, else the platform user data folder', () => {
    expect(defaultRoot({ ONTOCAT_ROOT: '/data/cat' }, 'linux')).toBe('/data/cat');
    expect(defaultRoot({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/ontocat');
    expect(defaultRoot({}, 'darwin')).toMatch(/Library\/Application Support\/Ontocat$/);
    expect(defaultRoot({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toMatch(/Roaming.Ontocat$/);
  });

  it('formats bytes and aligned tables', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(2_600_000)).toBe('2.6 MB');
    // SI multiples, three significant digits, a value that rounds to 1000 shown in the next unit.
    expect([31_800_000, 999, 999_600, 1_536, 12_345_678, 1e12, -4_500].map(formatBytes)).toEqual(['31.8 MB', '999 B', '1 MB', '1.54 KB', '12.3 MB', '1 TB', '-4.5 KB']);
    // The app shows the same figure as the CLI (they once differed: 30.3 MB in one, 31.8 MB in the other).
    for (let bytes = 1; bytes < 1e13; bytes = Math.ceil(bytes * 1.37) + 7) expect(appBytes(bytes)).toBe(formatBytes(bytes));
    expect(appBytes(-4_500)).toBe('−4.5 KB');
    const table = formatTable([{ a: 'x', n: 5 }, { a: 'long', n: 100 }], [{ header: 'A', value: (r) => r.a }, { header: 'N', value: (r) => r.n }]);
    expect(table.split('\n')).toEqual(['A       N', '----  ---', 'x       5', 'long  100']);
    // As many rows as a backfill's failed files on a large catalog (134,544 overflowed the stack).
    const many = formatTable(Array.from({ length: 200_000 }, (_, i) => ({ n: i })), [{ header: 'N', value: (r) => r.n }]);
    expect(many.split('\n').slice(0, 3)).toEqual(['     N', '------', '     0']);
  });

  it('maps channels to preload method names', () => {
    expect(methodName('versions:list')).toBe('versionsList');
    expect(methodName('files:where')).toBe('filesWhere');
    expect(methodName('report:hot-spots' as 'versions:list')).toBe('reportHotSpots');
  });
});
