/**
 * Each version's kept file count, bytes and health counts (version_totals) against the
 * disk and the validations: after every path that writes file rows or validations (ingest,
 * a replacing ingest, validation, a stray adopted by the doctor, a prune, a trash
 * restore), the counts the version list shows equal a walk of each version's data folder,
 * done here with plain fs calls, and its health equals one counted from the version's
 * findings as the validations page lists them. Kept counts that disagree with the rows (a
 * write path that forgot them) are recounted on the next writable open (files and bytes)
 * or doctor scan (health too), with a warning event; a catalog from before migration 0019
 * gets them from its rows.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let temp: ReturnType<typeof makeTempRoot>;
let session: Session;

beforeEach(async () => {
  temp = makeTempRoot('ontocat-version-totals');
  session = await openSession({ actor: 'test', root: path.join(temp.root, 'root') });
});
afterEach(async () => {
  await session.close();
  temp.cleanup();
});

/** Files and bytes under a folder, by walking it (symlinks are not followed; none are made). */
function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

/** A source folder of `count` files of distinct sizes (some in subfolders): Turtle that parses, Turtle that does not, and text. */
function sourceFolder(name: string, count: number, salt: string): string {
  const dir = path.join(temp.root, 'sources', name);
  for (let i = 0; i < count; i += 1) {
    const kind = i % 3;
    const relpath = `${i % 2 === 0 ? 'sub/' : ''}file-${i}.${kind === 2 ? 'txt' : 'ttl'}`;
    const text = kind === 0
      ? `@prefix ex: <http://example.org/> .\nex:t${i} ex:says "${salt} ${'x'.repeat(i)}" .\n`
      : kind === 1 ? `@prefix ex: <http://example.org/> .\nex:t${i} ex:says "${salt} unterminated .\n` : `${salt} ${i} `.repeat(i + 1);
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), text);
  }
  return dir;
}

/**
 * A version's health counted here from its findings as the validations page lists them
 * (every result, paged), by the rule README's "Validation" states: a file is checked when
 * it has a syntax result and parses when that passed; findings are the other failed
 * results by severity; a file has errors when it does not parse or has an ERROR finding.
 */
async function healthFromFindings(ref: string, files: number): Promise<Record<string, number>> {
  const byFile = new Map<string, { checked: boolean; unparsable: boolean; errors: number; warnings: number; infos: number }>();
  for (let offset = 0; ; offset += 500) {
    const page = await session.call('validations:list', { ref, offset, limit: 500 });
    for (const row of page.items) {
      const file = byFile.get(row.file_id) ?? { checked: false, unparsable: false, errors: 0, warnings: 0, infos: 0 };
      if (row.rule === 'syntax') {
        file.checked = true;
        if (!row.passed) file.unparsable = true;
      } else if (!row.passed) {
        if (row.severity === 'ERROR') file.errors += 1;
        else if (row.severity === 'WARN') file.warnings += 1;
        else file.infos += 1;
      }
      byFile.set(row.file_id, file);
    }
    if (offset + 500 >= page.total) break;
  }
  const all = [...byFile.values()];
  const count = (test: (f: (typeof all)[number]) => boolean): number => all.filter(test).length;
  const sum = (key: 'errors' | 'warnings' | 'infos'): number => all.reduce((total, f) => total + f[key], 0);
  return {
    files, files_checked: count((f) => f.checked), files_parsed: count((f) => f.checked && !f.unparsable),
    files_unparsable: count((f) => f.unparsable), files_unchecked: files - count((f) => f.checked),
    files_with_errors: count((f) => f.unparsable || f.errors > 0), files_with_warnings: count((f) => f.warnings > 0),
    errors: sum('errors'), warnings: sum('warnings'), infos: sum('infos'),
  };
}

/** What the version list shows of each version, and what its data folder and findings hold. */
async function listedAndCounted(): Promise<{ listed: Record<string, unknown>; counted: Record<string, unknown> }> {
  const page = await session.call('versions:list', { limit: 100 });
  const listed: Record<string, unknown> = {};
  const counted: Record<string, unknown> = {};
  for (const row of page.items) {
    const ref = `${row.service}/${row.version}`;
    listed[ref] = { files: Number(row.files), bytes: Number(row.bytes), health: Object.fromEntries(Object.entries(row.health).map(([k, v]) => [k, Number(v)])) };
    const disk = walk(path.join(session.root, row.service, row.version, 'data'));
    counted[ref] = { ...disk, health: await healthFromFindings(ref, disk.files) };
  }
  return { listed, counted };
}

async function expectListMatchesDiskAndFindings(versions: readonly string[]): Promise<void> {
  const { listed, counted } = await listedAndCounted();
  expect(Object.keys(listed).sort()).toEqual([...versions].sort());
  expect(listed).toEqual(counted);
}

/** The files the version list shows for `ref`. */
async function listedFiles(ref: string): Promise<number> {
  return ((await listedAndCounted()).listed[ref] as { files: number }).files;
}

