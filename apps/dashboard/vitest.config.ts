import { defineConfig } from 'vitest/config';

// The dashboard's pure logic (time ranges, approvals, step rows); the screens are Playwright's (e2e/).
export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
