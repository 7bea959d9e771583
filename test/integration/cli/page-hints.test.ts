/**
 * Tables the CLI prints a page of must say when there is more. `ls` of a folder of 520
 * files printed 500 rows and nothing else (GNU find lists 520), `latest history` and
 * `events` cut at their page size without a word, and `latest history S --offset 5` of a
 * service whose latest was set three times said "No latest version was ever set".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirEntry } from '../../../electron/shared/models.js';
import { runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let folder: string;
let cleanup: () => void;

beforeAll(() => {
  const temp = makeTempRoot('ontocat-page-hints');
  cleanup = temp.cleanup;
  root = path.join(temp.root, 'root');
  folder = path.join(temp.root, 'many');
  mkdirSync(folder);
  for (let i = 1; i <= 520; i += 1) writeFileSync(path.join(folder, `f${i}.txt`), `${i}\n`);
  runOntocatOk(['ingest', folder, '--service', 'many', '--version', '1'], { root });
  runOntocatOk(['ingest', folder, '--service', 'many', '--version', '2'], { root });
  for (const version of ['1', '2', '1']) runOntocatOk(['latest', 'set', `many/${version}`], { root });
});
afterAll(() => cleanup());

/** The NAME cells of a table printed for people: the lines between the dashes and the first blank or hint line. */
function tableNames(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => /^-+ /.test(line)) + 1;
  const rows: string[] = [];
  for (const line of lines.slice(start)) {
    if (line === '' || line.startsWith('(')) break;
    rows.push(line.split(/\s{2,}/)[0]!);
  }
  return rows;
}

describe('page hints under CLI tables', () => {
  it('ls says how many of a folder it shows, and its pages hold what GNU find lists', () => {
    const found = execFileSync('find', [folder, '-mindepth', '1', '-maxdepth', '1', '-printf', '%f\\n'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(found).toHaveLength(520);
    const first = runOntocatOk(['ls', 'many/1'], { root }).stdout;
    expect(first.trimEnd().split('\n').at(-1)).toBe('(500 of 520; --offset to page)');
    const rest = runOntocatOk(['ls', 'many/1', '--offset', '500'], { root }).stdout;
    expect(rest).not.toContain(' of 520');
    const shown = [...tableNames(first), ...tableNames(rest)];
    expect(shown).toHaveLength(520);
    expect(new Set(shown)).toEqual(new Set(found));
    expect(runOntocatOk(['ls', 'many/1', '--json', '--limit', '1000'], { root }).json<DirEntry[]>().map((e) => e.name)).toEqual(shown);
    expect(runOntocatOk(['ls', 'many/1', '--offset', '600'], { root }).stdout.trimEnd()).toBe('(none)\n(none past --offset 600; 520 in all)');
  });

  it('delta tree shows as many rows as its --help says it does by default', () => {
    const help = runOntocatOk(['delta', 'tree', '--help'], { root }).stdout;
    const stated = Number(/--limit VALUE +at most N rows \(default (\d+), max 1000\)/.exec(help)?.[1]);
    const tree = runOntocatOk(['delta', 'tree', 'many/1', 'many/2', '--all'], { root }).stdout;
    expect(tableNames(tree)).toHaveLength(stated);
    expect(tree.trimEnd().split('\n').at(-1)).toBe(`(${stated} of 520; --offset to page)`);
  });

  it('latest history pages its moves and never says a service had none when it did', () => {
    const all = runOntocatOk(['latest', 'history', 'many', '--json'], { root }).json<{ version: string }[]>();
    expect(all.map((c) => c.version)).toEqual(['1', '2', '1']);
    const one = runOntocatOk(['latest', 'history', 'many', '--limit', '1'], { root }).stdout;
    expect(one.trimEnd().split('\n').at(-1)).toBe('(1 of 3; --offset to page)');
    const past = runOntocatOk(['latest', 'history', 'many', '--offset', '5'], { root }).stdout;
    expect(past).not.toContain('No latest version was ever set');
    expect(past.trimEnd()).toBe('(none)\n(none past --offset 5; 3 in all)');
    expect(runOntocatOk(['latest', 'history', 'many', '--offset', '2'], { root }).stdout).not.toContain(' of 3');
  });

  it('events says how many of the audit log it shows', () => {
    const total = runOntocatOk(['events', '--limit', '1000', '--json'], { root }).json<unknown[]>().length;
    expect(total).toBeGreaterThan(2);
    const one = runOntocatOk(['events', '--limit', '1'], { root }).stdout;
    expect(one.trimEnd().split('\n').at(-1)).toBe(`(1 of ${total}; --offset to page)`);
    const files = runOntocatOk(['files', 'many/1', '--offset', '520'], { root }).stdout;
    expect(files.trimEnd()).toBe('(none)\n(none past --offset 520; 520 in all)');
  });
});
