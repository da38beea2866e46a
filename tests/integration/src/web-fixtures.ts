import { test as base, expect } from '@playwright/test';
import { WeftClient } from '@weft/sdk';

/** What every browser test of a web app gets (the app's URL is in the environment variable `urlEnv`). */
export interface WebAppFixtures {
  /** A client of the test backend, with the bootstrap key of org "default" (to arrange and check). */
  api: WeftClient;
  /** Start signed in (default) or signed out. */
  signedIn: boolean;
}

/**
 * Playwright's `test` for a web app under test: its base URL; every page signed in as the owner
 * of org "default" (the org `api` acts in), except in tests that say `test.use({ signedIn: false })`;
 * and every page under the app's Content Security Policy (any violation fails the test).
 */
export function webAppTest(urlEnv: string) {
  return base.extend<WebAppFixtures>({
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from the destructuring
    baseURL: async ({}, use) => use(process.env[urlEnv]),
    signedIn: [true, { option: true }],
    context: async ({ context, signedIn }, use) => {
      if (signedIn) await context.addCookies([{ name: 'weft_session', value: process.env.WEFT_E2E_SESSION!, url: process.env[urlEnv]!, httpOnly: true, sameSite: 'Lax' }]);
      await use(context);
    },
    page: async ({ page }, use) => {
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      // A script text: it runs in the page, whose DOM types this package does not compile against.
      await page.addInitScript({
        content: "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
      });
      await use(page);
      expect(violations, 'Content Security Policy violations').toEqual([]);
    },
    // eslint-disable-next-line no-empty-pattern -- as above
    api: async ({}, use) => use(new WeftClient({ baseUrl: process.env.WEFT_API_URL!, apiKey: process.env.WEFT_API_KEY! })),
  });
}
export { expect };
