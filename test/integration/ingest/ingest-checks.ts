import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import type { Progress } from '../../../electron/shared/progress.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { listTree } from './archive-fixtures.js';

/** What an archive test starts from: a temp folder holding a storage root (its catalog open) and an empty `src/`. */
export interface TestRoot {
  readonly temp: ReturnType<typeof makeTempRoot>;
  readonly root: string;
  readonly src: string;
  readonly catalog: Catalog;
}

/** Makes a fresh `TestRoot` under a temp folder named by `label`; `closeTestRoot` removes it. */
export async function openTestRoot(label: string): Promise<TestRoot> {
  const temp = makeTempRoot(label);
  const root = path.join(temp.root, 'root');
  const src = path.join(temp.root, 'src');
  mkdirSync(src, { recursive: true });
  return { temp, root, src, catalog: await openCatalog({ root, app: 'test', threads: 1 }) };
}

/** Closes a `TestRoot`'s catalog and removes its temp folder. */
export async function closeTestRoot(at: Pick<TestRoot, 'temp' | 'catalog'>): Promise<void> {
  await at.catalog.close();
  at.temp.cleanup();
}

/** What a refused ingest leaves: its error, and whether extraction had begun. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly extracted: boolean;
}

/**
 * Ingests `archive` as service 'refused', expects it to fail, and checks what a user would:
 * nothing recorded in the catalog, no version folder, no temp leftovers.
 */
export async function ingestRefused(catalog: Catalog, root: string, archive: string): Promise<Refusal> {
  const phases = new Set<string>();
  const onProgress = (progress: Progress): void => { if (progress.phase) phases.add(progress.phase); };
  const error = await ingest(catalog, archive, { service: 'refused', version: '1', onProgress }).then(
    () => { throw new Error(`${path.basename(archive)} was ingested; a refusal was expected`); },
    (failure: unknown) => failure as { code: string; message: string },
  );
  const rows = await catalog.read((conn) => conn.one<{ versions: number; files: number }>(
    "SELECT (SELECT count(*) FROM versions WHERE service = 'refused') AS versions, (SELECT count(*) FROM extracted_files WHERE service = 'refused') AS files",
  ));
  expect(rows).toEqual({ versions: 0, files: 0 });
  expect(existsSync(path.join(root, 'refused'))).toBe(false);
  expect(listTree(path.join(root, '.tmp'))).toEqual([]);
  return { code: error.code, message: error.message, extracted: phases.has('extract') };
}

/** sha256 of every file under `dir`, by relative path: what a user finds on disk. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listTree(dir)) {
    const file = path.join(dir, rel);
    if (statSync(file).isFile()) out[rel] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}
