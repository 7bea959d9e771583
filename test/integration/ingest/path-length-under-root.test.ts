import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingestRefused, openTestRoot, type TestRoot } from './ingest-checks.js';

const hasTools = spawnSync('tar', ['--version']).status === 0 && spawnSync('python3', ['--version']).status === 0;

/**
 * The path limit (4096 bytes, Linux's PATH_MAX) was judged on the path inside the archive
 * alone, but Linux applies it to the whole path a file is opened by: ROOT/S/V/data/ and the
 * work folder come first. An entry of 4,090 bytes passed the header scan, was extracted and
 * stored, and the ingest then failed placing it: "File operation failed: ENAMETOOLONG: name
 * too long, mkdir '<a 4 KB path>'". GNU tar extracts such an entry (it opens relative to
 * each folder); Ontocat cannot hold it, and now says so from the headers.
 */
describe.skipIf(!hasTools)('a path too long to hold under the root is refused from the headers', () => {
  let temp: TestRoot['temp'];
  let root: string;
  let src: string;
  let catalog: Catalog;
  beforeEach(async () => {
    ({ temp, root, src, catalog } = await openTestRoot('ontocat-path-length'));
  });
  afterEach(async () => {
    await catalog.close();
    // GNU rm removes what Node's rmSync cannot reach (a path past PATH_MAX).
    spawnSync('rm', ['-rf', temp.root]);
    temp.cleanup();
  });

  it('a 4,090-byte entry path (16 folders of 254 bytes and a file) that GNU tar -x extracts', async () => {
    const archive = path.join(src, 'deep.tar');
    const script = [
      'import io, sys, tarfile',
      'name = "/".join("d%02d" % i + "x" * 251 for i in range(16))',
      'name += "/" + "f" * (4090 - len(name) - 1)',
      'assert len(name.encode()) == 4090',
      'with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:',
      '    for entry, data in ((name, b"deep\\n"), ("ok.txt", b"ok\\n")):',
      '        info = tarfile.TarInfo(entry); info.size = len(data); t.addfile(info, io.BytesIO(data))',
    ].join('\n');
    const made = spawnSync('python3', ['-c', script, archive], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    // The reference: GNU tar lays it out (5 bytes in the deep file).
    const out = path.join(src, 'gnu');
    mkdirSync(out);
    expect(spawnSync('tar', ['-xf', archive, '-C', out]).status).toBe(0);
    const found = spawnSync('find', [out, '-type', 'f', '-size', '5c'], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(found).toHaveLength(1);

    const refusal = await ingestRefused(catalog, root, archive);
    expect(refusal.code, refusal.message).toBe('LIMIT_EXCEEDED');
    expect(refusal.message).toMatch(/^Refused deep\.tar: entry 'd00x+…' has a path of 4090 bytes; under the storage root \(\d+ bytes before it\) it would pass the 4095 bytes a path may have: shorten its names\.$/);
    expect(refusal.extracted).toBe(false);
  });
});
