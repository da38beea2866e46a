import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'tests/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    // The fault-injection suite runs whole clusters of processes: `npm test` runs it on its own,
    // one file at a time, after this one (tests/faults/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'tests/faults/**'],
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
