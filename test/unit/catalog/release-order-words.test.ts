import { describe, expect, it } from 'vitest';
import { describeOrderBetween } from '../../../electron/shared/release-order.js';

describe('why one version comes before another, in words', () => {
  it('names both dates, or, for the same day, that the version strings decide', () => {
    const dated = (day: string, source = 'owl-version') => ({ release_date: `${day}T00:00:00.000Z`, release_date_source: source });
    expect(describeOrderBetween(dated('2024-01-01', 'obo-header'), dated('2024-02-01', 'http-last-modified')))
      .toBe('2024-01-01, from the OBO header, against 2024-02-01, from HTTP Last-Modified');
    // Two bundles both dated by lvont.nq (as the demo's were before they were dated by name): the dates do not order them.
    expect(describeOrderBetween(dated('2019-01-16'), dated('2019-01-16')))
      .toBe('both dated 2019-01-16, from owl:versionIRI/versionInfo (the latest date its files state): their version strings decide');
    // The same day at two times: the times order them (v_release_order orders by the instant), as stored ('…Z' or DuckDB's text).
    expect(describeOrderBetween(dated('2019-01-16'), { ...dated('2019-01-16'), release_date: '2019-01-16T08:00:00.000Z' }))
      .toBe('both dated 2019-01-16, at 00:00 against 08:00 UTC, both from owl:versionIRI/versionInfo (the latest date its files state)');
    expect(describeOrderBetween({ release_date: '2024-01-01 09:00:00', release_date_source: 'http-last-modified' }, { release_date: '2024-01-01 09:00:07', release_date_source: 'curator' }))
      .toBe('both dated 2024-01-01, at 09:00:00 against 09:00:07 UTC, from HTTP Last-Modified, against set by a curator');
    // The demo's 2020 and 2021 bundles, each dated by its name: the source said once.
    expect(describeOrderBetween(dated('2020-06-17', 'version-name'), dated('2021-09-22', 'version-name')))
      .toBe('2020-06-17 against 2021-09-22, both from the version name (its files state only older days, one per member)');
    expect(describeOrderBetween({ release_date: null, release_date_source: null }, { release_date: null, release_date_source: null }))
      .toBe('no release date, against no release date');
  });
});
