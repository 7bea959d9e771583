/**
 * In a terminal, a CLI table is cut to the terminal's width so each row stays one line;
 * piped, every value is whole. Run under util-linux `script` (a real pseudo-terminal whose
 * width `stty` sets), widths checked with glibc's wcswidth, values against `--json`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin, runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { glibcWidths as terminalWidths } from '../../helpers/terminal-width.js';

const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

/** `ontocat ARGS` on a pseudo-terminal `columns` wide: what it printed, lines without CR. */
function inTerminal(args: readonly string[], columns: number): string[] {
  const command = `stty cols ${columns} rows 50; ${quote(process.execPath)} ${[cliBin, ...args].map(quote).join(' ')}`;
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' }, timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.replace(/\r/g, '').split('\n').filter((line) => line !== '');
}

const scriptAvailable = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!scriptAvailable)('CLI tables in a terminal', () => {
  const temp = makeTempRoot('ontocat-terminal-width');
  const root = path.join(temp.root, 'catalog');
  const deep = 'ontologies/imports/external/very-long-folder-name-for-imported-vocabularies';
  const names = [`${deep}/dbpedia-ontology-2021-09-22.owl`, `${deep}/人工衛星の語彙-2021.ttl`, 'README.txt'];

  beforeAll(() => {
    const source = path.join(temp.root, 'src');
    for (const name of names) {
      mkdirSync(path.dirname(path.join(source, name)), { recursive: true });
      writeFileSync(path.join(source, name), `<http://example.org/${names.indexOf(name)}> <http://example.org/p> "x" .\n`);
    }
    runOntocatOk(['ingest', source, '--service', 'vocab', '--version', '1.0'], { root });
  });
  afterAll(() => temp.cleanup());

  it('cuts the widest column to an 80-column terminal, one line a row, each cut path the head and tail of the whole one', () => {
    const whole = runOntocatOk(['files', 'vocab/1.0', '--json'], { root }).json<{ relpath: string }[]>().map((f) => f.relpath);
    expect(whole.sort()).toEqual([...names].sort());
    const lines = inTerminal(['files', 'vocab/1.0', '--root', root], 80);
    const widths = terminalWidths(lines);
    expect(Math.max(...widths), lines.join('\n')).toBeLessThanOrEqual(80);
    // Header, dashes and one row a file: no row wrapped onto a second line.
    const rows = lines.slice(lines.findIndex((line) => /^-+ /.test(line)) + 1).filter((line) => !line.startsWith('('));
    expect(rows).toHaveLength(names.length);
    for (const row of rows) {
      const cell = row.split(/ {2,}/)[0]!;
      const [head, tail] = cell.includes('…') ? cell.split('…') as [string, string] : [cell, ''];
      expect(whole.some((relpath) => relpath.startsWith(head) && relpath.endsWith(tail)), `${cell} is no file's path cut`).toBe(true);
    }
    expect(rows.some((row) => row.includes('…'))).toBe(true);
    expect(rows.find((row) => row.startsWith('README.txt'))).toBeDefined();
  });

  it('prints every value whole when the output is piped', () => {
    const piped = runOntocat(['files', 'vocab/1.0'], { root }).stdout;
    for (const name of names) expect(piped).toContain(name);
  });
});
