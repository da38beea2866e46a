import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WeftClient } from '@weft/sdk';
import { createTestDatabase, createTestRedis } from '@weft/testing';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface GatewayProcess {
  url: string;
  apiKey: string;
  client: WeftClient;
  stop(): Promise<void>;
}

/**
 * The gateway as users run it, in a process of its own (`node --import tsx server.ts`) on a fresh
 * database and Redis prefix. For tests where the gateway could block its event loop: in the test's
 * own process that would also stop the test's timers, so a hang could never fail the test.
 */
export async function startGatewayProcess(): Promise<GatewayProcess> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const port = await freePort();
  const apiKey = `weft_${randomBytes(24).toString('base64url')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/gateway/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: redis.url, WEFT_QUEUE_PREFIX: redis.prefix, WEFT_GATEWAY_PORT: String(port), WEFT_BOOTSTRAP_API_KEY: apiKey, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    // SIGKILL: a process whose event loop is blocked cannot run a SIGTERM handler.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await redis.cleanup();
    await database.drop();
  };
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 45_000; // under the hook timeout, so that the process is always stopped
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the gateway exited (${child.exitCode}) during start`);
      if (Date.now() > until) throw new Error('the gateway did not become ready within 45 s');
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, apiKey, client: new WeftClient({ baseUrl: url, apiKey }), stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
