import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One lab at a time: its virtual machines take the machine's cores.
    fileParallelism: false,
    // Each step waits on real boots (8-30 s each under TCG); every wait is bounded by the test itself.
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
