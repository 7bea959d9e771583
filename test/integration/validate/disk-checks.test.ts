/**
 * Validation checks every file of a version on disk, including the many files no
 * validator reads (images, archives), while the parsers run: a missing or resized file
 * among them is a finding, and a link among them refuses the run and leaves the stored
 * results as they were.
 */
import { mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../../electron/catalog/file-queries.js';
import { listValidations } from '../../../electron/catalog/validation-queries.js';
import { CHECK_BATCH, validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import type { Progress } from '../../../electron/shared/progress.js';
import { dataRelpath } from '../../../electron/storage/layout.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const ref = { service: 'pkg', version: '1' };
/** More files without a validator than one batch of the workers' disk check: two batches. */
const IMAGES = 700;
/** The images in the order the check batches hold them (by path, as the catalog sorts). */
const byPath = Array.from({ length: IMAGES }, (_, i) => `img/icon-${i}.png`).sort();

describe('validation checks every file on disk while the parsers run', () => {
  const temp = makeTempRoot('ontocat-disk-checks');
  const root = path.join(temp.root, 'root');
  let session: Session;
  const onDisk = (relpath: string): string => path.join(root, ...dataRelpath(ref.service, ref.version, relpath).split('/'));

  beforeAll(async () => {
    const source = path.join(temp.root, 'src');
    mkdirSync(path.join(source, 'img'), { recursive: true });
    writeFileSync(path.join(source, 'good.ttl'), '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n');
    writeFileSync(path.join(source, 'broken.ttl'), '@prefix ex: <http://example.org/> .\nex:a ex:b .\n');
    for (let i = 0; i < IMAGES; i += 1) writeFileSync(path.join(source, 'img', `icon-${i}.png`), `\x89PNG fake image ${i}`);
    const ingest = runOntocat(['ingest', source, '--service', ref.service, '--version', ref.version, '--json'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    session = await openSession({ actor: 'test', root });
  });
  afterAll(async () => {
    await session?.close();
    temp.cleanup();
  });

  const failures = async (): Promise<string[]> => {
    const page = await session.catalog.read((conn) => listValidations(conn, ref, { passed: false, limit: 100 }));
    return page.items.map((row) => `${row.relpath} ${row.validator}/${row.rule}`).sort();
  };

  it('a clean tree: only the broken Turtle file fails, every file counted', async () => {
    const progress: Progress[] = [];
    const result = await validateVersion(session.catalog, ref, { workers: 2, reuse: false, onProgress: (p) => progress.push(p) });
    expect(result.files).toBe(IMAGES + 2);
    expect(result.checked).toBe(2);
    expect(await failures()).toEqual(['broken.ttl turtle/syntax']);
    expect(progress.at(-1)).toMatchObject({ done: 2, total: 2 });
  });

  it('a missing and a resized file among those no validator reads are findings, counted in the progress', async () => {
    unlinkSync(onDisk('img/icon-650.png'));
    // The stored file is a read-only link to its content object: replace it, never write through it.
    unlinkSync(onDisk('img/icon-651.png'));
    writeFileSync(onDisk('img/icon-651.png'), 'a different, longer content than the catalog recorded');
    const progress: Progress[] = [];
    const result = await validateVersion(session.catalog, ref, { workers: 2, reuse: false, onProgress: (p) => progress.push(p) });
    expect(result.checked).toBe(3);
    expect(await failures()).toEqual([
      'broken.ttl turtle/syntax', 'img/icon-650.png storage/missing-file', 'img/icon-651.png storage/size-mismatch',
    ]);
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3 });
    // files --status failed / passed / unvalidated split the files: a missing one is failed only.
    const [failed, passed, unvalidated, all] = await session.catalog.read(async (conn) => Promise.all(
      [...(['failed', 'passed', 'unvalidated'] as const).map((status) => listFiles(conn, ref, { status, limit: 1000 })), listFiles(conn, ref, { limit: 1000 })],
    ));
    const paths = (page: typeof all): string[] => page!.items.map((file) => file.relpath);
    expect(paths(failed)).toEqual(['broken.ttl', 'img/icon-650.png', 'img/icon-651.png']);
    expect(paths(unvalidated)).not.toContain('img/icon-650.png');
    expect([...paths(failed), ...paths(passed), ...paths(unvalidated)].sort()).toEqual(paths(all).sort());
  });

  it('a link among them refuses the run while the pool parses, and the stored results stay', async () => {
    const before = await failures();
    rmSync(onDisk('img/icon-699.png'));
    symlinkSync(path.join(temp.root, 'src', 'good.ttl'), onDisk('img/icon-699.png'));
    await expect(validateVersion(session.catalog, ref, { workers: 2, reuse: false })).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    expect(await failures()).toEqual(before);
  });

  it('cancelling once a file is parsed stops the run and writes nothing', async () => {
    rmSync(onDisk('img/icon-699.png'));
    const before = await failures();
    const controller = new AbortController();
    const run = validateVersion(session.catalog, ref, {
      workers: 2, reuse: false,
      onProgress: (p) => { if (p.current !== null) controller.abort(); },
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await failures()).toEqual(before);
  });

  it('files at both edges of a check batch are findings, and the rest of the tree passes', async () => {
    expect(IMAGES).toBeGreaterThan(CHECK_BATCH);
    // The first and last file of the first batch and the first of the second (icon-699 is
    // missing since the cancel test above).
    const edges = [byPath[0]!, byPath[CHECK_BATCH - 1]!, byPath[CHECK_BATCH]!];
    for (const relpath of edges) unlinkSync(onDisk(relpath));
    const progress: Progress[] = [];
    const result = await validateVersion(session.catalog, ref, { workers: 2, reuse: false, onProgress: (p) => progress.push(p) });
    expect(result.checked).toBe(2 + 5);
    expect(await failures()).toEqual([
      'broken.ttl turtle/syntax', ...edges.map((relpath) => `${relpath} storage/missing-file`),
      'img/icon-650.png storage/missing-file', 'img/icon-651.png storage/size-mismatch', 'img/icon-699.png storage/missing-file',
    ].sort());
    expect(progress.at(-1)).toMatchObject({ done: 7, total: 7 });
    for (const relpath of edges) writeFileSync(onDisk(relpath), `\x89PNG fake image ${relpath.replace(/\D/g, '')}`);
  });

  it('a linked folder above the checked files refuses the run, naming the link, and the stored results stay', async () => {
    const before = await failures();
    const real = `${onDisk('img')}-real`;
    renameSync(onDisk('img'), real);
    symlinkSync(real, onDisk('img'));
    try {
      await expect(validateVersion(session.catalog, ref, { workers: 1, reuse: false }))
        .rejects.toMatchObject({ code: 'UNSAFE_PATH', details: { blocked: dataRelpath(ref.service, ref.version, 'img'), reason: 'symlink' } });
      expect(await failures()).toEqual(before);
    } finally {
      unlinkSync(onDisk('img'));
      renameSync(real, onDisk('img'));
    }
  });
});

describe('a version with few files no validator reads checks them without a worker batch', () => {
  const temp = makeTempRoot('ontocat-disk-checks-few');
  const root = path.join(temp.root, 'root');
  let session: Session;
  const onDisk = (relpath: string): string => path.join(root, ...dataRelpath(ref.service, ref.version, relpath).split('/'));

  beforeAll(async () => {
    const source = path.join(temp.root, 'src');
    mkdirSync(path.join(source, 'img'), { recursive: true });
    writeFileSync(path.join(source, 'good.ttl'), '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n');
    for (let i = 0; i < 5; i += 1) writeFileSync(path.join(source, 'img', `icon-${i}.png`), `\x89PNG fake image ${i}`);
    const ingest = runOntocat(['ingest', source, '--service', ref.service, '--version', ref.version, '--json'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    session = await openSession({ actor: 'test', root });
  });
  afterAll(async () => {
    await session?.close();
    temp.cleanup();
  });

  it('a missing and a resized file are findings; a link refuses the run and the stored results stay', async () => {
    unlinkSync(onDisk('img/icon-1.png'));
    unlinkSync(onDisk('img/icon-2.png'));
    writeFileSync(onDisk('img/icon-2.png'), 'longer than the recorded content');
    const result = await validateVersion(session.catalog, ref, { workers: 2, reuse: false });
    expect(result).toMatchObject({ files: 6, checked: 2 });
    const failed = async (): Promise<string[]> => (await session.catalog.read((conn) => listValidations(conn, ref, { passed: false, limit: 100 })))
      .items.map((row) => `${row.relpath} ${row.validator}/${row.rule}`).sort();
    expect(await failed()).toEqual(['img/icon-1.png storage/missing-file', 'img/icon-2.png storage/size-mismatch']);
    rmSync(onDisk('img/icon-3.png'));
    symlinkSync(path.join(temp.root, 'src', 'good.ttl'), onDisk('img/icon-3.png'));
    await expect(validateVersion(session.catalog, ref, { workers: 2, reuse: false })).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    expect(await failed()).toEqual(['img/icon-1.png storage/missing-file', 'img/icon-2.png storage/size-mismatch']);
  });
});
