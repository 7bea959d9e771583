// Events read as sentences on the Events page; a rebuild of the kept version totals says
// what was compared and how many rows disagreed.
import { describe, expect, it } from 'vitest';
import { eventSentence } from '../../../renderer/src/lib/events/event-sentence.js';

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
