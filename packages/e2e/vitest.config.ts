import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // In CI, a test that fails is run once more (the report marks it retried): a busy machine's timing
    // is not a regression; a real one fails twice.
    retry: process.env.CI ? 1 : 0,
    include: ['test/**/*.test.ts'],
    // Each file starts its own server processes; two cores are enough for two files at a time.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
