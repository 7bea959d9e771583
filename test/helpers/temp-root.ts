import { openSession, type Session } from '../../electron/handlers/session.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh storage root in the system temp folder, removed by `cleanup()`. */
export function makeTempRoot(label = 'ontocat-test'): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), `${label}-`));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Opens the root a test works on in this process, runs `task` and closes it again (a
 * stale lock left by a SIGKILLed child is recovered on open); `root` is read at each call.
 */
export function sessionOn(root: () => string): <T>(task: (session: Session) => Promise<T>) => Promise<T> {
  return async (task) => {
    const session = await openSession({ actor: 'test', root: root() });
    try {
      return await task(session);
    } finally {
      await session.close();
    }
  };
}
