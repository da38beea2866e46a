import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Fault-injection tests: each file starts its own cluster (gateway, 2 orchestrators, 3 executors
 * as separate processes), so files run one at a time; on a 2-core machine two clusters at once
 * would measure the machine, not Weft.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['src/**/*.test.ts'],
    // The operations tests (hosts as network namespaces) have their own config: vitest.ops.config.ts.
    exclude: [...configDefaults.exclude, 'src/ops/**'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});
