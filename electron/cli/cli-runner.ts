/**
 * The CLI's runner: parses the arguments, finds the command in the list it is given, and
 * runs it through a running owner or on the catalog opened here. The full `ontocat`
 * (main.ts) gives it every command; the quick entry (quick-main.ts) only the read commands
 * a user runs most, so starting one of them loads nothing else.
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultRoot } from '../handlers/default-root.js';
import { readToken, untrustedTokenReason } from '../handlers/access-token.js';
import { findCatalogOwner } from '../handlers/catalog-owner.js';
import type { Session } from '../handlers/session.js';
import { EndpointSession, EndpointUnreachable, endpointAnswers } from '../serve/endpoint-client.js';
import { isOntocatError, OntocatError } from '../shared/errors.js';
import { describeFsError, errnoOf, upperFirst } from '../shared/fs-error-words.js';
import { UsageError, type CliCommand, type CommandSession, type OptionSpec, type ParsedArgs } from './command-types.js';
import { fitTablesToWidth } from './fit-table.js';

const globalOptions: Readonly<Record<string, OptionSpec>> = {
  root: { type: 'string', description: 'storage root (default: $ONTOCAT_ROOT, else the user data folder)' },
  db: { type: 'string', description: 'catalog file (default: ROOT/catalog.duckdb)' },
  json: { type: 'boolean', description: 'print one JSON document on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Stops a long-running command (in-process callers); Ctrl-C and SIGTERM also do. */
  readonly signal?: AbortSignal;
  /** The process ends after this command (the `ontocat` binary): a read-only catalog is left to the OS. */
  readonly processExiting?: boolean;
  /** The width of the terminal stdout is, when it is one: tables are cut to it (a pipe or --json gets every value whole). */
  readonly terminalColumns?: number;
}

/**
 * A stop signal for a long-running command: aborted by `outer`, SIGINT or SIGTERM while
 * the command runs. A second Ctrl-C (not an echo of the first) falls back to exiting at once.
 */
function stopSignal(outer: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onOuter = (): void => controller.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  if (outer?.aborted) controller.abort();
  let firstAt = 0;
  const onSignal = (): void => {
    if (!controller.signal.aborted) {
      firstAt = Date.now();
      controller.abort();
      return;
    }
    // A wrapper (npm start) may forward the terminal's Ctrl-C a moment after the child
    // got it itself: only a later, deliberate second Ctrl-C gives up on a clean close.
    if (Date.now() - firstAt > 1500) process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      outer?.removeEventListener('abort', onOuter);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * A client of the live Ontocat process that owns `root`, when there is one that answers;
 * null leaves the command to open the catalog itself (and so get today's refusal or
 * recovery from a holder that is not Ontocat, or dead). Says on stderr, in one line,
 * where the command runs. A command that needs the catalog in this process fails here.
 */
async function ownerSession(command: CliCommand, root: string, io: CliIo): Promise<EndpointSession | null> {
  const owner = findCatalogOwner(root);
  if (!owner) return null;
  const who = `${owner.holder.app} (pid ${owner.holder.pid})`;
  const token = readToken(root);
  if (token === null) {
    // Opening the catalog here would only be refused as locked: say why the owner cannot be used.
    const why = untrustedTokenReason(root);
    if (why !== null && await endpointAnswers(owner.endpoint)) {
      throw new OntocatError('LOCKED', `The catalog at ${root} is open for writing by ${who}, and 'ontocat ${command.name}' cannot run through it: ${why}`);
    }
    return null;
  }
  if (!(await endpointAnswers(owner.endpoint))) return null;
  if (command.localOnly) {
    throw new OntocatError('LOCKED', `'ontocat ${command.name}' cannot run through the running ${who} on this root: ${command.localOnly}. Stop it first.`);
  }
  io.stderr(`ontocat: using the running ${who} on this root`);
  return new EndpointSession(root, owner.endpoint, token);
}

/**
 * The owner's session as a client of it sees one: no catalog handle (so a command takes the
 * same path as through the endpoint), the same calls and events, and a close that leaves
 * the owner's session open. Says on stderr what a client says.
 */
function ownSession(owner: InOwner, io: CliIo): CommandSession & { close(): Promise<void> } {
  io.stderr(`ontocat: using the running ${owner.who} on this root`);
  const own = owner.session;
  return { root: own.root, catalog: null, call: own.call.bind(own), on: own.on.bind(own), close: () => Promise.resolve() };
}

/** Opens the catalog in this process for one command. */
/** Read commands that work on a catalog whose schema is behind this build's. */
const SCHEMA_AGNOSTIC_COMMANDS: ReadonlySet<string> = new Set(['info', 'migrate', 'schema']);

export type LocalOpener = (options: Parameters<typeof Session.open>[0]) => Promise<CommandSession & { close(options?: { processExiting?: boolean }): Promise<void> }>;

/** The owner's own session, for a command line a client hands to the owner of its root to run. */
export interface InOwner {
  /** The owner's session, used as the command's session (never closed here). */
  readonly session: CommandSession;
  /** How the owner names itself to a client, e.g. `ontocat-web (pid 4242)`. */
  readonly who: string;
}

export interface RunOptions {
  /** A part of the CLI: null for command lines naming none of its commands. */
  readonly partial?: boolean;
  /** Opens the catalog in this process; without it, a command that needs the catalog here fails as an internal error. */
  readonly openLocal?: LocalOpener;
  /**
   * Run inside the process that owns the root, on its session, printing what a client of
   * it prints. A command line for another or a relative root, another catalog file (`--db`),
   * or a command that does not run through an owner gives null: the client runs it itself.
   */
  readonly inOwner?: InOwner;
}

function usageOf(command: CliCommand): string {
  return `ontocat ${command.name}${command.args ? ` ${command.args}` : ''}`;
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  return Object.entries(options).map(([name, spec]) => `  --${name}${spec.type === 'string' ? ' VALUE' : ''}`.padEnd(26) + spec.description);
}

function generalHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => usageOf(c).length));
  return [
    'Ontocat: a catalog of versioned ontology and dataset downloads.',
    '',
    'Usage: ontocat COMMAND [ARGS] [--root DIR] [--json]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(globalOptions),
    '',
    "Run 'ontocat COMMAND --help' for a command's options. Exit codes: 0 ok, 1 failed, 2 usage error.",
  ].join('\n');
}

