import { defineConfig } from 'vitest/config';

/** End-to-end tests: real browsers, one file at a time (each shares one browser per file). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
