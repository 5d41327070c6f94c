import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts its own server; the CLI runs as subprocesses.
    maxWorkers: 2,
    // Generous: the machine running the tests may be busy; an unloaded run takes a fraction of this.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
