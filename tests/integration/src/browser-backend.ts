// The whole Weft backend in one process for the browser tests (run by web-app-under-test.ts): a fresh database, a private Redis
// prefix, gateway + orchestrator + executor, and a local HTTP server standing in for the internet.
// Prints one JSON line `{ url, apiKey, echoUrl, databaseUrl }` when ready; stops cleanly on SIGTERM/SIGINT.
// (databaseUrl: for tests that arrange rows no API makes, such as a run with thousands of steps.)
import { startPlatform } from './platform';
import { startEchoServer } from '@weft/testing';

async function main() {
  const platform = await startPlatform();
  const echo = await startEchoServer();
  process.stdout.write(`${JSON.stringify({ url: platform.url, apiKey: platform.apiKey, echoUrl: echo.url, databaseUrl: platform.databaseUrl })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await echo.close().catch(() => undefined);
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
