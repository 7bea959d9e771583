import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/**
 * Labels and definitions come from the ontologies themselves: a Turtle `"…\n…"` is a real
 * newline, and an escaped ESC (`\u001B[2J`) is a real terminal escape. The CLI's tables
 * printed them raw: a row broke over two lines (the second read as another term), and the
 * escape reached the terminal (it cleared the screen). The JSON output keeps them exact;
 * the table shows each control character as \xNN, one row per term.
 */
describe('tables show control characters from catalog text as \\xNN, one line per row', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-table-controls');
    root = path.join(temp.root, 'root');
    const src = path.join(temp.root, 'src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'o.ttl'), [
      '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
      '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
      '@prefix ex: <http://example.org/o#> .',
      'ex:A a owl:Class ; rdfs:label "first line\\nsecond line" .',
      'ex:B a owl:Class ; rdfs:label "clear\\u001B[2Jscreen" .',
      'ex:C a owl:Class ; rdfs:label "tab\\there" .',
      '',
    ].join('\n'));
    const run = runOntocat(['ingest', src, '--service', 'o', '--version', '1'], { root });
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('terms search: three terms, three rows, no raw control character; --json keeps the labels exact', () => {
    const json = runOntocat(['terms', 'search', 'example.org', '--json'], { root });
    expect(json.code, json.stderr).toBe(0);
    const labels = json.json<{ items: { label: string }[] }>().items.map((item) => item.label).sort();
    expect(labels).toEqual(['clear\u001b[2Jscreen', 'first line\nsecond line', 'tab\there']);

    const table = runOntocat(['terms', 'search', 'example.org'], { root });
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2 + labels.length);
    // eslint-disable-next-line no-control-regex -- raw control characters are what must not be printed
    expect(table.stdout.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(table.stdout).toContain('first line\\x0asecond line');
    expect(table.stdout).toContain('clear\\x1b[2Jscreen');
    expect(table.stdout).toContain('tab\\x09here');
  });
});
