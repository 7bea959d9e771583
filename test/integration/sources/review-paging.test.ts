/**
 * A Review queue longer than a page is paged, never cut: the queue once stopped at 1,000
 * candidates without a word, so a curator never saw the rest. 1,030 candidates here: the
 * channel's pages hold every one exactly once with the total, and the CLI says how many
 * it shows of how many.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { recordCandidates } from '../../helpers/catalog-fixtures.js';
import { runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const COUNT = 1030;
const version = (i: number): string => `2024.${String(i).padStart(4, '0')}`;

describe('a Review queue longer than a page', () => {
  const temp = makeTempRoot('ontocat-review-paging');
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ root: temp.root, actor: 'test' });
    await recordCandidates(session.catalog, 'big', Array.from({ length: COUNT }, (_, i) => version(i)));
  }, 120_000);
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it('comes in pages that hold every candidate once, with the total', async () => {
    const first = await session.call('review:list', {});
    expect(first.total).toBe(COUNT);
    expect(first.items).toHaveLength(100);
    const seen: string[] = [];
    for (let offset = 0; offset < COUNT; offset += 1000) {
      const page = await session.call('review:list', { offset, limit: 1000 });
      expect(page.total).toBe(COUNT);
      seen.push(...page.items.map((c) => c.version));
    }
    expect(seen).toHaveLength(COUNT);
    expect(new Set(seen).size).toBe(COUNT);
    // Newest release first: the versions' own order, as every version list reads.
    expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => version(COUNT - 1 - i)));
    expect((await session.call('review:list', { offset: COUNT })).items).toEqual([]);
  });

  it('says in the CLI how many it shows of how many, and pages with --offset', async () => {
    await session.close();
    try {
      const first = runOntocatOk(['review', 'list'], { root: temp.root });
      expect(first.stdout).toContain(`big/${version(COUNT - 1)}`);
      expect(first.stdout).toContain(`(100 of ${COUNT}; --offset to page)`);
      const last = runOntocatOk(['review', 'list', '--offset', '1000'], { root: temp.root });
      expect(last.stdout).toContain(`big/${version(0)}`);
      expect(last.stdout).not.toContain(`big/${version(COUNT - 1)}`);
      expect(last.stdout).not.toContain('--offset to page');
      const past = runOntocatOk(['review', 'list', '--offset', '5000'], { root: temp.root });
      expect(past.stdout).toContain(`none past --offset 5000; ${COUNT} in all`);
      expect(past.stdout).not.toContain('No candidates');
    } finally {
      session = await openSession({ root: temp.root, actor: 'test' });
    }
  });
});
