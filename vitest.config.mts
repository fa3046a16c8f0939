import { defineConfig } from 'vitest/config';

// Each test file runs in its own process: the local host hooks Node's module
// loader (as the Functions worker does), which must not leak between files.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
