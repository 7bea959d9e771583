/**
 * A file name typed one way and stored another: macOS writes names decomposed (NFD, `e` and
 * a combining acute), while people and most tools type them composed (NFC). `files --search
 * café` found the NFC name and not the NFD one. Outside truth: Python's unicodedata makes the
 * NFD name and says which names contain the query once both are composed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-search-forms');
const root = path.join(temp.root, 'root');
let names: string[];

/** Python's NFC or NFD form of `text`. */
const pythonForm = (form: 'NFC' | 'NFD', text: string): string =>
  JSON.parse(spawnSync('python3', ['-c', 'import json, sys, unicodedata; print(json.dumps(unicodedata.normalize(sys.argv[1], sys.argv[2])))', form, text], { encoding: 'utf8' }).stdout) as string;

beforeAll(() => {
  const src = path.join(temp.root, 'src');
  mkdirSync(src, { recursive: true });
  names = [`${pythonForm('NFC', 'café')}-composed.ttl`, `${pythonForm('NFD', 'café')}-decomposed.ttl`, 'cafe-plain.ttl'];
  expect(names[0]).not.toBe(names[1]!.replace('decomposed', 'composed'));
  for (const name of names) writeFileSync(path.join(src, name), '<http://example.org/a> <http://example.org/b> "c" .\n');
  for (const args of [['init'], ['ingest', src, '--service', 's', '--version', '1']]) {
    const run = runOntocat(args, { root });
    expect(run.code, run.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => temp.cleanup());

describe('files --search across Unicode normal forms', () => {
  it.each(['NFC', 'NFD'] as const)('a query typed in %s finds every name that holds it once composed, as Python says', (form) => {
    const query = pythonForm(form, 'café');
    const expected = names.filter((name) => pythonForm('NFC', name).includes(pythonForm('NFC', query))).map((name) => pythonForm('NFC', name)).sort();
    expect(expected).toHaveLength(2);
    const run = runOntocat(['files', 's/1', '--search', query, '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const found = run.json<{ items: { relpath: string }[] } | { relpath: string }[]>();
    const items = Array.isArray(found) ? found : found.items;
    expect(items.map((file) => file.relpath.normalize('NFC')).sort()).toEqual(expected);
  }, 60_000);
});
