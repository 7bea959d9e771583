import { describe, expect, it } from 'vitest';
import { termEvents } from '../../../electron/catalog/term-index-queries.js';
import type { TermVersionState } from '../../../electron/shared/contract/terms.js';

function state(version: string, present: boolean, extra: Partial<TermVersionState> = {}): TermVersionState {
  return {
    version, release_rank: 0, release_date: null, is_latest: false, present, label: present ? 'a' : null, labels: present ? ['a'] : [],
    synonyms: [], definition: present ? 'd' : null, definitions: present ? ['d'] : [], deprecated: false, parents: [], replaced_by: [], consider: [], files: [], kind: present ? 'class' : null, ...extra,
  };
}

describe('termEvents', () => {
  it('names each change with the release pair where it shows', () => {
    const events = termEvents([
      state('1', false),
      state('2', true),
      state('3', true, { label: 'b', labels: ['b'], definition: 'e', definitions: ['e'] }),
      state('4', true, { label: 'b', labels: ['b'], definition: 'e', definitions: ['e'], deprecated: true, replaced_by: ['X:2'] }),
      state('5', false),
      state('6', true),
    ]);
    expect(events.map((e) => [e.kind, e.from_version, e.to_version, e.before, e.after])).toEqual([
      ['FIRST_SEEN', '1', '2', null, 'a'],
      ['RELABELLED', '2', '3', 'a', 'b'],
      ['REDEFINED', '2', '3', 'd', 'e'],
      ['DEPRECATED', '3', '4', null, 'X:2'],
      ['REMOVED', '4', '5', 'b', null],
      ['READDED', '5', '6', null, 'a'],
    ]);
  });

  it('names a change of kind, and none across a release the term is missing from', () => {
    const events = termEvents([
      state('1', true),
      state('2', true, { kind: 'individual' }),
      state('3', false),
      state('4', true),
    ]);
    expect(events.map((e) => [e.kind, e.from_version, e.to_version, e.before, e.after])).toEqual([
      ['FIRST_SEEN', null, '1', null, 'a'],
      ['RETYPED', '1', '2', 'class', 'individual'],
      ['REMOVED', '2', '3', 'a', null],
      ['READDED', '3', '4', null, 'a'],
    ]);
  });

  it('joins parents and replacements with commas, as both deltas do (labels keep their bar)', () => {
    const events = termEvents([
      state('1', true, { parents: ['X:1'] }),
      state('2', true, { parents: ['X:1', 'X:2'], label: 'a, b', labels: ['a, b', 'c'] }),
      state('3', true, { parents: [], label: 'a, b', labels: ['a, b', 'c'], deprecated: true, replaced_by: ['Y:1', 'Y:2'] }),
      state('4', true, { parents: [], label: 'a, b', labels: ['a, b', 'c'], deprecated: true, replaced_by: ['Y:3'] }),
    ]);
    expect(events.map((e) => [e.kind, e.before, e.after])).toEqual([
      ['FIRST_SEEN', null, 'a'],
      ['RELABELLED', 'a', 'a, b | c'],
      ['REPARENTED', 'X:1', 'X:1, X:2'],
      ['REPARENTED', 'X:1, X:2', null],
      ['DEPRECATED', null, 'Y:1, Y:2'],
      ['REPLACED', 'Y:1, Y:2', 'Y:3'],
    ]);
  });
});
