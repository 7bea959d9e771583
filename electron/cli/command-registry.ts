import type { CliCommand } from './command-types.js';
import { coreCommands } from './commands/core-commands.js';
import { housekeepingCommands } from './commands/housekeeping-commands.js';

/** Every CLI command; each domain contributes one list. */
export const commands: readonly CliCommand[] = [...coreCommands, ...housekeepingCommands];
