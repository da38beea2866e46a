import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'tests/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
