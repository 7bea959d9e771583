import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedOrder, orderBy, type ListOrder } from '../../../electron/catalog/paging.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { projectRoot } from '../../helpers/run-cli.js';

const order: ListOrder<'size' | 'name'> = { sorts: { size: 'f.size_bytes', name: 'f.name' }, fallback: 'name', then: 'f.dir', unique: 'f.file_id' };

describe('list orders', () => {
  it('end with the unique key whatever the sort and direction', () => {
    expect(orderBy(order, undefined, undefined)).toBe('f.name ASC NULLS LAST, f.dir, f.file_id');
    expect(orderBy(order, 'size', 'desc')).toBe('f.size_bytes DESC NULLS LAST, f.dir, f.file_id');
    expect(orderBy({ ...order, then: undefined }, 'size', 'asc')).toBe('f.size_bytes ASC NULLS LAST, f.file_id');
    expect(fixedOrder({ keys: 'ts DESC', unique: 'event_id' })).toBe('ts DESC, event_id');
    expect(fixedOrder({ unique: 'relpath' })).toBe('relpath');
  });

  it('refuse a sort key outside the allow-list, inherited names included', () => {
    for (const key of ['sha256', 'toString', '__proto__', 'constructor', 'size; DROP TABLE versions']) {
      let error: unknown;
      try { orderBy(order, key, 'asc'); } catch (caught) { error = caught; }
      expect(isOntocatError(error, 'BAD_INPUT'), key).toBe(true);
      expect(String((error as Error).message)).toContain('choose one of: size, name');
    }
  });

  it('every paged query of the catalog orders by a built order (orderBy or fixedOrder), never by hand', () => {
    const dir = path.join(projectRoot, 'electron', 'catalog');
    const offenders: string[] = [];
    let paged = 0;
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.ts'))) {
      const source = readFileSync(path.join(dir, name), 'utf8');
      for (const match of source.matchAll(/LIMIT \$limit OFFSET \$offset/g)) {
        paged += 1;
        const before = source.slice(0, match.index);
        const clause = before.slice(before.lastIndexOf('ORDER BY'));
        if (!/^ORDER BY (kind ASC, )?\$\{/.test(clause)) offenders.push(`${name}: ${clause.slice(0, 60)}`);
      }
    }
    expect(paged).toBeGreaterThanOrEqual(10);
    expect(offenders).toEqual([]);
  });
});
