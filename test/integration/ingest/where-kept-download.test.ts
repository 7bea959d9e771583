/**
 * `ontocat where SHA256` of a download a version keeps as fetched (S/V/archives/NAME, by
 * `fetch` or a URL ingest) named the artifact as `edam/1.1/edam.tar.gz` and the content
 * store object it is not in, never the file on disk: a curator asking where the original
 * download is got no answer. Checked against coreutils' sha256sum and realpath of the
 * real EDAM release served on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { create as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhereResult } from '../../../electron/shared/contract/ingest.js';
import { release, ReleaseServer } from '../../helpers/release-server.js';
import { runOntocat, runOntocatAsync } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-where-kept');
const root = path.join(temp.root, 'root');
const server = new ReleaseServer();
let sha256 = '';

beforeAll(async () => {
  const tarball = path.join(temp.root, 'edam.tar.gz');
  await createTar({ gzip: true, file: tarball, cwd: '/usr/share/EMBOSS/data' }, ['EDAM.obo']);
  sha256 = execFileSync('sha256sum', [tarball], { encoding: 'utf8' }).split(' ')[0]!;
  await server.start();
  server.current.set('/edam.tar.gz', release(readFileSync(tarball), 'Thu, 13 Dec 2012 10:00:00 GMT'));
  const fetched = await runOntocatAsync(['fetch', `${server.base}/edam.tar.gz`, '--service', 'edam', '--version', '1.0'], { root });
  expect(fetched.code, fetched.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await server.stop();
  temp.cleanup();
});

describe('where names a kept download', () => {
  it('gives the path of the file under S/V/archives/ that holds the content, as sha256sum finds it', () => {
    const kept = execFileSync('find', [root, '-path', '*/archives/*', '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(kept).toHaveLength(1);
    expect(execFileSync('sha256sum', [kept[0]!], { encoding: 'utf8' }).split(' ')[0]).toBe(sha256);
    const relative = path.relative(execFileSync('realpath', [root], { encoding: 'utf8' }).trim(), execFileSync('realpath', [kept[0]!], { encoding: 'utf8' }).trim());
    expect(relative).toBe('edam/1.0/archives/edam.tar.gz');

    const human = runOntocat(['where', sha256], { root });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('KEPT AT');
    expect(human.stdout).toContain(relative);
    // Not said to be missing from a store a download is never put in.
    expect(human.stdout).not.toContain('(not in the store)');

    const json = runOntocat(['where', sha256, '--json'], { root }).json<WhereResult>();
    expect(json.artifacts).toEqual([expect.objectContaining({ fs_relpath: relative, kept: true })]);
  });

  it('says a download recorded as kept is no longer on disk', () => {
    rmSync(path.join(root, 'edam/1.0/archives/edam.tar.gz'));
    const human = runOntocat(['where', sha256], { root });
    expect(human.stdout).toContain('edam/1.0/archives/edam.tar.gz (missing)');
    expect(runOntocat(['where', sha256, '--json'], { root }).json<WhereResult>().artifacts[0]).toMatchObject({ kept: false });
  });
});
