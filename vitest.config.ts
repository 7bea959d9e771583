import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.{ts,tsx}', 'test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most tests wait on child processes (the CLI, ontocat serve, Chromium), not the CPU:
    // two forks keep both cores of a CI machine busy and the suite well inside its budget.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
