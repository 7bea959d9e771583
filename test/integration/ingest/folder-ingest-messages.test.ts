import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { writeTree } from './archive-fixtures.js';

/**
 * What a folder ingest says about what it leaves out. A dangling link and a link to a
 * folder were reported as "archive entries" although no archive was involved; a name
 * holding a backslash (legal on Linux: `touch 'a\b'`) was refused as "Path 'a\b/f.txt'
 * contains a backslash; use '/'." without naming the folder, as if the curator had typed it.
 */
describe('folder ingest names what it skips and what it refuses as a folder\'s entries', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let src: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-folder-messages');
    root = path.join(temp.root, 'root');
    src = path.join(temp.root, 'src');
    mkdirSync(src);
  });
  afterAll(() => temp.cleanup());

  it('a dangling link and a link to a folder: "2 entries skipped", no archive mentioned', () => {
    const tree = path.join(src, 'links');
    writeTree(tree, { 'real/f.ttl': '<a:b> <c:d> "e" .\n' });
    symlinkSync('real', path.join(tree, 'to-folder'));
    symlinkSync('missing.ttl', path.join(tree, 'dangling.ttl'));
    const run = runOntocat(['ingest', tree, '--service', 'f', '--version', '1'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 entries skipped (links to nothing or to folders).');
    expect(run.stdout).not.toContain('archive');
  });

  it('a name with a backslash is refused naming the folder and the entry', () => {
    const tree = path.join(src, 'backslash');
    writeTree(tree, { 'ok.txt': 'ok\n', 'a\\b/f.txt': 'x\n' });
    const run = runOntocat(['ingest', tree, '--service', 'f', '--version', '2'], { root });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`ontocat: Refused ${tree}: 'a\\b/f.txt' has a backslash in its name, which Ontocat does not record in paths (it reads as a folder separator on Windows): rename it and ingest again.`);
  });
});
