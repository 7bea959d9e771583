/**
 * `ontocat verify` said "Checked 4 files (1.26 MB)" of files the catalog records as
 * 2.15 MB when one was missing and one cut short: the bytes it happened to read, beside a
 * count of the files it checked. The size a curator reads beside "Checked N files" is now
 * what the catalog records for them (stat's sizes of the files as ingested), and the bytes
 * found on disk are said beside it when they differ; --json keeps `bytes` (read) and adds
 * `recorded_bytes`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../../electron/shared/contract/ingest.js';
import { formatBytes } from '../../../electron/cli/output.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const OBO = '/usr/share/EMBOSS/data/OBO';
const temp = makeTempRoot('ontocat-verify-bytes');
const root = path.join(temp.root, 'root');
const source = path.join(temp.root, 'src');
const names = ['ro.obo', 'eco.obo', 'so.obo', 'pathway.obo'];

/** Sum of st_size, as GNU find prints it, of the files matching `args` under `dir`. */
function findBytes(dir: string, ...args: string[]): number {
  return execFileSync('find', [dir, '-type', 'f', ...args, '-printf', '%s\\n'], { encoding: 'utf8' })
    .split('\n').filter(Boolean).reduce((sum, size) => sum + Number(size), 0);
}

beforeAll(() => {
  mkdirSync(source, { recursive: true });
  for (const name of names) copyFileSync(path.join(OBO, name), path.join(source, name));
  runOntocatOk(['ingest', source, '--service', 'obo', '--version', '1'], { root });
}, 120_000);
afterAll(() => temp.cleanup());

describe('verify says the size of what it checked', () => {
  it('gives the recorded size beside the files checked, and the bytes found when they differ', () => {
    const recorded = findBytes(source);
    const clean = runOntocat(['verify', '--json'], { root }).json<VerifyResult & { recorded_bytes: number }>();
    expect(clean).toMatchObject({ checked: names.length, ok: names.length, bytes: recorded, recorded_bytes: recorded });
    expect(runOntocat(['verify'], { root }).stdout).toContain(`Checked 4 files (${formatBytes(recorded)}): 4 ok, 0 mismatched.`);

    // One file gone, one cut short (a new file in its place: the store object stays whole).
    const data = path.join(root, 'obo', '1', 'data');
    rmSync(path.join(data, 'so.obo'));
    rmSync(path.join(data, 'eco.obo'));
    writeFileSync(path.join(data, 'eco.obo'), 'format-version: 1.2\n');
    const onDisk = findBytes(data);
    expect(onDisk).toBeLessThan(recorded);

    const damaged = runOntocat(['verify', '--json'], { root });
    expect(damaged.code).toBe(1);
    expect(damaged.json<VerifyResult & { recorded_bytes: number }>()).toMatchObject({ checked: 4, ok: 2, bytes: onDisk, recorded_bytes: recorded });
    const human = runOntocat(['verify'], { root });
    expect(human.code).toBe(1);
    expect(human.stdout.split('\n')[0]).toBe(`Checked 4 files (${formatBytes(recorded)} as recorded; ${formatBytes(onDisk)} found on disk): 2 ok, 2 mismatched.`);
  });
});
