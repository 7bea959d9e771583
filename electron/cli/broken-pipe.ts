/**
 * A reader that closes early (`ontocat doctor --json | head -1`) makes the next write to
 * stdout fail with EPIPE, which Node raises as an unhandled 'error' event: a stack trace
 * and exit code 1. Like other command-line tools, the CLI then stops writing quietly: the
 * stream is closed, later writes go nowhere, and the command itself still finishes (a write
 * boundary under way completes rather than dying half-way) with its own exit code.
 */
let installed = false;

export function quietOnBrokenPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (installed) return;
  installed = true;
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        // Writes after this are dropped silently (a destroyed stream raises nothing more).
        stream.destroy();
        return;
      }
      throw error;
    });
  }
}
