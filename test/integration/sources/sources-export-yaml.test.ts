import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const hasPyYaml = spawnSync('python3', ['-c', 'import yaml']).status === 0;
if (!hasPyYaml) console.warn('sources-export-yaml: skipped, PyYAML is not installed here (Debian python3-yaml; .ci/run installs it)');

/**
 * A note pasted from a spreadsheet (a TAB) or a web page (U+2028 LINE SEPARATOR), or a URL
 * holding one, was written as a plain YAML scalar: PyYAML refused the whole export
 * ("while scanning a simple key"), and a NEL (U+0085) inside double quotes read back as a
 * space; a note that is just '=' or '<<' was left plain, which YAML 1.1 reads as its value
 * and merge types, and PyYAML refused the file; `0o17` or `1e3`, strings to YAML 1.1, were
 * left plain and Ontocat's own import (YAML 1.2) refused its export as numbers. The
 * reference is PyYAML, a YAML 1.1 reader
 * nobody here wrote, against the JSON
 * export of the same catalog read by Python's json.
 */
describe.skipIf(!hasPyYaml)('sources export --yaml: PyYAML reads back every string the JSON export holds', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  const notes = [
    'columns:\tid\tlabel', '\tindented', 'ends in a tab\t', 'first\u2028second', 'para\u2029graph', 'next\u0085line',
    'delete\u007fchar', 'c1\u0080\u009f', 'bell\u0007', 'cr\ronly', 'crlf\r\nline', 'two\nlines\n', 'yes', '1.10', '007',
    '2024-01-01', '=SUM(A1)', '- dash', '@at', '# hash', 'é and 😀', ' lead and trail ', 'x'.repeat(1500), '',
    // YAML 1.1's value and merge types: PyYAML's safe loader has no constructor for either.
    '=', '<<',
    // Strings to YAML 1.1 but numbers to YAML 1.2's core schema, which Ontocat's import reads.
    '0o17', '0o7', '1e3', '-1E-3', '.5', '+.5', '0x1F', '.inf',
  ];
  beforeAll(() => {
    temp = makeTempRoot('ontocat-sources-yaml');
    root = path.join(temp.root, 'root');
    const sources = notes.map((note, i) => ({
      id: `s${i}`, service: `svc${i}`, note,
      artifacts: [{ type: 'url', url: `https://example.org/${i}/a\tb\u2028c.obo`, name: `f${i}.obo` }],
    }));
    const file = path.join(temp.root, 'in.json');
    writeFileSync(file, JSON.stringify({ schema: 'ontocat.sources/2', sources }));
    const run = runOntocat(['sources', 'import', file], { root });
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('the YAML file loads in PyYAML to the JSON file\'s document, note for note', () => {
    const yamlFile = path.join(temp.root, 'out.yaml');
    const jsonFile = path.join(temp.root, 'out.json');
    for (const [file, extra] of [[yamlFile, ['--yaml']], [jsonFile, []]] as const) {
      const run = runOntocat(['sources', 'export', file, ...extra], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    const script = [
      'import json, sys, yaml',
      'ref = json.load(open(sys.argv[2], encoding="utf-8"))',
      'try: got = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))',
      'except yaml.YAMLError as error: print(json.dumps({"error": str(error).splitlines()[0]})); sys.exit(0)',
      'notes = {s["id"]: s.get("note") for s in ref["sources"]}',
      'bad = [[s["id"], notes.get(s["id"]), s.get("note")] for s in got["sources"] if s != next(r for r in ref["sources"] if r["id"] == s["id"])]',
      'print(json.dumps({"sources": len(got["sources"]), "same_document": got == ref, "bad": bad[:5]}))',
    ].join('\n');
    const check = spawnSync('python3', ['-c', script, yamlFile, jsonFile], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const result = JSON.parse(check.stdout) as Record<string, unknown>;
    expect(result).toEqual({ sources: notes.length, same_document: true, bad: [] });
  });

  it('the YAML file imports back to the same sources', () => {
    const yamlFile = path.join(temp.root, 'again.yaml');
    expect(runOntocat(['sources', 'export', yamlFile], { root }).code).toBe(0);
    const other = path.join(temp.root, 'other-root');
    const imported = runOntocat(['sources', 'import', yamlFile], { root: other });
    expect(imported.code, imported.stderr).toBe(0);
    const a = runOntocat(['sources', 'export'], { root });
    const b = runOntocat(['sources', 'export'], { root: other });
    expect(b.stdout).toBe(a.stdout);
  }, 120_000);
});
