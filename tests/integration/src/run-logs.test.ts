import { randomBytes } from 'node:crypto';
import { RunBus, type LiveEvent } from '@weft/run-store';
import { createRedis } from '@weft/queue';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { WeftApiError, type WeftClient } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

interface LogLine {
  ts: string;
  level: string;
  msg: string;
  stepId?: string | null;
  nodeId?: string | null;
}
interface LogPage {
  items: LogLine[];
  nextCursor: string | null;
}

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform(), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

/** Every log line of a run, read page by page. */
async function allLogs(client: WeftClient, runId: string, limit = 50): Promise<{ lines: LogLine[]; pages: number }> {
  const lines: LogLine[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: LogPage = await client.call<LogPage>('GET', `/v1/runs/${runId}/logs?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    lines.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { lines, pages };
}

describe('Run logs', () => {
  it('keeps what each step said: ctx.log lines capped with a marker, HTTP status and timing, a retry with its reason and backoff, secrets masked', async () => {
    const token = `tok_${randomBytes(12).toString('hex')}`;
    const secretName = `LOG_TOKEN_${randomBytes(3).toString('hex').toUpperCase()}`;
    await p.client.createSecret({ name: secretName, value: token });
    const wf = await p.client.createWorkflow({
      name: 'logs',
      definition: {
        nodes: [
          { id: 't', type: 'trigger', config: {} },
          { id: 'sum', type: 'function', config: { name: 'chunk_sum', args: { values: '{{ input.values }}', chunkSize: 1 } } },
          {
            id: 'call',
            type: 'http_request',
            config: { method: 'GET', url: `${echo.url}/flaky/1/{{ secrets.${secretName} }}`, retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 150, maxDelayMs: 150 } },
          },
        ],
        edges: [{ source: 't', target: 'sum' }, { source: 'sum', target: 'call' }],
      },
    });
    await p.client.publishVersion(wf.id);
    const sub = createRedis(p.redisUrl, 'client');
    const live: LiveEvent[] = [];
    const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { values: Array.from({ length: 250 }, (_, i) => i) } });
    const stop = await RunBus.subscribeRun(sub, p.prefix, runId, (e) => live.push(...e));
    const run = await p.client.waitForRun(runId);
    await stop();
    sub.disconnect();
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))).toBe('succeeded');
    expect(run.steps.filter((s) => s.nodeId === 'call').map((s) => s.status)).toEqual(['failed', 'succeeded']);

    const { lines, pages } = await allLogs(p.client, runId);
    expect(pages).toBeGreaterThan(4);
    expect(JSON.stringify(lines)).not.toContain(token);

    const sum = lines.filter((l) => l.nodeId === 'sum');
    expect(sum).toHaveLength(201);
    expect(sum[0]!.msg).toBe('added 1 of 250 values: running total 0');
    expect(sum[199]!.msg).toBe('added 200 of 250 values: running total 19900');
    expect(sum[200]).toMatchObject({ level: 'warn', msg: expect.stringContaining('log truncated: 50 more line(s) not kept') });

    const call = lines.filter((l) => l.nodeId === 'call').map((l) => `${l.level} ${l.msg}`);
    const failedStep = run.steps.find((s) => s.nodeId === 'call' && s.status === 'failed')!;
    expect(lines.filter((l) => l.stepId === failedStep.id).map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(call[0]).toMatch(new RegExp(`^warn GET ${echo.url}/flaky/1/\\[secret\\] → HTTP 503 in \\d+ ms$`));
    expect(call[1]).toBe(`warn attempt 1 failed (http_error): HTTP 503 from ${new URL(echo.url).host}; retrying (attempt 2 of 2, fixed backoff)`);
    expect(call[2]).toMatch(/^info attempt 2 started after a retry backoff of \d+ ms$/);
    expect(call[3]).toMatch(new RegExp(`^info GET ${echo.url}/flaky/1/\\[secret\\] → HTTP 200 in \\d+ ms$`));

    // The snapshot carries them too, and the live view got them as they were said.
    const snapshot = await p.client.getRun(runId);
    expect(snapshot.logs.length).toBe(lines.length);
    const liveLines = live.filter((e) => e.type === 'step.log').map((e) => (e.data as { msg: string }).msg);
    expect(liveLines).toContain('added 1 of 250 values: running total 0');
    expect(liveLines.join('\n')).not.toContain(token);
  });

  it('pages with a cursor, and answers 404 for a run of another org', async () => {
    const wf = await p.client.createWorkflow({
      name: 'logs paging',
      definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'sum', type: 'function', config: { name: 'chunk_sum', args: { values: '{{ input.values }}', chunkSize: 1 } } }], edges: [{ source: 't', target: 'sum' }] },
    });
    await p.client.publishVersion(wf.id);
    const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { values: [1, 2, 3, 4, 5] } });
    await p.client.waitForRun(runId);
    const first = await p.client.call<LogPage>('GET', `/v1/runs/${runId}/logs?limit=2`);
    expect(first.items.map((l) => l.msg)).toEqual(['added 1 of 5 values: running total 1', 'added 2 of 5 values: running total 3']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const { lines } = await allLogs(p.client, runId, 2);
    expect(lines.map((l) => l.msg.split(':')[0])).toEqual([1, 2, 3, 4, 5].map((n) => `added ${n} of 5 values`));

    const other = await p.newOrgClient();
    const refused = await other.call('GET', `/v1/runs/${runId}/logs`).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(WeftApiError);
    expect((refused as WeftApiError).status).toBe(404);
    const bad = await p.client.call('GET', `/v1/runs/not-a-uuid/logs`).then(() => undefined, (e: unknown) => e);
    expect((bad as WeftApiError).status).toBe(400);
  });
});
