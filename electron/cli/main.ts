import { commands } from './command-registry.js';
import { runCliWith, type CliIo, type LocalOpener } from './cli-runner.js';
import { quietOnBrokenPipe } from './broken-pipe.js';

export type { CliIo } from './cli-runner.js';

/**
 * Opens the catalog in this process, with every handler. Loaded on demand: a client of a
 * running owner never needs DuckDB, and loading it is most of a short command's time.
 */
const openFullSession: LocalOpener = async (options) => {
  const { openSession } = await import('../handlers/session.js');
  return openSession(options);
};

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code.
 *
 * Exit codes: 0 success, 1 a failed operation (one-line reason on stderr), 2 a usage error.
 */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return runCliWith(argv, io, commands, { openLocal: openFullSession });
}

/** The streams and environment of this process, as the CLI writes to them. */
export function processIo(): CliIo {
  quietOnBrokenPipe();
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    processExiting: true,
    terminalColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/** Runs the CLI on this process's arguments and streams; resolves to the exit code. */
export function runFromProcess(): Promise<number> {
  return runCli(process.argv.slice(2), processIo());
}
