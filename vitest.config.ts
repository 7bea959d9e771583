import { defineConfig } from 'vitest/config';

/**
 * Two groups, one after the other.
 *
 * Unit and integration files run two at a time (each uses its own temp root, catalog and
 * ports). The Chromium suites then run one at a time: two browsers plus two servers on a
 * 2-core machine push each other past their timeouts.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.{ts,tsx}'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          maxWorkers: 1,
          fileParallelism: false,
          // One retry for a browser step that lost a race with a re-render (reported as
          // flaky by vitest, not hidden); a real regression fails twice.
          retry: 1,
          setupFiles: ['test/helpers/report-failed-attempts.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
