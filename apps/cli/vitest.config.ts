import { defineConfig } from 'vitest/config';

const shared = {
  // Each file starts its own server; the CLI runs as subprocesses.
  maxWorkers: 2,
  // In CI, a test that fails is run once more (the report marks it retried): a busy machine's timing
  // is not a regression; a real one fails twice.
  retry: process.env.CI ? 1 : 0,
  // Generous: the machine running the tests may be busy; an unloaded run takes a fraction of this.
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

/** The repository's scripts (`pnpm metalyard`, `pnpm start`) may rebuild dist/: they run last, alone. */
const SCRIPTS = 'test/scripts.test.ts';

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'cli', include: ['test/**/*.test.ts'], exclude: [SCRIPTS] } },
      { test: { ...shared, name: 'scripts', include: [SCRIPTS], sequence: { groupOrder: 1 } } },
    ],
  },
});
