import { describe, expect, it } from 'vitest';
import { ingestContract } from '../../../electron/shared/contract/ingest.js';
import { service, versionRefSchema } from '../../../electron/shared/contract/schemas.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { isValidName, nameProblem } from '../../../electron/shared/name-rules.js';
import { assertNameSegment, parseVersionRef } from '../../../electron/shared/version-ref.js';

describe('the service/version name rule', () => {
  it.each(['go', 'GO', 'edam', '1.0', '2024-01-01', 'v1.2.3+build', 'a_b', 'console', 'com10', 'lpt0', 'auxiliary', 'nul-data', 'catalog', 'latest', 'parquet2', 'x.json'])(
    'accepts %j', (name) => {
      expect(nameProblem('service', name)).toBeNull();
      expect(isValidName('version', name)).toBe(true);
    },
  );

  const refused: [string, RegExp][] = [
    // The root's own files: a folder there bricks the catalog (issue 18 item 2).
    ['catalog.duckdb', /reserved for the storage root's own files/],
    ['catalog.duckdb.wal', /reserved for the storage root's own files/],
    ['Catalog.DuckDB.tmp', /reserved for the storage root's own files/],
    ['LATEST.json', /reserved for the storage root's own files/],
    ['latest.JSON', /reserved for the storage root's own files/],
    ['parquet', /reserved for the storage root's own files/],
    ['.cas', /starting with '\.' are reserved/],
    ['.trash', /starting with '\.' are reserved/],
    ['.tmp', /starting with '\.' are reserved/],
    ['.backups', /starting with '\.' are reserved/],
    ['.ontocat.lock', /starting with '\.' are reserved/],
    ['.hidden', /starting with '\.' are reserved/],
    ['.', /starting with '\.'/],
    ['..', /starting with '\.'/],
    // Windows device names, any case, with or without an extension; a trailing dot.
    ['CON', /CON is a device name Windows reserves/],
    ['con', /CON is a device name Windows reserves/],
    ['Prn.txt', /PRN is a device name/],
    ['aux.tar.gz', /AUX is a device name/],
    ['NUL', /NUL is a device name/],
    ['com1', /COM1 is a device name/],
    ['COM9.obo', /COM9 is a device name/],
    ['lpt1', /LPT1 is a device name/],
    ['LPT9', /LPT9 is a device name/],
    ['v1.', /cannot end with '\.'/],
    ['v1 ', /use letters, digits/],
    // Separators and other characters.
    ['a/b', /path separator/],
    ['a\\b', /path separator/],
    ['', /required/],
    ['-x', /starting with a letter or digit/],
    ['a b', /use letters, digits/],
    ['x'.repeat(129), /max 128/],
  ];
  it.each(refused)('refuses %j, naming the rule', (name, rule) => {
    expect(nameProblem('service', name)).toMatch(rule);
    expect(() => assertNameSegment('version', name)).toThrow(rule);
    try {
      assertNameSegment('service', name);
    } catch (error) {
      expect(isOntocatError(error, 'BAD_INPUT')).toBe(true);
    }
  });

  it('is the rule of the contract: service, version and SERVICE/VERSION inputs', () => {
    const wal = service.safeParse('catalog.duckdb.wal');
    expect(wal.success).toBe(false);
    expect(wal.error?.issues[0]?.message).toMatch(/reserved for the storage root's own files/);
    expect(versionRefSchema.safeParse('go/CON').error?.issues[0]?.message).toMatch(/CON is a device name/);
    expect(versionRefSchema.safeParse('go/v1').success).toBe(true);
    const ingest = ingestContract['ingest:run'].input.safeParse({ source: '/x', service: 'go', version: 'LATEST.json' });
    expect(ingest.success).toBe(false);
    expect(ingest.error?.issues[0]?.message).toMatch(/LATEST\.json/);
    expect(ingestContract['ingest:fetch'].input.safeParse({ url: 'http://x/a', service: '.cas', version: 'v1' }).success).toBe(false);
    expect(() => parseVersionRef('catalog.duckdb.wal/v1')).toThrow(/reserved/);
  });
});
