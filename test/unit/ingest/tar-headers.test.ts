import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TarHeaderScanner, type TarHeader } from '../../../electron/ingest/tar-headers.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const hasTar = spawnSync('tar', ['--version']).status === 0;

async function scan(file: string): Promise<TarHeader[]> {
  const out: TarHeader[] = [];
  await pipeline(createReadStream(file, { highWaterMark: 777 }), new TarHeaderScanner((header) => { out.push(header); }));
  return out;
}

/** What GNU tar itself lists: type letter, size and name of each entry (`tar -tvf`, numeric). */
function gnuListing(file: string): { type: string; size: number; name: string }[] {
  const listed = spawnSync('tar', ['--numeric-owner', '--quoting-style=literal', '-tvf', file], { encoding: 'utf8' });
  expect(listed.status, listed.stderr).toBe(0);
  return listed.stdout.trim().split('\n').map((line) => {
    const match = /^(\S)\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.*?)(?: -> .*| link to .*)?$/.exec(line)!;
    return { type: match[1]!, size: Number(match[2]), name: match[3]!.replace(/\/$/, '') };
  });
}

describe.skipIf(!hasTar)('TarHeaderScanner against GNU tar (outside truth)', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let tree: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-tar-headers');
    tree = path.join(temp.root, 'tree');
    const deep = path.join(tree, 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(tree, 'small.ttl'), 'x');
    writeFileSync(path.join(deep, `${'long-name-'.repeat(12)}.obo`), 'y'.repeat(1500));
    writeFileSync(path.join(tree, 'ünïcödé.txt'), Buffer.alloc(513, 0x61));
    writeFileSync(path.join(tree, 'empty'), '');
    symlinkSync('small.ttl', path.join(tree, 'alias.ttl'));
    symlinkSync(path.join('..', '..', '..', 'small.ttl'), path.join(deep, `${'far-link-'.repeat(14)}`));
  });
  afterAll(() => temp.cleanup());

  for (const format of ['gnu', 'pax', 'ustar', 'v7']) {
    it(`reads the same entries as GNU tar from a ${format} archive, skipping data`, async (ctx) => {
      const file = path.join(temp.root, `${format}.tar`);
      const made = spawnSync('tar', [`--format=${format}`, '-cf', file, '-C', tree, '.'], { encoding: 'utf8' });
      // ustar and v7 cannot store names this long: GNU tar says so and leaves them out.
      if (made.status !== 0 && !/too long|file name is too long/i.test(made.stderr)) throw new Error(made.stderr);
      const expected = gnuListing(file);
      if (expected.length === 0) ctx.skip(`GNU tar wrote no entries in ${format}`);
      const headers = await scan(file);
      expect(headers.map((header) => header.name.replace(/\/$/, ''))).toEqual(expected.map((entry) => entry.name));
      const typeLetter = (header: TarHeader): string => ({ '0': '-', '5': 'd', '2': 'l', '1': 'h' }[header.typeflag] ?? header.typeflag);
      expect(headers.map(typeLetter)).toEqual(expected.map((entry) => entry.type));
      expect(headers.map((header) => (header.typeflag === '0' ? header.size : 0))).toEqual(expected.map((entry) => (entry.type === '-' ? entry.size : 0)));
      const longLink = headers.find((header) => header.name.includes('far-link-'));
      if (longLink) expect(longLink.linkTarget).toBe('../../../small.ttl');
    });
  }

  it('marks sparse entries (GNU, old GNU with extension blocks, PAX 0.0/0.1/1.0) under their real names, and reads on past them as GNU tar does', async (ctx) => {
    const sparseTree = path.join(temp.root, 'sparse-tree');
    mkdirSync(sparseTree, { recursive: true });
    // Ten data runs and holes between: more runs than an old GNU header's map holds (4).
    const fd = openSync(path.join(sparseTree, 'holes.bin'), 'w');
    for (let i = 0; i < 10; i += 1) writeSync(fd, Buffer.from(`run ${i}\n`), 0, undefined, i * (256 << 10));
    closeSync(fd);
    truncateSync(path.join(sparseTree, 'holes.bin'), 4 << 20);
    writeFileSync(path.join(sparseTree, 'after.txt'), 'after');
    for (const args of [['--format=gnu'], ['--format=oldgnu'], ...['0.0', '0.1', '1.0'].map((v) => ['--format=pax', `--sparse-version=${v}`])]) {
      const file = path.join(temp.root, `sparse-${args.join('')}.tar`);
      const made = spawnSync('tar', ['--sparse', ...args, '-cf', file, '-C', sparseTree, 'holes.bin', 'after.txt'], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const raw = readFileSync(file);
      // Type 'S' in the first header, or GNU.sparse.* pax keys: else there were no holes to store.
      if (raw[156] !== 0x53 && !raw.includes('GNU.sparse.')) ctx.skip('this file system keeps no holes: GNU tar stored a plain file');
      const headers = await scan(file);
      expect(headers.map((header) => header.name), args.join(' ')).toEqual(gnuListing(file).map((entry) => entry.name));
      expect(headers.map((header) => [header.name, header.sparse]), args.join(' ')).toEqual([['holes.bin', true], ['after.txt', false]]);
      expect(headers[1]!.size).toBe(5);
    }
  });

  it('refuses a truncated archive and a header with a wrong checksum', async () => {
    const file = path.join(temp.root, 'gnu.tar');
    spawnSync('tar', ['--format=gnu', '-cf', file, '-C', tree, '.']);
    const raw = (await import('node:fs')).readFileSync(file);
    const cut = path.join(temp.root, 'cut.tar');
    writeFileSync(cut, raw.subarray(0, 512 * 3 + 100));
    await expect(scan(cut)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/truncated|checksum/) });
    const flipped = Buffer.from(raw);
    flipped[10] = flipped[10]! ^ 0x01;
    const bad = path.join(temp.root, 'bad.tar');
    writeFileSync(bad, flipped);
    await expect(scan(bad)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/checksum/) });
  });
});
