import type { CliCommand } from './command-types.js';
import { bucketCommands } from './commands/bucket-commands.js';
import { coreCommands } from './commands/core-commands.js';
import { deltaCommands } from './commands/delta-commands.js';
import { housekeepingCommands } from './commands/housekeeping-commands.js';
import { ingestCommands } from './commands/ingest-commands.js';
import { publishCommands } from './commands/publish-commands.js';
import { reportCommands } from './commands/report-commands.js';
import { serveCommands } from './commands/serve-commands.js';
import { storeCommands } from './commands/store-commands.js';
import { termsCommands } from './commands/terms-commands.js';
import { sourcesCommands } from './commands/sources-commands.js';
import { teamCommands } from './commands/team-commands.js';
import { validateCommands } from './commands/validate-commands.js';

/** Every CLI command; each domain contributes one list. */
export const commands: readonly CliCommand[] = [
  ...coreCommands,
  ...ingestCommands,
  ...validateCommands,
  ...deltaCommands,
  ...reportCommands,
  ...housekeepingCommands,
  ...publishCommands,
  ...storeCommands,
  ...sourcesCommands,
  ...serveCommands,
  ...teamCommands,
  ...termsCommands,
  ...bucketCommands,
];
