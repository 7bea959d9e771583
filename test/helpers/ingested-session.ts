import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openSession, type Session } from '../../electron/handlers/session.js';

/**
 * A session on a new catalog under `dir` with one service's versions ingested (validated
 * and term-indexed, as `ontocat ingest` does), in the order given; each version a folder
 * of the files given (path to text).
 */
export async function ingestedSession(dir: string, service: string, versions: Readonly<Record<string, Readonly<Record<string, string>>>>): Promise<Session> {
  const session = await openSession({ actor: 'test', root: path.join(dir, 'root'), create: true });
  for (const [version, files] of Object.entries(versions)) {
    const source = path.join(dir, 'src', version);
    for (const [relpath, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(source, relpath)), { recursive: true });
      writeFileSync(path.join(source, relpath), text);
    }
    await session.call('ingest:run', { source, service, version });
  }
  return session;
}
