import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../../electron/handlers/registry.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { methodName } from '../../../electron/shared/api-protocol.js';
import { channelNames, contract, writeChannels, type Channel, type Result } from '../../../electron/shared/contract.js';
import { catalogFingerprint, seedSmallCatalog } from '../../helpers/small-catalog.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** Payloads tried per channel. */
const PER_CHANNEL = 300;

/** A small seeded PRNG (mulberry32) so a failure names a payload that can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(levels: number): unknown {
  let value: unknown = { leaf: '../..' };
  for (let i = 0; i < levels; i += 1) value = { nested: value, list: [value] };
  return value;
}

const protoPayload: unknown = JSON.parse('{"__proto__": {"polluted": true}}');

const junkValues: readonly unknown[] = [
  '', ' ', '../../../etc/passwd', '..\\..\\windows\\system32\\config', '%2e%2e/%2e%2e/secret', '/etc/passwd', 'C:\\Windows\\win.ini',
  'a\u0000b', 'x'.repeat(100_000), '💥'.repeat(2_000), "'; DROP TABLE versions; --", '${7*7}{{7*7}}', '<script>alert(1)</script>',
  'go/../../x', 'go/2024-01-01/extra', '\n\r\t', -1, 0, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, 3.5, 2 ** 53 + 1,
  true, false, null, undefined, [], [1, 2, 3], ['../x'], {}, { a: 1 }, deep(3), deep(60), new Date(0), 10n,
  protoPayload, { constructor: { prototype: { polluted: true } } },
];

/** Values of the right shape that name nothing in the catalog. */
const plausibleUnknown: Readonly<Record<string, () => unknown>> = {
  ref: () => 'nosuch/1.0',
  service: () => 'nosuch',
  job_id: () => `job-${randomUUID()}`,
  artifact_id: () => randomUUID(),
  file_id: () => randomUUID(),
  sha256: () => '0'.repeat(64),
  relpath: () => '../../etc/passwd',
  plan_id: () => randomUUID(),
};

function shapeKeys(channel: Channel): string[] {
  const schema = contract[channel].input as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

/** One malformed (or, for named keys, unknown-but-well-formed) payload for `channel`. */
function makePayload(channel: Channel, random: () => number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const keys = shapeKeys(channel);
  const kind = Math.floor(random() * 5);
  // Top-level junk that could read as `{}` (null, an own `__proto__` key, which zod
  // treats as known and strips) is left to read channels.
  if (kind === 0) return pick(junkValues.filter((value) => !writeChannels.has(channel) || (value !== null && value !== undefined && value !== protoPayload && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0))));
  const payload: Record<string, unknown> = {};
  for (const key of keys) {
    if (random() < 0.3) continue;
    payload[key] = kind === 4 && plausibleUnknown[key] ? plausibleUnknown[key]() : pick(junkValues);
  }
  // Only payloads made of unknown-but-well-formed names may pass validation on a write
  // channel (they must then fail as NOT_FOUND); every other one gets an unknown key.
  const namesOnly = kind === 4 && keys.length > 0 && keys.every((key) => plausibleUnknown[key]);
  // Every name present, so a write channel whose fields are all optional is not handed a
  // plain `{}` (a valid call that acts on everything).
  if (namesOnly && writeChannels.has(channel)) for (const key of keys) payload[key] ??= plausibleUnknown[key]!();
  // Write channels only ever see payloads that cannot be valid, or that name unknown things.
  if (kind === 1 || (writeChannels.has(channel) && !namesOnly) || keys.length === 0) {
    Object.defineProperty(payload, pick(['extra', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(500)]), { value: pick(junkValues), enumerable: true });
  }
  if (kind === 2) payload[keys[0] ?? 'nested'] = deep(40);
  return payload;
}

const expectedCodes = new Set(['BAD_INPUT', 'NOT_FOUND', 'UNSAFE_PATH', 'LIMIT_EXCEEDED', 'CONFLICT', 'STALE_PLAN', 'READ_ONLY']);

describe('contract conformance', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-conformance');
    session = await openSession({ actor: 'test', root: temp.root, threads: 1 });
    await seedSmallCatalog(session.catalog);
  });
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it('every channel has a handler and a unique preload method name, and no handler lacks a channel', async () => {
    expect(Object.keys(handlers).sort()).toEqual([...channelNames].sort());
    const methods = channelNames.map((channel) => methodName(channel));
    expect(new Set(methods).size).toBe(channelNames.length);
    for (const method of methods) expect(method).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(methods).not.toContain('subscribe');
    const { channelNamesFromContract } = await import('../../../scripts/electron-bundles.mjs');
    const { projectRoot } = await import('../../helpers/run-cli.js');
    expect(await channelNamesFromContract(projectRoot)).toEqual(channelNames);
  });

  it(`answers ${PER_CHANNEL} malformed payloads per channel with clear errors, never crashing and never writing`, async () => {
    const before = await catalogFingerprint(session.catalog);
    const changed: string[] = [];
    session.on('catalog:changed', (event) => changed.push(event.channel));
    const problems: string[] = [];
    const codes = new Map<string, number>();
    for (const [index, channel] of channelNames.entries()) {
      const random = prng(1000 + index);
      let rejected = 0;
      for (let i = 0; i < PER_CHANNEL; i += 1) {
        const payload = makePayload(channel, random);
        // Bounded: deep(60) shares its branches, so a full stringify would take 2^60 steps.
        const describe = (): string => {
          let budget = 200;
          const replacer = (_key: string, value: unknown): unknown => (budget-- <= 0 ? '…' : typeof value === 'bigint' ? `${value}n` : value);
          return `${channel} #${i}: ${String(JSON.stringify(payload, replacer) ?? payload).slice(0, 200)}`;
        };
        let result: Result<unknown>;
        try {
          result = await session.invoke(channel, payload);
        } catch (error) {
          problems.push(`${describe()} threw ${String(error)}`);
          continue;
        }
        if (result.ok) {
          if (writeChannels.has(channel)) problems.push(`${describe()} was accepted by a write channel`);
          continue;
        }
        rejected += 1;
        codes.set(result.code, (codes.get(result.code) ?? 0) + 1);
        if (!expectedCodes.has(result.code)) problems.push(`${describe()} → ${result.code}: ${result.message}`);
        if (!result.message || result.message.includes('\n') || result.message.length > 2000) problems.push(`${describe()} → unclear message`);
      }
      if (rejected < PER_CHANNEL * 0.8) problems.push(`${channel}: only ${rejected}/${PER_CHANNEL} payloads rejected`);
    }
    expect(problems.slice(0, 60)).toEqual([]);
    // Handlers were reached too, not only the schemas: unknown names come back NOT_FOUND.
    expect(codes.get('BAD_INPUT')).toBeGreaterThan(channelNames.length * PER_CHANNEL * 0.5);
    expect(codes.get('NOT_FOUND')).toBeGreaterThan(20);
    expect(changed).toEqual([]);
    expect(await catalogFingerprint(session.catalog)).toBe(before);
  }, 300_000); // 300 payloads on each of ~80 channels: minutes on a loaded 2-core machine
});
