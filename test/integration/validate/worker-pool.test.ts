import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, upsertVersion } from '../../../electron/catalog/write-records.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { validateInPool } from '../../../electron/ingest/validate/worker-pool.js';
import type { Progress } from '../../../electron/shared/progress.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let catalog: Catalog;

/** Writes a file under a version's data folder and returns its catalog record. */
function put(service: string, version: string, relpath: string, format: string, content: string | Buffer) {
  const file = path.join(root, service, version, 'data', relpath);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  const bytes = Buffer.from(content);
  return { relpath, format, size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

beforeAll(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-pool'));
  catalog = await openCatalog({ root });
});
afterAll(async () => {
  await catalog.close();
  cleanup();
});

describe('validation worker pool', () => {
  it('loads the TypeScript worker under vitest and gives the same results as in-process validation', async () => {
    const files = [
      put('s', 'a', 'good.ttl', 'turtle', '@prefix ex: <http://x/> .\nex:a ex:p ex:b .\n'),
      put('s', 'a', 'bad.ttl', 'turtle', '@prefix ex: <http://x/> .\nex:a ex:p .\n'),
      put('s', 'a', 'x.obo', 'obo', '[Term]\nid: X:1\nname: one\n'),
      put('s', 'a', 'x.csv', 'csv', 'a,b\n1,2\n'),
    ];
    const tasks = files.map((f) => ({ absPath: path.join(root, 's', 'a', 'data', f.relpath), relpath: f.relpath, format: f.format, size_bytes: f.size_bytes }));
    const done: string[] = [];
    let read = 0;
    const pooled = await validateInPool(tasks, { workers: 2, onFile: (result) => done.push(result.relpath), onBytes: (bytes) => { read += bytes; } });
    // Progress counts every byte of the small files once (their bytes ride with their results).
    expect(read).toBe(files.reduce((sum, f) => sum + f.size_bytes, 0));
    const local = await Promise.all(tasks.map((task) => validateFile(task)));
    const strip = (rows: readonly { details?: unknown }[]) => rows.map((row) => ({ ...row, details: { ...(row.details as object), duration_ms: 0 } }));
    expect(pooled.map((r) => r.relpath)).toEqual(tasks.map((t) => t.relpath));
    expect(pooled.map((r) => strip(r.rows))).toEqual(local.map((r) => strip(r.rows)));
    expect(done.sort()).toEqual(tasks.map((t) => t.relpath).sort());
  });

  it('cancellation terminates the workers and writes nothing', async () => {
    const line = '<http://example.org/s> <http://example.org/p> "a literal value that takes some room" .\n';
    const big = line.repeat(Math.ceil((6 * 1024 * 1024) / line.length));
    const files = [1, 2, 3, 4].map((n) => put('s', 'big', `part-${n}.nt`, 'ntriples', big));
    await catalog.write(async (tx) => {
      await upsertVersion(tx, { service: 's', version: 'big' });
      await replaceVersionFiles(tx, { service: 's', version: 'big' }, files);
    });
    const controller = new AbortController();
    const seen: Progress[] = [];
    const run = validateVersion(catalog, { service: 's', version: 'big' }, {
      workers: 2,
      signal: controller.signal,
      onProgress(progress) {
        seen.push(progress);
        if (progress.bytes > 0) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.some((p) => p.bytes > 0 && p.done < 4)).toBe(true);
    const rows = await catalog.read((conn) => conn.scalar<number>(
      "SELECT count(*) FROM validations v JOIN versions x USING (version_id) WHERE x.service = 's' AND x.version = 'big'",
    ));
    expect(Number(rows)).toBe(0);
    const events = await catalog.read((conn) => conn.scalar<number>("SELECT count(*) FROM events WHERE type IN ('validations.recorded', 'validate.completed')"));
    expect(Number(events)).toBe(0);

    // The same version validates fully afterwards, with progress up to the total.
    const last: Progress[] = [];
    const result = await validateVersion(catalog, { service: 's', version: 'big' }, { workers: 2, onProgress: (p) => last.push(p) });
    expect(result).toMatchObject({ files: 4, checked: 4, health: { files_checked: 4, files_parsed: 4, files_unparsable: 0, errors: 0 }, workers: 2 });
    expect(result.triples).toBe(4 * (big.length / line.length));
    expect(last.at(-1)).toMatchObject({ done: 4, total: 4, bytes: 4 * big.length });
  });

  it('an already aborted signal starts no work', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(validateVersion(catalog, { service: 's', version: 'big' }, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('validateVersion storage findings', () => {
  it('reports a file whose size on disk differs from the catalog, and still validates it', async () => {
    const record = put('s', 'sized', 'a.csv', 'csv', 'a,b\n1,2\n');
    await catalog.write(async (tx) => {
      await upsertVersion(tx, { service: 's', version: 'sized' });
      await replaceVersionFiles(tx, { service: 's', version: 'sized' }, [{ ...record, size_bytes: record.size_bytes + 10 }]);
    });
    const result = await validateVersion(catalog, { service: 's', version: 'sized' }, { workers: 1 });
    // [files checked, files that do not parse, ERROR findings]: the size mismatch is an error, the CSV still parses.
    expect(result.by_validator.map((row) => [row.validator, row.files_checked, row.files_unparsable, row.errors]).sort())
      .toEqual([['csv', 1, 0, 0], ['storage', 1, 0, 1]]);
    const row = await catalog.read((conn) => conn.one<{ rule: string; severity: string; details_json: string }>(
      "SELECT rule, severity, details_json FROM validations WHERE validator = 'storage'",
    ));
    expect(row).toMatchObject({ rule: 'size-mismatch', severity: 'ERROR' });
    expect(JSON.parse(row!.details_json)).toEqual({ expected_bytes: record.size_bytes + 10, actual_bytes: record.size_bytes });
  });
});
