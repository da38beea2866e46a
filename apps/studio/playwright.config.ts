import { defineConfig } from '@playwright/test';

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser downloads do not work here. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export default defineConfig({
  testDir: './e2e',
  // Starts the backend (fresh database + Redis prefix) and `next start` against it; see the file.
  globalSetup: './e2e/support/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: process.env.WEFT_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'e2e', testMatch: /.*\.spec\.ts$/ },
    // `pnpm --filter @weft/studio screenshots`: the screens of docs/screenshots (not part of npm test).
    { name: 'screenshots', testMatch: /.*\.shots\.ts$/, use: { deviceScaleFactor: 1 } },
  ],
});
