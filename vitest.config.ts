import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // Real DuckDB files and real servers: give slow CI machines room, but never hide a hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
