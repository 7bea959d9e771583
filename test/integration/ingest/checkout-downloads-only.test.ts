/**
 * A version made by `fetch` holds its download as it came (`S/V/archives/NAME`) and no data
 * files. Its checkout wrote nothing and said only "0 files", so a curator could not tell an
 * empty release from one whose bytes sit elsewhere: it now names the download, which
 * coreutils' sha256sum finds to be the served release (a real EDAM release over HTTP).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckoutResult } from '../../../electron/shared/contract/bucket.js';
import { projectRoot, runOntocat, runOntocatAsync, runOntocatOk } from '../../helpers/run-cli.js';
import { localHttpServer, sha256sumOf } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const release = readFileSync(path.join(projectRoot, 'test/fixtures/edam/EDAM_1.2.owl.gz'));

describe('checkout of a version that holds only a download', () => {
  const temp = makeTempRoot('ontocat-checkout-downloads');
  const root = path.join(temp.root, 'root');
  const local = localHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': release.length });
    res.end(release);
  });
  afterAll(() => temp.cleanup());

  it('names the download it does not take, and a version of data files names none', async () => {
    const fetched = await runOntocatAsync(['fetch', `${local.base}/EDAM_1.2.owl.gz`, '--service', 'edam', '--version', '1.2', '--json'], { root });
    expect(fetched.code, fetched.stderr).toBe(0);
    const { fs_relpath: download } = fetched.json<{ fs_relpath: string }>();
    writeFileSync(path.join(temp.root, 'served.owl.gz'), release);
    expect(sha256sumOf(path.join(root, download))).toBe(sha256sumOf(path.join(temp.root, 'served.owl.gz')));

    const out = path.join(temp.root, 'out');
    const human = runOntocatOk(['checkout', 'edam/1.2', out], { root });
    expect(human.stdout).toContain('Checked out edam/1.2 into');
    expect(human.stdout).toContain(`edam/1.2 has no data files, only a download kept as fetched, which a checkout does not take: ${download}`);
    expect(readdirSync(out)).toEqual([]);
    const json = runOntocat(['checkout', 'edam/1.2', out, '--json'], { root }).json<CheckoutResult>();
    expect(json).toMatchObject({ files: 0, downloads_only: [download] });

    const src = path.join(temp.root, 'src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'notes.txt'), 'release notes\n');
    runOntocatOk(['ingest', src, '--service', 'edam', '--version', '1.3'], { root });
    const data = runOntocat(['checkout', 'edam/1.3', path.join(temp.root, 'out-1.3'), '--json'], { root }).json<CheckoutResult>();
    expect(data).toMatchObject({ files: 1, downloads_only: [] });
  }, 120_000);
});
