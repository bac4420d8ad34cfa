import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each integration file boots its own runtime on free ports; two cores, so two forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
