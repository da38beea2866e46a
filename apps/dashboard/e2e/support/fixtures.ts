import { test as base, expect } from '@playwright/test';
import { WeftClient } from '@weft/sdk';
import { seedRuns, type Seeded } from './seed';

interface Fixtures {
  /** A client of the test backend (to arrange runs and check what the dashboard did). */
  api: WeftClient;
  /** Runs of every status, made through the API for this test (its own workflows). */
  seeded: Seeded;
  /** Start signed in (default) or signed out. */
  signedIn: boolean;
}

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => use(process.env.DASHBOARD_URL),
  // Every page starts signed in as the owner of org "default" (the org `api` acts in), except in
  // tests that say `test.use({ signedIn: false })` (the sign-in tests). The dashboard holds no API key.
  signedIn: [true, { option: true }],
  context: async ({ context, signedIn }, use) => {
    if (signedIn) await context.addCookies([{ name: 'weft_session', value: process.env.WEFT_E2E_SESSION!, url: process.env.DASHBOARD_URL!, httpOnly: true, sameSite: 'Lax' }]);
    await use(context);
  },
  // Every page runs under the dashboard's Content Security Policy: any violation fails the test.
  page: async ({ page }, use) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`)),
    );
    await use(page);
    expect(violations, 'Content Security Policy violations').toEqual([]);
  },
  api: async ({}, use) => use(new WeftClient({ baseUrl: process.env.WEFT_API_URL!, apiKey: process.env.WEFT_API_KEY! })),
  seeded: async ({ api }, use, info) => use(await seedRuns(api, process.env.ECHO_URL!, info.testId.slice(0, 6))),
});
export { expect };