/** The commands sharing a first word (`ontocat trash list`, `… restore`, `… empty`). */
function familyHelp(word: string, members: readonly CliCommand[]): string {
  const width = Math.max(...members.map((c) => usageOf(c).length));
  return [
    `Usage: ontocat ${word} COMMAND [ARGS]`,
    '',
    'Commands:',
    ...members.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`),
    '',
    `Run 'ontocat ${word} COMMAND --help' for a command's options.`,
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  return [
    `Usage: ${usageOf(command)}`,
    '',
    command.summary,
    ...(command.options ? ['', 'Options:', ...optionLines(command.options)] : []),
    '',
    'Global options:',
    ...optionLines(globalOptions),
  ].join('\n');
}

function toParseConfig(options: Readonly<Record<string, OptionSpec>>): NonNullable<ParseArgsConfig['options']> {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = { type: spec.type, multiple: spec.multiple ?? false, ...(spec.short ? { short: spec.short } : {}) };
  }
  return config;
}

/**
 * `--offset -1` written as two words: Node's parser takes a word starting with '-' for an
 * option, and refused the pair with its own 'argument is ambiguous … use --offset=-XYZ'
 * instead of the option's rule (intOption: a whole number, got '-1'). A value-taking
 * option followed by a word that names no option of the command is joined to it as
 * `--offset=-1`, as GNU getopt takes the next word; a word naming an option (`--prefix
 * --json`) is left, so a forgotten value is still said to be missing.
 */
function joinDashValues(argv: readonly string[], options: Readonly<Record<string, OptionSpec>>): string[] {
  const names = new Set(Object.entries(options).flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i]!;
    if (word === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const takesValue = word.startsWith('--') && options[word.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && next.startsWith('-') && next !== '--' && !names.has(next.split('=')[0]!)) {
      out.push(`${word}=${next}`);
      i += 1;
    } else out.push(word);
  }
  return out;
}

/** Finds the command named by the leading words (two-word names first). */
function resolveCommand(commands: readonly CliCommand[], words: readonly string[]): { command: CliCommand } | null {
  const two = words.length >= 2 ? commands.find((c) => c.name === `${words[0]} ${words[1]}`) : undefined;
  if (two) return { command: two };
  const one = commands.find((c) => c.name === words[0]);
  return one ? { command: one } : null;
}

/**
 * Runs `argv` (without `node` and the script) with one of `commands` and returns the exit
 * code. `openLocal` opens the catalog in this process. With
 * `partial` the list is a part of the CLI: no command words, or words naming
 * none of the list, give null (the caller runs the full CLI) instead of help or an error.
 *
 * Exit codes: 0 success, 1 a failed operation (one-line reason on stderr), 2 a usage error.
 */
