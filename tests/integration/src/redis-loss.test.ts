import { startEchoServer, type EchoServer } from '@weft/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform({ executorConcurrency: 4, reconcileAfterMs: 1000 }), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

/** Deletes every key of this platform's prefix: FLUSHALL as far as this platform can tell (other test files share the server). */
async function flushPrefix() {
  const redis = new Redis(p.redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${p.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

describe('Losing Redis loses no run', () => {
  it('completes every run after all queued and running work is wiped from Redis mid-flight', async () => {
    const wf = await p.client.createWorkflow({
      name: 'redis-loss',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'a', type: 'http_request', config: { url: `${echo.url}/delay/100?run={{ input.n }}&step=a` } },
          { id: 'b', type: 'http_request', config: { url: `${echo.url}/delay/100?run={{ input.n }}&step=b` } },
          { id: 'out', type: 'transform', config: { expression: 'input.n' } },
        ],
        edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'out' }],
        settings: { output: 'steps.out.output' },
      },
    });
    await p.client.publishVersion(wf.id);
    const runIds = await Promise.all(Array.from({ length: 40 }, (_, n) => p.client.createRun({ workflowId: wf.id, inputs: { n } }).then((r) => r.runId)));
    await new Promise((r) => setTimeout(r, 300));
    await flushPrefix();
    const runs = await Promise.all(runIds.map((id) => p.client.waitForRun(id, { timeoutMs: 110_000, intervalMs: 200 })));
    runs.forEach((r, n) => {
      expect(r.status).toBe('succeeded');
      expect(r.output).toBe(n);
    });
  }, 120_000); // recovery waits for the reconciler; a loaded 2-core machine makes that slow
});
