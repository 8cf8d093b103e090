import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'rules/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tree indexes are not kept in the user's cache directory by tests (test/tree-cache.test.ts sets its own).
    env: { ZDCHECK_CACHE_DIR: 'off' },
  },
});