export function runCliWith(argv: readonly string[], io: CliIo, commands: readonly CliCommand[], options: RunOptions & { readonly partial: true }): Promise<number | null>;
export function runCliWith(argv: readonly string[], io: CliIo, commands: readonly CliCommand[], options?: RunOptions & { readonly partial?: false }): Promise<number>;
export async function runCliWith(argv: readonly string[], io: CliIo, commands: readonly CliCommand[], run: RunOptions = {}): Promise<number | null> {
  const partial = run.partial === true;
  const openLocal: LocalOpener = run.openLocal ?? (() => Promise.reject(new OntocatError('INTERNAL', 'This entry of the CLI cannot open the catalog here.')));
  const first = parseArgs({ args: [...argv], options: toParseConfig(globalOptions), strict: false, allowPositionals: true });
  const words = first.positionals;
  if (words.length === 0) {
    if (partial) return null;
    (first.values.help ? io.stdout : io.stderr)(generalHelp(commands));
    return first.values.help ? 0 : 2;
  }
  const found = resolveCommand(commands, words);
  if (!found) {
    if (partial) return null;
    const members = commands.filter((c) => c.name.startsWith(`${words[0]} `));
    if (members.length > 0 && words.length === 1) {
      // `ontocat terms` or `ontocat terms --help`: the family's commands, not 'unknown command'.
      (first.values.help ? io.stdout : io.stderr)(familyHelp(words[0]!, members));
      return first.values.help ? 0 : 2;
    }
    const family = members.map((c) => `'${c.name}'`);
    io.stderr(`ontocat: unknown command '${words.slice(0, 2).join(' ')}'.${family.length ? ` Did you mean ${family.join(' or ')}?` : " Run 'ontocat --help' for the list."}`);
    return 2;
  }
  const { command } = found;
  const options = { ...globalOptions, ...command.options };

  let args: ParsedArgs;
  try {
    const parsed = parseArgs({ args: joinDashValues(argv, options), options: toParseConfig(options), strict: true, allowPositionals: true });
    const nameWords = command.name.split(' ');
    // Drop the command words wherever they stood among the positionals.
    const positionals = [...parsed.positionals];
    for (const word of nameWords) positionals.splice(positionals.indexOf(word), 1);
    if (parsed.values.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    if (positionals.length < command.minArgs || positionals.length > command.maxArgs) {
      throw new UsageError(`expected ${command.args || 'no arguments'}, got ${positionals.length === 0 ? 'none' : `'${positionals.join(' ')}'`}.`);
    }
    args = { positionals, options: parsed.values as ParsedArgs['options'], json: parsed.values.json === true };
  } catch (error) {
    io.stderr(`ontocat ${command.name}: ${(error as Error).message.replace(/^.*?: /, '')}\nUsage: ${usageOf(command)}  (see --help)`);
    return 2;
  }

  const root = typeof args.options.root === 'string' ? args.options.root : defaultRoot(io.env);
  const dbPath = typeof args.options.db === 'string' ? args.options.db : undefined;
  const access = typeof command.access === 'function' ? command.access(args) : command.access;
  let session: (CommandSession & { close(options?: { processExiting?: boolean }): Promise<void> }) | null = null;
  const stop = command.longRunning ? stopSignal(io.signal) : { signal: new AbortController().signal, dispose: () => undefined };
  const context = { stdout: io.stdout, stderr: io.stderr, env: io.env, signal: stop.signal };
  if (run.inOwner && (dbPath !== undefined || !path.isAbsolute(root) || path.resolve(root) !== path.resolve(run.inOwner.session.root) || !command.run || command.localOnly || command.offline)) {
    stop.dispose();
    return null;
  }
  try {
    // With --db the catalog may be another file than the owner's: no owner to ask then.
    // A command that must run here (restore) is refused while an owner runs.
    const owner = run.inOwner ? ownSession(run.inOwner, io) : dbPath === undefined ? await ownerSession(command, root, io) : null;
    let output;
    if (owner && command.run) {
      session = owner;
      output = await command.run(args, session, context);
    } else if (command.offline) {
      await owner?.close();
      output = await command.offline(args, { root, dbPath }, context);
    } else {
      session = await openLocal({
        actor: command.actor ?? 'cli',
        root,
        dbPath,
        readOnly: access === 'read',
        // A read cannot migrate: refuse an older schema with what to do, except where the
        // schema is what the command shows (info, migrate --dry-run, schema).
        requireCurrentSchema: access === 'read' && !SCHEMA_AGNOSTIC_COMMANDS.has(command.name),
        migrate: access !== 'write-no-migrate',
        create: command.create?.(args) ?? false,
      });
      output = await command.run!(args, session, context);
    }
    if (!output.printed) {
      io.stdout(args.json ? JSON.stringify(output.json, null, 2)
        : io.terminalColumns ? fitTablesToWidth(output.human, io.terminalColumns) : output.human);
    }
    return output.exitCode ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ontocat ${command.name}: ${error.message}\nUsage: ${usageOf(command)}  (see --help)`);
      return 2;
    }
    if (isOntocatError(error)) {
      io.stderr(`ontocat: ${error.message}`);
      return 1;
    }
    if (error instanceof EndpointUnreachable) {
      io.stderr(`ontocat: lost the running Ontocat that owns ${root} during the command (${error.message}); check what it did with 'ontocat events'.`);
      return 1;
    }
    // A file system's refusal outside any step that says more: plain words, the errno kept.
    if (errnoOf(error)) {
      io.stderr(`ontocat: ${upperFirst(describeFsError(error))}.`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    // DuckDB gave up on the database outside a write (a write says so itself): one line, no stack.
    if (/FATAL Error|database has been invalidated/i.test(message)) {
      io.stderr(`ontocat: DuckDB stopped with a fatal error (${message.split('\n')[0]}); nothing more was committed. Run the command again; if the catalog does not open, see 'ontocat backup list' and 'ontocat restore TIMESTAMP'.`);
      return 1;
    }
    io.stderr(`ontocat: unexpected failure: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return 1;
  } finally {
    try {
      await session?.close({ processExiting: io.processExiting === true });
    } finally {
      stop.dispose();
    }
  }
}
