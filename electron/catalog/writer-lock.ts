import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { describeFsError } from '../shared/fs-error-words.js';
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

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;
/** How far /proc's start time (whole-second boot time) and a lock's `started_at` may disagree for one process. */
const START_SLACK_MS = 2000;

/** When this machine booted, in ms since the epoch, from /proc/stat (Linux); null when unknown. */
function bootTimeMs(): number | null {
  try {
    const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

/** When process `pid` started, in ms since the epoch (/proc/PID/stat field 22 plus boot time); null when unknown. */
function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ')': fields 3… follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[22 - 3]);
    const boot = bootTimeMs();
    return Number.isFinite(ticks) && boot !== null ? boot + (ticks * 1000) / USER_HZ : null;
  } catch {
    return null;
  }
}

/** Process `pid`'s command line, arguments joined by spaces (Linux); null when unknown. */
function commandLineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`).toString('utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

/**
 * Whether the live process with the holder's pid is clearly another process than the one
 * that took the lock: the pid was reused after the holder died (or the machine rebooted).
 *
 * A holder starts before it writes its lock; a process that started after the lock's
 * `started_at` is not it. Clocks can be stepped (NTP at boot), so a process whose command
 * line may be Ontocat's (Ontocat, or Electron) keeps the lock anyway; and where /proc cannot
 * tell (not Linux, hidden pids) nothing is taken over: the lock stays refused, as before.
 */
function pidReused(holder: LockHolder): boolean {
  if (process.platform !== 'linux') return false;
  const lockedAt = Date.parse(holder.started_at);
  if (Number.isNaN(lockedAt)) return false;
  const started = processStartMs(holder.pid);
  if (started === null || started <= lockedAt + START_SLACK_MS) return false;
  const commandLine = commandLineOf(holder.pid);
  return commandLine !== null && commandLine !== '' && !/ontocat|electron/i.test(commandLine);
}

/**
 * Whether a lock's holder (on this host) is still running: its pid is alive and is not
 * clearly another process that got the pid after the holder died.
 */
export function holderAlive(holder: LockHolder): boolean {
  return processAlive(holder.pid) && !pidReused(holder);
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
    // A read-only or full file system, a folder not ours: one line, as any refusal.
    throw new OntocatError('IO_ERROR', `Could not take the writer lock ${lockPath}: ${describeFsError(error, path.dirname(lockPath))}. Nothing was changed.`);
  }
  try {
    writeSync(fd, JSON.stringify(holder));
    fsyncSync(fd);
  } catch (error) {
    // The file was created but holds nothing readable (a full disk): left there, it would
    // refuse every later writer as an unreadable lock until someone removed it by hand.
    closeSync(fd);
    try { unlinkSync(lockPath); } catch { /* already gone */ }
    throw new OntocatError('IO_ERROR', `Could not take the writer lock ${lockPath}: ${describeFsError(error, path.dirname(lockPath))}. Nothing was changed.`);
  }
  closeSync(fd);
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
 * host, whose liveness cannot be checked). A lock left by a dead process on this host, or
 * whose pid now belongs to a clearly different process (see `pidReused`), is recovered and
 * reported through `recovered`.
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
    if (!sameHost || existing.pid === process.pid || holderAlive(existing)) {
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
