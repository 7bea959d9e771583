import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('a write under a memory limit', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let catalog: Catalog;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-memory-limit');
    catalog = await openCatalog({ root: temp.root });
  });
  afterAll(async () => {
    await catalog.close();
    temp.cleanup();
  });

  const limit = (): Promise<string | null> => catalog.read((conn) => conn.scalar<string>("SELECT current_setting('memory_limit')"));

  it('spills past the limit into the root\'s .tmp/duckdb and puts the old limit back afterwards', async () => {
    const before = await limit();
    const spilled = await catalog.write(async (tx) => {
      expect(await tx.scalar<string>("SELECT current_setting('memory_limit')")).toMatch(/^(32|30\.\d) MiB$/);
      // ~100 MB of strings cannot stay in 32 MB: DuckDB must write them out to finish.
      await tx.run("CREATE TEMP TABLE big AS SELECT range AS n, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(1500000)");
      const files = await tx.all<{ path: string; size: number }>('SELECT path, size FROM duckdb_temporary_files()');
      const sorted = await tx.scalar<number>('SELECT count(DISTINCT s) FROM temp.big');
      await tx.run('DROP TABLE temp.big');
      return { files, sorted };
    }, { memoryLimit: '32MB' });
    expect(spilled.sorted).toBe(1_500_000);
    expect(spilled.files.length).toBeGreaterThan(0);
    for (const file of spilled.files) expect(path.resolve(file.path).startsWith(path.join(temp.root, '.tmp', 'duckdb') + path.sep)).toBe(true);
    expect(await limit()).toBe(before);
  });

  it('puts the old limit back when the transaction fails', async () => {
    const before = await limit();
    await expect(catalog.write(async (tx) => { await tx.run("SELECT error('boom')"); }, { memoryLimit: '64MB' })).rejects.toThrow(/boom/);
    expect(await limit()).toBe(before);
  });

  it('refuses a limit DuckDB would misread', async () => {
    await expect(catalog.write(async () => undefined, { memoryLimit: "1GB'; DROP TABLE versions; --" })).rejects.toThrow(/Not a memory limit/);
  });
});