describe('version totals', () => {
  it('equal a walk of each data folder after ingest, replace, adopt, prune and trash restore', async () => {
    await session.call('ingest:run', { source: sourceFolder('a', 7, 'one'), service: 'go', version: '1' });
    await session.call('ingest:run', { source: sourceFolder('b', 12, 'two'), service: 'go', version: '2' });
    await session.call('ingest:run', { source: sourceFolder('c', 5, 'three'), service: 'go', version: '3', set_latest: true });
    await expectListMatchesDiskAndFindings(['go/1', 'go/2', 'go/3']);
    // Not all zeros: go/2 has Turtle that parses, Turtle that does not, and text no validator reads.
    expect((await session.call('versions:list', {})).items.find((v) => v.version === '2')!.health).toMatchObject({
      files: 12, files_checked: 8, files_unparsable: 4, files_unchecked: 4, files_with_errors: 4,
    });

    // Validated again from scratch.
    await session.call('validate:run', { ref: 'go/3', fresh: true });
    await expectListMatchesDiskAndFindings(['go/1', 'go/2', 'go/3']);

    // Re-recorded with other content: fewer files, other sizes.
    await session.call('ingest:run', { source: sourceFolder('b2', 4, 'two again'), service: 'go', version: '2', replace: true });
    expect(await listedFiles('go/2')).toBe(4);
    await expectListMatchesDiskAndFindings(['go/1', 'go/2', 'go/3']);

    // A stray adopted into go/2 by the doctor.
    writeFileSync(path.join(session.root, 'go/2/data/stray.txt'), 'a stray the curator keeps\n');
    const plan = await session.call('doctor:plan', {});
    const chosen = await session.call('doctor:choose', { plan_id: plan.plan_id, adopt: ['go/2/data/stray.txt'] });
    await session.call('doctor:apply', { plan_id: chosen.plan_id });
    expect(await listedFiles('go/2')).toBe(5);
    await expectListMatchesDiskAndFindings(['go/1', 'go/2', 'go/3']);

    // Pruned, then restored from the trash.
    const prune = await session.call('prune:plan', { keep_last: 2, service: 'go', allow_large: true });
    expect(prune.removals.map((v) => v.version)).toEqual(['1']);
    await session.call('prune:apply', { plan_id: prune.plan_id });
    await expectListMatchesDiskAndFindings(['go/2', 'go/3']);
    await session.call('trash:restore', { plan_id: prune.plan_id });
    await expectListMatchesDiskAndFindings(['go/1', 'go/2', 'go/3']);
    expect((await session.call('events:list', { type: 'catalog.totals_rebuilt' })).items).toEqual([]);
  });

  it('are recounted when they disagree with the rows: files and bytes on a writable open, health on a doctor scan', async () => {
    await session.call('ingest:run', { source: sourceFolder('a', 9, 'one'), service: 'go', version: '1' });
    await session.call('ingest:run', { source: sourceFolder('b', 3, 'two'), service: 'go', version: '2' });
    const versionIs = (version: string): string => `version_id = (SELECT version_id FROM versions WHERE version = '${version}')`;
    // Counts a forgetful write path could leave: one off, one missing, one for no version.
    await session.catalog.write(async (tx) => {
      await tx.run(`UPDATE version_totals SET files = files + 1 WHERE ${versionIs('1')}`);
      await tx.run(`DELETE FROM version_totals WHERE ${versionIs('2')}`);
      await tx.run("INSERT INTO version_totals VALUES ('00000000-0000-0000-0000-000000000001', 5, 50, 0, 0, 0, 0, 0, 0, 0)");
    });
    expect(await listedFiles('go/1')).toBe(10);
    await session.close();
    session = await openSession({ actor: 'test', root: path.join(temp.root, 'root') });
    await expectListMatchesDiskAndFindings(['go/1', 'go/2']);
    const rebuilt = async (): Promise<unknown[]> => (await session.call('events:list', { type: 'catalog.totals_rebuilt' })).items.map((e) => [e.level, e.payload]);
    expect(await rebuilt()).toEqual([['warn', { rows_off: 4, compared: 'files' }]]);

    // Health alone off: an open does not read every validation, the doctor's scan does.
    await session.catalog.write((tx) => tx.run(`UPDATE version_totals SET errors = errors + 3, files_checked = 0 WHERE ${versionIs('1')}`));
    await session.close();
    session = await openSession({ actor: 'test', root: path.join(temp.root, 'root') });
    expect(await rebuilt()).toHaveLength(1);
    await session.call('doctor:plan', {});
    await expectListMatchesDiskAndFindings(['go/1', 'go/2']);
    expect(await rebuilt()).toEqual([['warn', { rows_off: 2, compared: 'all' }], ['warn', { rows_off: 4, compared: 'files' }]]);
  });

  it('come from the file rows when a catalog from before them is migrated', async () => {
    await session.call('ingest:run', { source: sourceFolder('a', 6, 'one'), service: 'go', version: '1' });
    await session.call('ingest:run', { source: sourceFolder('b', 8, 'two'), service: 'hp', version: '2' });
    // The catalog as migration 0018 left it: no totals table, 0019 not applied.
    await session.catalog.write(async (tx) => {
      await tx.run('DROP TABLE version_totals CASCADE');
      await tx.run('DROP MACRO TABLE version_totals_counted');
      await tx.run('DELETE FROM schema_version WHERE version = 19');
    });
    await session.close();
    session = await openSession({ actor: 'test', root: path.join(temp.root, 'root') });
    expect(session.catalog.migrations?.applied.map((m) => m.name)).toEqual(['0019_version_totals.sql']);
    await expectListMatchesDiskAndFindings(['go/1', 'hp/2']);
    expect((await session.call('events:list', { type: 'catalog.totals_rebuilt' })).items).toEqual([]);
  });
});
