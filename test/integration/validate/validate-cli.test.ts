import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { openSession } from '../../../electron/handlers/session.js';
import type { EventMap } from '../../../electron/shared/contract.js';
import { replaceVersionFiles, upsertVersion } from '../../../electron/catalog/write-records.js';
import type { ValidateRunResult } from '../../../electron/shared/contract.js';
import type { ValidationRecord } from '../../../electron/shared/models.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let firstRun: ValidationRecord[] = [];

const files: Record<string, [format: string, content: string]> = {
  'ontology/zoo.ttl': ['turtle', `@prefix : <http://purl.obolibrary.org/obo/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:ZOO_1 a owl:Class ; rdfs:label "animal" ; :IAO_0000115 "An animal." .
:ZOO_2 a owl:Class ; rdfs:label "animal" ; :IAO_0000115 "Another." .
`],
  'ontology/zoo.obo': ['obo', 'format-version: 1.2\n\n[Term]\nid: ZOO:1\nname: animal\ndef: "An animal." []\n\n[Term]\nid: ZOO:2\ndef: "never closed []\n'],
  'tables/animals.csv': ['csv', 'id,name\n1,cat\n2,dog\n'],
  'tables/broken.tsv': ['tsv', 'id\tname\n1\tcat\textra\n'],
  'meta/info.json': ['json', '{"name": "zoo", "version": 1}\n'],
  'meta/readme.bin': ['other', 'not validated'],
  'gone/lost.ttl': ['turtle', '<http://x/a> <http://x/p> <http://x/b> .\n'],
};

beforeAll(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-validate-cli'));
  const records = Object.entries(files).map(([relpath, [format, content]]) => {
    const abs = path.join(root, 'zoo', '2024-06-01', 'data', relpath);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return { relpath, format, size_bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') };
  });
  // Recorded in the catalog, then removed from disk: a missing file is a finding.
  rmSync(path.join(root, 'zoo', '2024-06-01', 'data', 'gone'), { recursive: true });
  // The files were written first, as if by hand: create the catalog beside them on purpose.
  const catalog = await openCatalog({ root, create: true });
  await catalog.write(async (tx) => {
    await upsertVersion(tx, { service: 'zoo', version: '2024-06-01' });
    await replaceVersionFiles(tx, { service: 'zoo', version: '2024-06-01' }, records);
  });
  await catalog.close();
});
afterAll(() => cleanup());

describe('ontocat validate', () => {
  it('validates a version, records the findings and exits 0 although there are findings', () => {
    const run = runOntocat(['validate', 'zoo/2024-06-01', '--json'], { root });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<ValidateRunResult>();
    expect(result).toMatchObject({ service: 'zoo', version: '2024-06-01', files: 7, checked: 6 });
    // [files checked, files that do not parse, ERROR findings] per validator
    const byValidator = Object.fromEntries(result.by_validator.map((v) => [v.validator, [v.files_checked, v.files_unparsable, v.errors]]));
    expect(byValidator).toEqual({
      turtle: [1, 0, 0], obo: [1, 1, 0], csv: [1, 0, 0], tsv: [1, 1, 0], json: [1, 0, 0], quality: [1, 0, 2], storage: [2, 0, 1],
    });
    // Quality read the one Turtle file that parsed; the disk check covered both Turtle files
    // (its finding, the lost one, is Turtle).
    // Five files have a syntax check: three parse. The .bin has no validator and the lost file
    // cannot be read, so neither is checked; its missing-file ERROR still counts.
    expect(result.health).toEqual({
      files: 7, files_checked: 5, files_parsed: 3, files_unparsable: 2, files_unchecked: 2,
      files_with_errors: 4, files_with_warnings: 0, errors: 3, warnings: 0, infos: 0,
    });
    expect(result.triples).toBe(6);

    const all = runOntocat(['findings', 'zoo/2024-06-01', '--all', '--json'], { root }).json<ValidationRecord[]>();
    firstRun = all;
    const brief = all.filter((f) => !f.passed).map((f) => `${f.relpath}:${f.line ?? ''} ${f.validator}/${f.rule} ${f.severity} ${f.subject ?? ''}`.trim()).sort();
    expect(brief).toEqual([
      'gone/lost.ttl: storage/missing-file ERROR',
      'ontology/zoo.obo:10 obo/syntax ERROR',
      'ontology/zoo.ttl: quality/duplicate-label ERROR http://purl.obolibrary.org/obo/ZOO_1',
      'ontology/zoo.ttl: quality/duplicate-label ERROR http://purl.obolibrary.org/obo/ZOO_2',
      'tables/broken.tsv:2 tsv/syntax ERROR',
    ]);
    const turtle = all.filter((f) => f.validator === 'turtle');
    expect(turtle).toHaveLength(1);
    expect(turtle[0]).toMatchObject({ relpath: 'ontology/zoo.ttl', passed: true, details: { triples: 6, terms: 2 } });
  });

  it('re-running replaces the results instead of adding to them, and prints a summary table', () => {
    const again = runOntocat(['validate', 'zoo/2024-06-01'], { root });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/health:\s+3 of 5 checked files parse \(60%\); findings: 5 errors, 0 warnings, 0 info; 2 not checked/);
    expect(again.stdout).toMatch(/VALIDATOR\s+FORMAT\s+CHECKED\s+UNPARSABLE\s+PARSE\s+ERRORS\s+WARNINGS/);
    expect(again.stdout).toMatch(/quality\s+turtle\s+1\s+0\s+—\s+2\s+0/);
    const after = runOntocat(['findings', 'zoo/2024-06-01', '--all', '--json'], { root }).json<ValidationRecord[]>();
    expect(after).toHaveLength(firstRun.length);
    expect(after.map((r) => r.validation_id).sort()).toEqual(firstRun.map((r) => r.validation_id).sort());
  });

  it('fails with exit 1 for an unknown version and 2 for a malformed reference', () => {
    const unknown = runOntocat(['validate', 'zoo/1999-01-01'], { root });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown version zoo\/1999-01-01/);
    const malformed = runOntocat(['validate', 'zoo'], { root });
    expect(malformed.code).toBe(2);
  });

  it('the validate:run channel pushes job progress up to the total, then done', async () => {
    const session = await openSession({ actor: 'test', root });
    const events: EventMap['job:progress'][] = [];
    const off = session.on('job:progress', (event) => events.push(event));
    try {
      const result = await session.call('validate:run', { ref: 'zoo/2024-06-01', workers: 1 });
      expect(result).toMatchObject({ health: { files_parsed: 3, files_unparsable: 2, errors: 3 }, workers: 1 });
      expect(events.length).toBeGreaterThan(2);
      expect(new Set(events.map((e) => e.job_id)).size).toBe(1);
      expect(events.every((e) => e.kind === 'validate')).toBe(true);
      // Progress is throttled, so not every step is pushed, but it never goes backwards
      // and the final push carries the whole count.
      const running = events.filter((e) => e.state === 'running').map((e) => e.done);
      expect(running).toEqual([...running].sort((a, b) => a - b));
      expect(events.at(-1)).toMatchObject({ state: 'done', done: 6, total: 6 });
      const invalid = await session.invoke('validate:run', { ref: 'zoo/2024-06-01', extra: true });
      expect(invalid).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    } finally {
      off();
      await session.close();
    }
  });
});
