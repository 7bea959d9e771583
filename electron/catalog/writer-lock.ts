import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { writeFileAtomicSync } from '../storage/atomic-write.js';

/** What the lock file holds: enough to name the holder in a refusal. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
  readonly app: string;
  /**
   * Where the holder takes calls from other Ontocat processes (a Unix socket or named
   * pipe); absent for a one-shot command that serves nobody.
   */
  readonly endpoint?: string;
  /** The holder's web host origin (no token), when it serves a browser too. */
  readonly web?: string;
}

/** A held writer lock; `recovered` names the dead holder it replaced, if any. */
export interface WriterLock {
  readonly path: string;
  readonly holder: LockHolder;
  readonly recovered: LockHolder | null;
  /** Rewrites the lock file (atomically) to say where this holder listens. */
  advertise(endpoint: string, web?: string): void;
  release(): void;
}

export const LOCK_FILE = '.ontocat.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return {
      pid: parsed.pid,
      host: parsed.host,
      started_at: String(parsed.started_at ?? 'unknown'),
      app: String(parsed.app ?? 'unknown'),
      ...(typeof parsed.endpoint === 'string' ? { endpoint: parsed.endpoint } : {}),
      ...(typeof parsed.web === 'string' ? { web: parsed.web } : {}),
    };
  } catch {
    return null;
  }
}

/** The current holder of a root's writer lock, or null when there is none. */
export function readLockHolder(root: string): LockHolder | null {
  return readHolder(path.join(root, LOCK_FILE));
}

/** Describes a holder for error messages, e.g. `ontocat-cli (pid 4242 on box, since …)`. */
export function describeHolder(holder: LockHolder): string {
  return `${holder.app} (pid ${holder.pid} on ${holder.host}, since ${holder.started_at})`;
}

function tryCreate(lockPath: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

const heldLocks = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Normal exit releases every lock this process still holds.
  process.on('exit', () => {
    for (const lockPath of heldLocks) {
      try { unlinkSync(lockPath); } catch { /* already gone */ }
    }
  });
}

/**
 * Takes the writer lock of a storage root.
 *
 * Refuses, naming the holder, when a live process holds it (or any process on another
 * host, whose liveness cannot be checked). A lock left by a dead process on this host is
 * recovered and reported through `recovered`.
 */
export function acquireWriterLock(root: string, app: string): WriterLock {
  const lockPath = path.join(root, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), app };
  let recovered: LockHolder | null = null;

  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (tryCreate(lockPath, holder)) {
      heldLocks.add(lockPath);
      installExitHook();
      return {
        path: lockPath,
        holder,
        recovered,
        advertise(endpoint, web) {
          // Still ours? Then replace the content in one rename, so a reader never sees half.
          const current = readHolder(lockPath);
          if (!heldLocks.has(lockPath) || !current || current.pid !== holder.pid || current.started_at !== holder.started_at) {
            throw new OntocatError('LOCKED', `The writer lock ${lockPath} is no longer held by this process.`);
          }
          writeFileAtomicSync(lockPath, JSON.stringify({ ...holder, endpoint, ...(web ? { web } : {}) } satisfies LockHolder));
        },
        release() {
          if (!heldLocks.delete(lockPath)) return;
          const current = readHolder(lockPath);
          if (current && current.pid === holder.pid && current.started_at === holder.started_at) {
            try { unlinkSync(lockPath); } catch { /* already gone */ }
          }
        },
      };
    }
    const existing = readHolder(lockPath);
    if (existing === null) {
      throw new OntocatError('LOCKED', `The catalog at ${root} has an unreadable lock file ${lockPath}; remove it if no Ontocat is running.`);
    }
    const sameHost = existing.host === holder.host;
    if (!sameHost || existing.pid === process.pid || processAlive(existing.pid)) {
      throw new OntocatError('LOCKED', `The catalog at ${root} is already open for writing by ${describeHolder(existing)}.`, {
        holder: existing,
      });
    }
    // The holder is gone: take its lock over. Unlink then exclusive create, so that of two
    // processes recovering at once only one wins.
    recovered = existing;
    try { unlinkSync(lockPath); } catch { /* another recoverer got there first */ }
  }
  throw new OntocatError('LOCKED', `Could not take the writer lock ${lockPath}: another process keeps taking it.`);
}
