import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '@weft/chromium';

export default defineConfig({
  testDir: './e2e',
  // Starts the backend (fresh database + Redis prefix) and `next start` of the dashboard against it.
  globalSetup: './e2e/support/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // WEFT_CHROMIUM, the system's Chromium or Playwright's own (packages/chromium).
    launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] },
  },
  projects: [
    { name: 'e2e', testMatch: /.*\.spec\.ts$/ },
    // `pnpm --filter @weft/dashboard screenshots`: the screens of docs/screenshots (not part of npm test).
    { name: 'screenshots', testMatch: /.*\.shots\.ts$/, use: { deviceScaleFactor: 1 } },
  ],
});
