import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JOBS, jobFor } from '@weft/queue';
import { keyPatterns, startEchoServer, type EchoServer } from '@weft/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api-http';
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
  for (const match of keyPatterns(p.prefix)) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  }
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

describe('Losing Redis loses no alert', () => {
  it('delivers an alert whose job was wiped from Redis between its enqueue and its delivery', async () => {
    const received: string[] = [];
    const hook: Server = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      req.resume().on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const wf = await p.client.createWorkflow({ name: 'alerting', definition: { nodes: [{ id: 't', type: 'trigger', config: {} }], edges: [] } });
      const rule = await p.client.createAlert(wf.id, {
        name: 'lost in redis',
        condition: { type: 'failure' },
        channel: { type: 'webhook', url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts` },
      });
      // No worker takes the job before the flush.
      await p.stopWorkers();
      const sent = await apiCall(p, 'POST', `/v1/alerts/${rule.id}/test`);
      expect(sent.status).toBe(202);
      const deliveryId = sent.body.deliveryId as string;
      const alerts = p.queues.queue(JOBS['deliver-alert'].queue);
      expect(await alerts.getJobState(jobFor.deliverAlert(deliveryId).jobId)).toBe('waiting');
      await flushPrefix();
      expect(await alerts.getJobState(jobFor.deliverAlert(deliveryId).jobId)).toBe('unknown');
      await p.startWorkers();
      // The reconciler finds the pending row without a job and publishes it again: delivered once.
      for (;;) {
        const page = await apiCall(p, 'GET', `/v1/alerts/${rule.id}/deliveries`);
        const d = (page.body.items as { id: string; status: string }[]).find((x) => x.id === deliveryId);
        if (d?.status === 'delivered') break;
        expect(d?.status).toBe('pending');
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(received).toEqual([`msg_${deliveryId}`]);
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  }, 120_000);
});
