import { describe, expect, it } from 'vitest';
import { naturalId } from '../../../electron/catalog/ids.js';
import { CHANNEL_NAMES } from '../../../electron/shared/channel-names.js';
import { channelNames, contract } from '../../../electron/shared/contract.js';
import { CHANGE_KINDS, FINDING_STATUSES, KIND_FILTERS } from '../../../electron/shared/contract/delta.js';
import { CHANGE_KINDS as PLAIN_CHANGE_KINDS, KIND_FILTERS as PLAIN_KIND_FILTERS } from '../../../electron/shared/delta-kinds.js';

describe('zod-free channel names', () => {
  it('lists exactly the channels of the contract', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual([...channelNames].sort());
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
  });

  it('shares the delta enumerations with the contract', () => {
    expect(CHANGE_KINDS).toBe(PLAIN_CHANGE_KINDS);
    expect(KIND_FILTERS).toBe(PLAIN_KIND_FILTERS);
    expect(FINDING_STATUSES).toEqual(['NEW', 'FIXED', 'PERSISTING', 'GONE']);
    expect(contract['delta:compute'].input.safeParse({ from: 'go/1', to: 'go/2', kind: 'changed' }).success).toBe(true);
    expect(contract['delta:compute'].input.safeParse({ from: 'go/1', to: 'go/2', kind: 'bogus' }).success).toBe(false);
  });
});

describe('catalog ids in channel inputs', () => {
  it('accepts the ids the catalog really makes (hash-shaped, not RFC UUIDs) and refuses other text', () => {
    const fileId = naturalId('file', 'go', '2024-01-01', 'go.owl');
    expect(contract['validations:list'].input.safeParse({ ref: 'go/2024-01-01', file_id: fileId }).success).toBe(true);
    expect(contract['artifacts:get'].input.safeParse({ artifact_id: naturalId('artifact', 'x') }).success).toBe(true);
    expect(contract['validations:list'].input.safeParse({ ref: 'go/2024-01-01', file_id: 'not-an-id' }).success).toBe(false);
  });
});
