/**
 * A publish killed part-way (SIGKILL after its fresh Parquet parts were written, before the
 * manifest swap) leaves parts the manifest does not list: disk nobody accounts for, and rows
 * a reader globbing the table folders takes for published. Doctor names them and its apply
 * removes them. GNU find lists the parts on disk as the outside view; a separate DuckDB
 * globbing the files table sees the unpublished rows before and the manifest's after.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorPlan } from '../../../electron/shared/contract/housekeeping.js';
import { outsideQuery } from '../../helpers/outside-duckdb.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const EMBOSS = '/usr/share/EMBOSS/data';

let root: string;
let source: string;
let cleanups: (() => void)[] = [];
beforeEach(() => {
  const made = makeTempRoot('ontocat-doctor-publish');
  const src = makeTempRoot('ontocat-doctor-publish-src');
  root = made.root;
  source = src.root;
  cleanups = [made.cleanup, src.cleanup];
});
afterEach(() => { for (const cleanup of cleanups) cleanup(); });

/** Every file under ROOT/parquet other than the manifest, by GNU find, root-relative, sorted. */
function partsOnDisk(): string[] {
  const run = spawnSync('find', ['parquet', '-type', 'f', '!', '-name', 'manifest.json', '-printf', '%p\n'], { cwd: root, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean).sort();
}

function listedParts(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, 'parquet', 'manifest.json'), 'utf8')) as { tables: Record<string, { files: { path: string }[] }> };
  return Object.values(manifest.tables).flatMap((table) => table.files.map((file) => `parquet/${file.path}`)).sort();
}

/** Rows of the files table as a reader that globs its folder sees them. */
async function globbedFileRows(): Promise<number> {
  const rows = await outsideQuery(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path.join(root, 'parquet', 'table=files', '**', '*.parquet')}', hive_partitioning = true)`);
  return Number((rows[0] as { n: number }).n);
}

describe('doctor after a publish killed part-way', () => {
  it('names the Parquet parts the manifest does not list and removes them on apply', async () => {
    const release = (name: string, files: readonly string[]): string => {
      const dir = path.join(source, name);
      mkdirSync(dir, { recursive: true });
      for (const file of files) copyFileSync(path.join(EMBOSS, file), path.join(dir, file));
      return dir;
    };
    runOntocatOk(['ingest', release('1', ['EBLOSUM62', 'EPAM250']), '--service', 'emboss', '--version', '1', '--json'], { root });
    runOntocatOk(['publish', '--json'], { root });
    expect(partsOnDisk()).toEqual(listedParts());
    const published = await globbedFileRows();
    expect(published).toBe(2);

    // A new version, then a publish killed after writing its parts (the process SIGKILLs itself).
    runOntocatOk(['ingest', release('2', ['EBLOSUM62', 'EPAM250', 'EBLOSUM80']), '--service', 'emboss', '--version', '2', '--json'], { root });
    const killed = runOntocat(['publish', '--json'], { root, env: { ONTOCAT_CRASH_AT: 'publish.before-manifest' } });
    expect(killed.code, killed.stderr).toBe(-1);
    const listed = listedParts();
    const unlisted = partsOnDisk().filter((part) => !listed.includes(part));
    // The new version's files and validations, the changed versions, artifacts and events tables.
    expect(unlisted.length).toBeGreaterThan(2);
    expect(unlisted.some((part) => part.startsWith('parquet/table=files/service=emboss/version=2/'))).toBe(true);
    // A globbing reader takes version 2's three files for published; the manifest has none of them.
    expect(await globbedFileRows()).toBe(published + 3);

    const plan = runOntocatOk(['doctor', '--json'], { root }).json<DoctorPlan>();
    const named = plan.findings.filter((f) => f.path.startsWith('parquet/'));
    expect(named.map((f) => f.path).sort()).toEqual(unlisted);
    expect(named.every((f) => f.kind === 'temp_leftover' && f.fix === 'remove')).toBe(true);
    // The table a curator reads names them too.
    const text = runOntocatOk(['doctor'], { root }).stdout;
    for (const part of unlisted) expect(text).toContain(path.posix.basename(part));

    runOntocatOk(['doctor', '--apply', plan.plan_id, '--json'], { root });
    expect(partsOnDisk()).toEqual(listed);
    expect(await globbedFileRows()).toBe(published);
    // No emptied partition folder stays behind.
    const folders = spawnSync('find', ['parquet', '-type', 'd', '-empty'], { cwd: root, encoding: 'utf8' });
    expect(folders.stdout.trim()).toBe('');
    expect(runOntocatOk(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);

    // The next publish still writes what it needs.
    runOntocatOk(['publish', '--json'], { root });
    expect(partsOnDisk()).toEqual(listedParts());
    expect(await globbedFileRows()).toBe(5);
  }, 300_000);

  it('refuses to remove a part a publish since has listed (same rows, same name)', async () => {
    const dir = path.join(source, '1');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(EMBOSS, 'EBLOSUM62'), path.join(dir, 'EBLOSUM62'));
    runOntocatOk(['ingest', dir, '--service', 'emboss', '--version', '1', '--json'], { root });
    const killed = runOntocat(['publish', '--json'], { root, env: { ONTOCAT_CRASH_AT: 'publish.before-manifest' } });
    expect(killed.code, killed.stderr).toBe(-1);
    const plan = runOntocatOk(['doctor', '--json'], { root }).json<DoctorPlan>();
    const parts = plan.findings.filter((f) => f.path.startsWith('parquet/') && f.path.endsWith('.parquet')).map((f) => f.path);
    expect(parts.length).toBeGreaterThan(0);
    // The publish finds the parts it would write already there, and lists them.
    runOntocatOk(['publish', '--json'], { root });
    const refused = runOntocat(['doctor', '--apply', plan.plan_id, '--json'], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('now listed in the published manifest');
    expect(partsOnDisk()).toEqual(listedParts());
    // The files part of emboss/1 is the one the publish took (the events part changed since: doctor's scan wrote events).
    expect(listedParts().filter((part) => parts.includes(part)).some((part) => part.startsWith('parquet/table=files/service=emboss/version=1/'))).toBe(true);
  }, 300_000);
});
