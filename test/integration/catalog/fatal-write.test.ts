// Issue 18 item 4, "when DuckDB raises a FATAL anyway the process ends with one line saying
// what to run next". A real FATAL cannot be provoked on demand (the rounds that once caused
// one no longer do: test/soak), so the error DuckDB raised then is thrown inside a real write
// transaction on a real catalog with a real backup: what is checked is Ontocat's handling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let session: Session;

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-fatal-write'));
  session = await openSession({ actor: 'test', root });
});
afterEach(async () => {
  await session.close();
  cleanup();
});

describe('a DuckDB FATAL inside a write (DuckDB\'s own message of issue 18 item 4, thrown into a real transaction)', { timeout: 180_000 }, () => {
  it('rolls back and ends in one line naming the catalog, that nothing was committed, and what to run next', async () => {
    const backup = await session.call('backup:create', {});
    const fatal = new Error('FATAL Error: Failed to rollback transaction. Cannot continue operation.\nThis error is not recoverable.');
    const error = await session.catalog.write(async (tx) => {
      await tx.event('test.before_fatal', {});
      throw fatal;
    }).catch((e: unknown) => e);

    expect(isOntocatError(error, 'IO_ERROR')).toBe(true);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`while writing the catalog ${session.catalog.dbPath}`);
    expect(message).toContain('(FATAL Error: Failed to rollback transaction. Cannot continue operation.)');
    expect(message).toMatch(/nothing of this operation was committed\. Run the command again; if the catalog then does not open, .*ontocat restore /);
    expect(message).toContain(backup.timestamp);
    // Nothing of the transaction landed.
    expect((await session.call('events:list', { type: 'test.before_fatal' })).items).toEqual([]);
  });
});
