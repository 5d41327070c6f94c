import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // In CI, a test that fails is run once more (the report marks it retried): a busy machine's timing
    // is not a regression; a real one fails twice.
    retry: process.env.CI ? 1 : 0,
    include: ['src/**/*.test.ts'],
    // Each file starts its own simulators; the machine may be shared and busy.
    maxWorkers: 2,
    // Every test is bounded; generous because the machine running them may be busy.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
