import type { CliCommand } from './command-types.js';
import { coreCommands } from './commands/core-commands.js';
import { serveCommands } from './commands/serve-commands.js';

/** Every CLI command; each domain contributes one list. */
export const commands: readonly CliCommand[] = [...coreCommands, ...serveCommands];
