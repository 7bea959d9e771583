import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let catalog: Catalog;

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-write-steps'));
  catalog = await openCatalog({ root, app: 'ontocat-test' });
});
afterEach(async () => {
  await catalog.close();
  cleanup();
});

const eventTypes = (): Promise<string[]> =>
  catalog.read(async (conn) => (await conn.all<{ type: string }>(`SELECT type FROM events WHERE type LIKE 'step.%' ORDER BY ts, type`)).map((row) => row.type));

describe('Catalog.writeSteps', () => {
  it('commits each step on its own and lets no other write land between the steps', async () => {
    let outside: Promise<void> | null = null;
    const seenBetween: string[] = [];
    await catalog.writeSteps(async (step) => {
      await step((tx) => tx.event('step.1-first', {}));
      // Another write queued now must wait until the whole boundary is done.
      outside = catalog.write((tx) => tx.event('step.3-outside', {}));
      await new Promise((resolve) => setTimeout(resolve, 50));
      seenBetween.push(...await eventTypes());
      await step((tx) => tx.event('step.2-second', {}));
    });
    await outside;
    // The first step was committed (readers saw it) before the second ran; the outside write came last.
    expect(seenBetween).toEqual(['step.1-first']);
    const order = await catalog.read(async (conn) => (await conn.all<{ type: string }>(`SELECT type FROM events WHERE type LIKE 'step.%' ORDER BY rowid`)).map((row) => row.type));
    expect(order).toEqual(['step.1-first', 'step.2-second', 'step.3-outside']);
  });

  it('a failing step rolls back only itself; the steps before it stay committed', async () => {
    const failure = catalog.writeSteps(async (step) => {
      await step((tx) => tx.event('step.kept', {}));
      await step(async (tx) => {
        await tx.event('step.lost', {});
        throw new Error('boom');
      });
    });
    await expect(failure).rejects.toThrow('boom');
    expect(await eventTypes()).toEqual(['step.kept']);
    await catalog.write((tx) => tx.event('step.after', {}));
    expect((await eventTypes()).sort()).toEqual(['step.after', 'step.kept']);
  });
});
