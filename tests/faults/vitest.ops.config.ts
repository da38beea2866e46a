import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Operations tests: the platform spread over hosts (network namespaces on this machine, created and
 * removed by the test; root only), one file at a time. `npm test` runs them in the step 'ops tests'
 * after checking their prerequisites (scripts/platform/ops-prerequisites.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['src/ops/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
