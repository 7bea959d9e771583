/**
 * The quick entry of `ontocat`: the read commands a user runs most, without the rest.
 *
 * bin/ontocat.mjs starts here. Loading the whole CLI (every command, their handlers'
 * imports) is a good part of a short command's start; `info`, `versions` and `latest get`
 * need only their own definitions, the runner and, when no running app owns the root, the
 * catalog. Any other command line (another command, none, an unknown one) gives null and
 * the caller runs the full CLI, so help and errors stay those of the full CLI.
 */
import { runCliWith, type CliIo, type InOwner, type LocalOpener } from './cli-runner.js';
import type { CliCommand } from './command-types.js';
import { coreCommands } from './commands/core-commands.js';
import { ownName } from '../handlers/catalog-owner.js';
import { OntocatError } from '../shared/errors.js';
import { quietOnBrokenPipe } from './broken-pipe.js';

/** The commands this entry runs; none may be the first word of a two-word command. */
export const QUICK_COMMAND_NAMES: readonly string[] = ['info', 'versions', 'latest get'];

export const quickCommands: readonly CliCommand[] = coreCommands.filter((c) => QUICK_COMMAND_NAMES.includes(c.name));

/** Runs `argv` when it names a quick command; null when the full CLI must run it. */
export function runQuick(argv: readonly string[], io: CliIo): Promise<number | null> {
  return runCliWith(argv, io, quickCommands, { partial: true, openLocal: openQuickSession });
}

/**
 * The catalog opened here for a quick command: a read session (core handlers and schemas
 * only). Every quick command reads; none may need the full session, which this entry does
 * not load (bin/ontocat.mjs runs it as one CommonJS bundle without the rest of the CLI).
 */
const openQuickSession: LocalOpener = async (options) => {
  if (options.readOnly !== true) throw new OntocatError('INTERNAL', 'The quick entry of the CLI opens the catalog for reading only.');
  const { openReadSession } = await import('../handlers/read-session.js');
  return openReadSession(options);
};

/** `runQuick` on this process's arguments and streams. */
export function runQuickFromProcess(): Promise<number | null> {
  quietOnBrokenPipe();
  return runQuick(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    processExiting: true,
    terminalColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
  });
}

/** What a quick command run in the owner printed, and its exit code. */
export interface QuickAnswer {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a client's quick command line in the process that owns the root, on the owner's
 * session, and gives back exactly what the client would have printed running it through
 * this owner (same runner, same formatting). `root` is the root the client resolved when
 * no `--root` is given. Null for anything else (another command, another root, `--db`):
 * the client then runs the line itself.
 */
export async function runQuickInOwner(argv: readonly string[], root: string, owner: InOwner, terminalColumns?: number): Promise<QuickAnswer | null> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => { stdout += `${text}\n`; },
    stderr: (text) => { stderr += `${text}\n`; },
    env: { ONTOCAT_ROOT: root },
    terminalColumns,
  };
  const exitCode = await runCliWith(argv, io, quickCommands, { partial: true, inOwner: owner });
  return exitCode === null ? null : { exitCode, stdout, stderr };
}

/**
 * The runner an owner (serve, the team server) gives its local endpoint for the launcher's
 * quick command lines: each runs on `session`, naming the owner as its lock says.
 */
export function quickCliRunner(session: InOwner['session']): (argv: readonly string[], root: string, options?: { readonly terminalColumns?: number }) => Promise<QuickAnswer | null> {
  return async (argv, root, options) => {
    const who = ownName(session.root);
    return who === null ? null : runQuickInOwner(argv, root, { session, who }, options?.terminalColumns);
  };
}
