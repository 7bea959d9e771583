/**
 * Prints every failed attempt of a browser step, also one that passes on its retry, so
 * a flaky step leaves its cause in the log instead of only "(retry x1)".
 */
import { beforeEach } from 'vitest';

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(({ task: failed }) => {
    const errors = failed.result?.errors ?? [];
    const first = errors[0];
    console.warn(`[attempt failed] ${task.name} (attempt ${failed.result?.retryCount ?? 0}): ${first?.message ?? 'no message'}\n${first?.stack?.split('\n').slice(1, 4).join('\n') ?? ''}`);
  });
});
