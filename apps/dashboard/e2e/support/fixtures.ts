import { expect, webAppTest } from '@weft/integration-tests/web-fixtures';
import { seedRuns, type Seeded } from './seed';

/** The dashboard's browser tests: signed in, under its CSP (the shared fixtures), with seeded runs. */
export const test = webAppTest('DASHBOARD_URL').extend<{ seeded: Seeded }>({
  /** Runs of every status, made through the API for this test (its own workflows). */
  seeded: async ({ api }, use, info) => use(await seedRuns(api, process.env.ECHO_URL!, info.testId.slice(0, 6))),
});
export { expect };
