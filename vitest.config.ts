import { configDefaults, defineConfig } from 'vitest/config';

/** Runs `npm start`, which rebuilds the renderer the browser suites serve: it runs after them, alone. */
const START_SCRIPT_TEST = 'test/integration/serve/start-script.test.ts';

/**
 * Three projects, one after the other. Side by side was measured twice in whole runs on
 * the 2 cores and never gained: 1,232 s against 1,198 s (2026-11), and 953 s against
 * 701 + 251 s (2026-12-02, with the faster axe scan); the CPU, not the layout, sets the time.
 *
 * Unit and integration files run two at a time (each uses its own temp root, catalog and
 * ports), in workers that stay up from file to file (`isolate: false`): a fresh worker per
 * file cost each file its start and its imports again (the unit folder: 58 s against 28 s;
 * the node project: 1,524 against 1,296 s of CPU, 822 against 701 s). No test changes a
 * global it does not restore. The Chromium suites also run two at a time since the axe scan
 * runs in the page (2026-12-02: 251 s one at a time, 167 s two at a time with `npm start`'s
 * test after them; one browser step has needed its retry once, cause not found; one
 * at a time was needed while each scan re-injected axe into every frame and two browsers
 * plus two servers pushed each other past their timeouts). `npm start`'s test runs alone
 * after them: it rebuilds dist/renderer, which the browser suites serve (in one run beside
 * them, a browser suite failed before its first test), and the renderer is built once
 * before the browser suites start, not by two of them at once.
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
          exclude: [...configDefaults.exclude, START_SCRIPT_TEST],
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          maxWorkers: 2,
          globalSetup: ['test/helpers/renderer-global-setup.ts'],
          // One retry for a browser step that lost a race with a re-render (reported as
          // flaky by vitest, not hidden); a real regression fails twice.
          retry: 1,
          // A page polled for a state waits as long as a browser step may take on a loaded
          // machine (vitest's default is 1 s); a state that never comes still fails.
          expect: { poll: { timeout: 15_000 } },
          setupFiles: ['test/helpers/report-failed-attempts.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'start',
          include: [START_SCRIPT_TEST],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
