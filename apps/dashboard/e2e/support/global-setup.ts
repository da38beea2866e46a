import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebAppUnderTest } from '@weft/integration-tests/web-app-under-test';

/**
 * Starts what the browser tests talk to: the whole backend in one process (fresh database, own
 * Redis prefix, a local stand-in for the internet) and the built dashboard (`next start`) proxying
 * to it. The tests read the addresses from the environment; the returned function stops both.
 */
export default async function globalSetup() {
  // The run page links traces there (e2e/trace.spec.ts); the dashboard server inherits this environment.
  process.env.WEFT_TRACE_URL_TEMPLATE ??= 'http://traces.example.test/trace/{traceId}';
  const app = await startWebAppUnderTest({ appDir: join(dirname(fileURLToPath(import.meta.url)), '../..'), readyPath: '/api/weft/v1/auth/providers' });
  Object.assign(process.env, { DASHBOARD_URL: app.url, ...app.env });
  return app.stop;
}
