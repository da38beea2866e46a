import { defineConfig } from 'vitest/config';

// The studio's pure logic (graph conversion, layout, templates, forms, proxy guard); the browser
// flows are Playwright's (e2e/). The root config runs these too once it includes apps/*/src.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
