import type { Session } from '../handlers/session.js';

/**
 * What a command runs on: this process's own session, or (when another Ontocat process
 * owns the root) a client of that owner's endpoint. Both run the same channels and push
 * the same events; only a local session has the catalog itself (`catalog` non-null).
 */
export interface CommandSession {
  readonly root: string;
  readonly catalog: Session['catalog'] | null;
  call: Session['call'];
  on: Session['on'];
}
import { formatVersionRef, parseVersionRef } from '../shared/version-ref.js';

/** A mistake in how the command was called: exit code 2 and the usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  readonly short?: string;
  readonly multiple?: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly json: boolean;
}

/** What a command prints: the JSON document for `--json`, the text for people. */
export interface CommandOutput {
  readonly json: unknown;
  readonly human: string;
  /** Exit code after printing (default 0); e.g. 1 when `verify` found mismatches. */
  readonly exitCode?: number;
  /** The command printed everything itself already (long-running commands print as they go). */
  readonly printed?: boolean;
}

/** What a command may use besides its arguments and session: the streams and a stop signal. */
export interface CommandContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM for long-running commands; never otherwise. */
  readonly signal: AbortSignal;
}

/** How a command needs the catalog opened. */
export type CatalogAccess = 'read' | 'write' | 'write-no-migrate';

export interface CliCommand {
  /** One or two words: `versions`, `latest set`. */
  readonly name: string;
  readonly summary: string;
  /** Arguments after the name, e.g. `SERVICE VERSION`. */
  readonly args: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** How the catalog is opened; a function when it depends on the options (e.g. --dry-run). */
  readonly access: CatalogAccess | ((args: ParsedArgs) => CatalogAccess);
  /**
   * Runs until stopped (e.g. `serve`): Ctrl-C/SIGTERM abort `context.signal` instead of
   * killing the process, so the command returns and the session closes cleanly.
   */
  readonly longRunning?: boolean;
  /** Who the session acts as (recorded in events); `cli` unless set, e.g. `web` for serve. */
  readonly actor?: string;
  /** Creates the catalog even on a root that holds stored data but no catalog file (`init --force`). */
  readonly create?: (args: ParsedArgs) => boolean;
  /**
   * Why the command cannot run through a running Ontocat that owns the root (it needs the
   * catalog in this process); unset when it can.
   */
  readonly localOnly?: string;
  /** Runs on an open session (local, or through the owner); every command has this or `offline`. */
  run?(args: ParsedArgs, session: CommandSession, context: CommandContext): Promise<CommandOutput>;
  /**
   * Runs without opening the catalog, so it works whatever state the catalog file is in
   * (restore, backup list); `access` is ignored.
   */
  offline?(args: ParsedArgs, target: OfflineTarget, context: CommandContext): Promise<CommandOutput>;
}

/** Where an offline command works: the root and the catalog file named on the command line. */
export interface OfflineTarget {
  readonly root: string;
  readonly dbPath: string | undefined;
}

/**
 * Reads an option as a whole number, or throws a usage error naming it.
 *
 * Digits only: Number() reads '' and ' ' as 0 and '0x10' or '1e1' as numbers, so an
 * unset shell variable (`--keep-last "$N"`) became 0 and a typo a number nobody wrote.
 */
export function intOption(args: ParsedArgs, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = args.options[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, got '${String(raw)}'.`);
  }
  return value;
}

/** Reads an option as a string. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.options[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** A `SERVICE/VERSION` argument, normalised, or a usage error (exit 2) naming what is missing. */
export function versionRefArg(text: string | undefined, what = 'SERVICE/VERSION'): string {
  if (!text) throw new UsageError(`Missing ${what}.`);
  try {
    return formatVersionRef(parseVersionRef(text));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
