import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    // In CI, a test that fails is run once more (the report marks it retried): a busy machine's timing
    // is not a regression; a real one fails twice.
    retry: process.env.CI ? 1 : 0,
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
