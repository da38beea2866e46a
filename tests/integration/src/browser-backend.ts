// The whole Weft backend in one process for the browser tests of the studio and the dashboard (run by web-app-under-test.ts): a fresh database, a private Redis
// prefix, gateway + orchestrator + executor + webhooks service, and a local HTTP server standing in for the internet.
// Prints one JSON line `{ url, apiKey, echoUrl, databaseUrl, sessionCookie }` when ready; stops cleanly on SIGTERM/SIGINT.
// (databaseUrl: for tests that arrange rows no API makes, such as a run with thousands of steps;
// sessionCookie: a signed-in owner of org "default", the org `apiKey` acts in, for the tests that are not about signing in.)
// WEFT_E2E_APP_URL: the web app under test, where sign-in links and redirects land.
import { startEchoServer } from '@weft/testing';
import { E2E_OAUTH_APPS, startOAuthFakes } from './oauth-fakes';
import { startPlatform } from './platform';
import { signInByMagicLink } from './session-http';
import { freePort, startWebhooksService } from './webhooks-service';

const E2E_OWNER = 'e2e-owner@example.com';

async function main() {
  const many = { capacity: 100_000, windowMs: 3_600_000 };
  // The webhooks service too (its URL is known before the gateway starts: hooks' `url`, test events).
  const webhooksPort = await freePort();
  // Google's and Slack's OAuth endpoints, as local doubles: connections connect through them.
  const oauth = await startOAuthFakes(E2E_OAUTH_APPS);
  const platform = await startPlatform({
    oauth: { endpoints: oauth.endpoints },
    auth: { appUrl: process.env.WEFT_E2E_APP_URL!, devMailboxPage: true, limits: { magicLinkPerIp: many, magicLinkPerEmail: many } },
    webhooksUrl: `http://127.0.0.1:${webhooksPort}`,
  });
  const webhooks = await startWebhooksService(platform, {}, webhooksPort);
  const echo = await startEchoServer();
  // The shared signed-in user: invited into org "default" as owner, so it sees what `apiKey` makes.
  await fetch(`${platform.url}/v1/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: E2E_OWNER, role: 'owner' }),
  });
  const session = await signInByMagicLink(platform.url, platform.db.pool, E2E_OWNER);
  const info = { url: platform.url, apiKey: platform.apiKey, echoUrl: echo.url, databaseUrl: platform.databaseUrl, sessionCookie: session.cookie.split('=')[1] };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await echo.close().catch(() => undefined);
    await oauth.close().catch(() => undefined);
    await webhooks.stop().catch(() => undefined);
    await platform.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The parent's death closes stdin: stop then too, so nothing outlives the test run.
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write(`backend failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
