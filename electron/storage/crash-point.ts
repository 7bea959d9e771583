/**
 * Named points inside boundaries where a test can make this process die hard.
 *
 * With `ONTOCAT_CRASH_AT=<name>` in the environment, reaching `crashPoint(name)` sends
 * SIGKILL to the process itself: no cleanup, no exit hooks, like a power cut. Tests use
 * it to prove that the catalog and the disk stay recoverable at every step.
 */
export function crashPoint(name: string): void {
  if (process.env.ONTOCAT_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
