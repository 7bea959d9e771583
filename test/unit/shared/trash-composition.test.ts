import { describe, expect, it } from 'vitest';
import { trashComposition } from '../../../electron/shared/trash-composition.js';

describe('trashComposition', () => {
  it('names each kind of entry a plan moves, counted, in a fixed order', () => {
    const files = [{ what: 'cas' }, { what: 'data' }, { what: 'data' }, { what: 'orphan' }, { what: 'archive' }];
    expect(trashComposition(files)).toBe('2 version files, 1 archive, 1 content object, 1 stray file');
    expect(trashComposition([{ what: 'data' }])).toBe('1 version file');
    expect(trashComposition([])).toBe('');
  });
});
