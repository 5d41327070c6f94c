import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // In CI, a test that fails is run once more (the report marks it retried): a busy machine's timing
    // is not a regression; a real one fails twice.
    retry: process.env.CI ? 1 : 0,
    include: ['test/**/*.test.ts'],
    // The agent runs as busybox subprocesses; the machine running the tests may be busy.
    maxWorkers: 2,
    // The QEMU smoke test bounds each boot at 90 s itself.
    testTimeout: 150_000,
    hookTimeout: 120_000,
  },
});
