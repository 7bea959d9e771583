/**
 * `ontocat usage` listed the 100 largest services of a catalog of 103 and said nothing of
 * the other 3. It now says so under the table, as every paged CLI list does, and
 * --limit/--offset page it; its pages hold the service folders GNU find lists and their
 * bytes as find counts them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, upsertVersion } from '../../../electron/catalog/write-records.js';
import type { StorageUsage } from '../../../electron/shared/models.js';
import { tableColumn } from '../../helpers/cli-table.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const SERVICES = 103;
const temp = makeTempRoot('ontocat-usage-page');
const root = path.join(temp.root, 'root');

beforeAll(async () => {
  // Each service's file written under S/1/data/ and recorded as the ingest records it (one
  // write, no validation): 103 CLI ingests took minutes on a loaded machine.
  const records = Array.from({ length: SERVICES }, (_, index) => {
    const i = index + 1;
    const service = `s${String(i).padStart(3, '0')}`;
    // Sizes all different, so the largest-first order is one order.
    const content = `id\n${'1\n'.repeat(i)}`;
    const abs = path.join(root, service, '1', 'data', 'table.csv');
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return { service, file: { relpath: 'table.csv', format: 'csv', size_bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') } };
  });
  const catalog = await openCatalog({ root, create: true });
  try {
    await catalog.write(async (tx) => {
      for (const { service, file } of records) {
        await upsertVersion(tx, { service, version: '1' });
        await replaceVersionFiles(tx, { service, version: '1' }, [file]);
      }
    });
  } finally {
    await catalog.close();
  }
}, 120_000);
afterAll(() => temp.cleanup());

/** The SERVICE cells of `usage`'s table, without the page note under it. */
const servicesOf = (output: string): string[] => tableColumn(output, 'SERVICE').filter((cell) => !cell.startsWith('('));

/** Service folders under the root, as GNU find lists them (dot folders are Ontocat's own). */
function serviceFolders(): string[] {
  return execFileSync('find', [root, '-mindepth', '1', '-maxdepth', '1', '-type', 'd', '-not', '-name', '.*', '-printf', '%f\\n'], { encoding: 'utf8' })
    .split('\n').filter(Boolean);
}

describe('ontocat usage by service', () => {
  it('says how many services it shows, and its pages hold every service folder', () => {
    const folders = serviceFolders();
    expect(folders).toHaveLength(SERVICES);
    const first = runOntocatOk(['usage'], { root }).stdout;
    const firstPage = servicesOf(first);
    expect(firstPage).toHaveLength(100);
    expect(first).toContain(`(100 of ${SERVICES}; --offset to page)`);
    const rest = runOntocatOk(['usage', '--offset', '100'], { root }).stdout;
    const restPage = servicesOf(rest);
    expect(restPage).toHaveLength(3);
    expect(new Set([...firstPage, ...restPage])).toEqual(new Set(folders));
    // The smallest are last: s001 has the fewest bytes.
    expect(restPage.at(-1)).toBe('s001');
    expect(servicesOf(runOntocatOk(['usage', '--limit', '5'], { root }).stdout)).toEqual(firstPage.slice(0, 5));
  });

  it('--json keeps by_service an array of rows and adds how many there are in all', () => {
    const usage = runOntocatOk(['usage', '--json', '--limit', '1000'], { root }).json<StorageUsage & { by_service_total: number }>();
    expect(usage.by_service_total).toBe(SERVICES);
    expect(usage.by_service).toHaveLength(SERVICES);
    // Bytes of a service's data files, as find's %s (st_size) gives them.
    const found = (service: string): number => execFileSync('find', [path.join(root, service), '-path', '*/data/*', '-type', 'f', '-printf', '%s\\n'], { encoding: 'utf8' })
      .split('\n').filter(Boolean).reduce((sum, size) => sum + Number(size), 0);
    for (const row of usage.by_service.filter((_, i) => i % 20 === 0)) expect(row.bytes).toBe(found(row.key));
    const defaultPage = runOntocatOk(['usage', '--json'], { root }).json<StorageUsage & { by_service_total: number }>();
    expect(defaultPage.by_service).toHaveLength(100);
    expect(defaultPage.by_service_total).toBe(SERVICES);
  });

  it('refuses a bad page as other lists do', () => {
    expect(runOntocat(['usage', '--limit', '0'], { root }).code).toBe(2);
  });
});
