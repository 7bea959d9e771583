/**
 * What `--out FILE`, `schema --markdown FILE` and `sources export FILE` write to. Every
 * output is a temp file renamed over its target, so a target that is not a file was
 * replaced by one: `report latest --out /dev/full` run as root turned the system's
 * /dev/full into a regular file (seen on this machine), a named pipe a reader waited on
 * became a file, and a symbolic link was replaced by a file instead of writing the file it
 * names (as a shell's `>` does). Now a device, pipe or folder is refused, naming what it
 * is, and a link is followed. GNU stat's %F names the file type before and after; the
 * devices here are the test's own (mknod in its temp folder), never the system's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

function fileType(file: string): string {
  const run = spawnSync('stat', ['-c', '%F', file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

describe('an output file named where something that is not a file stands', () => {
  const temp = makeTempRoot('ontocat-output-targets');
  const root = path.join(temp.root, 'root');
  const out = path.join(temp.root, 'out');
  const targets: Record<string, string> = {};

  beforeAll(() => {
    expect(runOntocat(['init'], { root }).code).toBe(0);
    mkdirSync(path.join(out, 'folder'), { recursive: true });
    targets.pipe = path.join(out, 'pipe');
    expect(spawnSync('mkfifo', [targets.pipe]).status).toBe(0);
    targets.folder = path.join(out, 'folder');
    // A character device of the test's own (the null device's numbers), where mknod is allowed.
    targets.device = path.join(out, 'null-device');
    if (spawnSync('mknod', [targets.device, 'c', '1', '3']).status !== 0) delete targets.device;
  });
  afterAll(() => temp.cleanup());

  it('refuses a named pipe, a folder and a device, naming each, and leaves them as they were', () => {
    const before = Object.fromEntries(Object.entries(targets).map(([name, file]) => [name, fileType(file)]));
    expect(before.pipe).toBe('fifo');
    for (const [name, file] of Object.entries(targets)) {
      for (const argv of [['report', 'latest', '--format', 'csv', '--out', file], ['report', 'latest', '--out', file], ['schema', '--markdown', file], ['sources', 'export', file]]) {
        const run = runOntocat(argv, { root });
        expect({ argv, code: run.code }).toEqual({ argv, code: 1 });
        const kind = name === 'pipe' ? 'a named pipe' : name === 'folder' ? 'a folder' : 'a device';
        expect(run.stderr).toContain(`Refused to write ${file}: it is ${kind}, not a file`);
        expect(run.stderr).toContain('Nothing was written.');
      }
      expect(fileType(file)).toBe(before[name]);
    }
  }, 120_000);

  it('writes through a symbolic link to the file it names, keeping the link', () => {
    const real = path.join(out, 'real.csv');
    const link = path.join(out, 'link.csv');
    writeFileSync(real, 'old\n');
    symlinkSync(real, link);
    const run = runOntocat(['report', 'latest', '--format', 'csv', '--out', link], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(fileType(link)).toBe('symbolic link');
    expect(readFileSync(real, 'utf8')).toMatch(/^service,/);
    const dangling = path.join(out, 'dangling.csv');
    symlinkSync(path.join(out, 'nowhere', 'x.csv'), dangling);
    const refused = runOntocat(['report', 'latest', '--format', 'csv', '--out', dangling], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is a symbolic link to nothing');
  }, 60_000);
});
