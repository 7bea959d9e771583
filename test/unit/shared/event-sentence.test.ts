// Events read as sentences on the Events page; a rebuild of the kept version totals says
// what was compared and how many rows disagreed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/run-cli.js';
import { eventSentence } from '../../../electron/shared/events/event-sentence.js';

describe('event sentences', () => {
  it('say what a rebuild of the version totals compared and how many rows were off', () => {
    expect(eventSentence('catalog.totals_rebuilt', { rows_off: 4, compared: 'files' }))
      .toBe("The versions' kept file counts and sizes disagreed with their rows (4 rows) and were recounted.");
    expect(eventSentence('catalog.totals_rebuilt', { rows_off: 1, compared: 'all' }))
      .toBe("The versions' kept file counts, sizes and health counts disagreed with their rows (1 row) and were recounted.");
  });

  it('give no sentence for a type they do not know (the page shows its fields)', () => {
    expect(eventSentence('no.such_event', { a: 1 })).toBeNull();
  });

  it('say a release day as stored, whatever the time zone', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(eventSentence('version.release_date', {
        service: 'go', version: 'v1', release_date: '2014-01-01T00:00:00.000Z', source: 'curator', previous: '2013-06-01T00:00:00.000Z',
      })).toBe('Release date of go/v1 set to 2014-01-01 from a curator (was 2013-06-01).');
      expect(eventSentence('version.release_date', {
        service: 'vocab', version: '2021.9.22', release_date: '2021-09-22T00:00:00.000Z', source: 'version-name', previous: '2026-12-05T05:32:00.000Z',
        detail: '2021.9.22 names that day; its files state 2 days, 2016-11-12 to 2018-03-29, the latest in frbr.nq: owl:versionIRI http://purl.org/spar/frbr/2018-03-29',
      })).toBe('Release date of vocab/2021.9.22 set to 2021-09-22, from the version name (its files state only older days, one per member): '
        + '2021.9.22 names that day; its files state 2 days, 2016-11-12 to 2018-03-29, the latest in frbr.nq: owl:versionIRI http://purl.org/spar/frbr/2018-03-29 (was 2026-12-05).');
    } finally {
      if (zone === undefined) delete process.env.TZ; else process.env.TZ = zone;
    }
  });

  it('name a plan by its whole id, so two plans of a day read differently', () => {
    const one = eventSentence('doctor.applied', { plan_id: 'doctor-20240301T100000Z-1a2b3c4d5e6f', files_moved: 2 });
    const two = eventSentence('doctor.applied', { plan_id: 'doctor-20240301T110000Z-abcdefabcdef', files_moved: 2 });
    expect(one).toBe('Doctor applied plan doctor-20240301T100000Z-1a2b3c4d5e6f: 2 files moved to the trash.');
    expect(two).not.toBe(one);
  });
});

describe('event sentences for every event Ontocat records', () => {
  /** Every `event('type', …)` literal in the main-process sources: a new kind of event needs its sentence. */
  function emittedTypes(): string[] {
    const types = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) for (const match of readFileSync(full, 'utf8').matchAll(/\bevent\('([a-z_]+\.[a-z_]+)'/g)) types.add(match[1]!);
      }
    };
    walk(path.join(projectRoot, 'electron'));
    return [...types].sort();
  }
  const payload = {
    service: 'go', version: '2024-01-01', source: 'go-release', url: 'https://example.org/go.obo', name: 'go.obo', username: 'ana', role: 'curator',
    by: 'ana', directory: '/work/go', file: 'manifest.jsonl', rule: 'content', evidence: 'data-version: releases/2024-01-01', plan_id: 'doctor-20240301T100000Z-1a2b3c4d5e6f',
    files: 3, bytes: 2048, passed: 3, failed: 1, reused: 1,
  };

  it('gives each a sentence, not the field list', () => {
    const types = emittedTypes();
    expect(types.length).toBeGreaterThan(40);
    expect(types.filter((type) => eventSentence(type, payload) === null)).toEqual([]);
  });

  it('count findings and reuse in the words a curator uses', () => {
    expect(eventSentence('validate.completed', { service: 'go', version: 'v2', files: 82, bytes: 31_775_005, passed: 82, failed: 14_197, reused: 47 }))
      .toBe('Validation of go/v2 finished: 82 files (31.8 MB), 47 of them by earlier results for the same content; 82 checks passed, 14,197 findings.');
    expect(eventSentence('validations.recorded', { service: 'go', version: 'v2', passed: 1, failed: 1 })).toBe('Validated go/v2: 1 check passed, 1 finding.');
    expect(eventSentence('candidate.approved', { service: 'go', version: 'v2', by: 'ana', previous: 'v1', reason: null }))
      .toBe('go/v2 was approved and made latest by ana (was v1).');
    expect(eventSentence('plans.retired', { plans: 1 })).toBe('1 old plan was retired.');
    expect(eventSentence('bucket.doctor', { listed: 10, missing: 1, unreferenced: 0, size_mismatches: 0, strays: 2, deep_checked: null, corrupt: null }))
      .toBe('Bucket check: 10 objects listed, 1 missing, 2 stray.');
  });
});
