import { newId } from '@weft/db';
import { createLogger } from '@weft/logger';
import { RunBus, type LiveEvent } from '@weft/run-store';
import { WeftClient } from '@weft/sdk';
import type { LiveMessage } from '@weft/workflow-schema';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startPlatform, type Platform } from './platform';

// The gateway alone: the test plays orchestrator and executor, committing run_events rows and
// publishing them through RunBus exactly as they do (commit first, then publish).
let p: Platform;
let publisher: Redis;
let bus: RunBus;
let workflowId: string;
const HEARTBEAT_MS = 400;
/** Every log line of the platform, at the most verbose level, to prove no key leaks into them. */
const logLines: string[] = [];

beforeAll(async () => {
  const logger = createLogger({ service: 'test', level: 'trace', destination: { write: (line: string) => void logLines.push(line) } });
  p = await startPlatform({ workers: false, live: { heartbeatMs: HEARTBEAT_MS }, logger });
  publisher = new Redis(p.redisUrl);
  bus = new RunBus(publisher, p.prefix);
  const wf = await p.client.createWorkflow({
    name: 'live',
    definition: { nodes: [{ id: 't', type: 'trigger' }, { id: 'x', type: 'transform', config: { expression: 'input' } }], edges: [{ source: 't', target: 'x' }] },
  });
  await p.client.publishVersion(wf.id);
  workflowId = wf.id;
});
afterAll(async () => {
  publisher?.disconnect();
  await p?.stop();
});

const newRun = async () => (await p.client.createRun({ workflowId })).runId; // last_seq 1: run.created

interface NewEvent {
  type: string;
  nodeId?: string;
  stepId?: string;
  /** Ephemeral: published only, never stored. */
  ephemeral?: boolean;
}

/** Commits the durable events (next seqs, moving runs.last_seq and optionally the status) and returns them all as published. */
async function commit(runId: string, events: NewEvent[], status?: string): Promise<LiveEvent[]> {
  const durable = events.filter((e) => !e.ephemeral);
  const { rows } = await p.db.pool.query<{ last_seq: number }>(
    'UPDATE runs SET last_seq = last_seq + $2, status = coalesce($3, status) WHERE id = $1 RETURNING last_seq',
    [runId, durable.length, status ?? null],
  );
  let seq = rows[0]!.last_seq - durable.length;
  const out: LiveEvent[] = [];
  for (const e of events) {
    const live: LiveEvent = { seq: e.ephemeral ? null : ++seq, type: e.type, nodeId: e.nodeId ?? null, stepId: e.stepId ?? null, data: { n: seq }, createdAt: new Date().toISOString() };
    if (!e.ephemeral) {
      const created = await p.db.pool.query<{ created_at: Date }>(
        `INSERT INTO run_events (id, org_id, run_id, seq, type, node_id, step_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING created_at`,
        [newId(), p.orgId, runId, live.seq, live.type, live.nodeId, live.stepId, JSON.stringify(live.data)],
      );
      live.createdAt = created.rows[0]!.created_at.toISOString();
    }
    out.push(live);
  }
  return out;
}

const publish = (runId: string, events: LiveEvent[]) => bus.publishRunEvents(runId, events);

interface Watcher {
  messages: LiveMessage[];
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the HTTP answer when the server refused the upgrade. */
  refused: Promise<{ status: number; body: { status: number; detail: string } }>;
  next(count: number): Promise<LiveMessage[]>;
  close(): void;
}

/** A raw WebSocket client (ws), authenticated by header, by ?access_token= or not at all. */
function watch(runId: string, auth: { header?: string; query?: string } = { header: p.apiKey }): Watcher {
  const url = `${p.url.replace(/^http/, 'ws')}/v1/runs/${runId}/live${auth.query ? `?access_token=${encodeURIComponent(auth.query)}` : ''}`;
  const ws = new WebSocket(url, auth.header ? { headers: { authorization: `Bearer ${auth.header}` } } : {});
  const messages: LiveMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as LiveMessage));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const refused = new Promise<{ status: number; body: { status: number; detail: string } }>((resolve) =>
    ws.on('unexpected-response', (req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += String(c)));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        req.destroy();
      });
    }),
  );
  return {
    messages,
    closed,
    refused,
    next: (count) => eventually(() => (messages.length >= count ? messages.slice(0, count) : undefined), `${count} messages (got ${messages.length})`),
    close: () => ws.close(),
  };
}

async function eventually<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const events = (messages: LiveMessage[]) => messages.flatMap((m) => (m.type === 'event' ? [m.event] : []));

describe('Watching a run live over the WebSocket', () => {
  it('sends the snapshot first, then published events in seq order, and closes with 1000 after the terminal event', async () => {
    const runId = await newRun();
    const stepId = newId();
    const w = watch(runId);
    const [snapshot] = await w.next(1);
    // The run as GET /v1/runs/:id answers it, but for its cost (priced on GET only: docs/operating/usage.md).
    const { cost: _cost, ...run } = await p.client.getRun(runId);
    expect(snapshot).toEqual({ type: 'snapshot', run: { ...run, lastSeq: 1 } });

    const first = await commit(runId, [{ type: 'run.started' }, { type: 'step.dispatched', nodeId: 'x', stepId }], 'running');
    await publish(runId, first);
    await publish(runId, await commit(runId, [{ type: 'step.started', nodeId: 'x', stepId, ephemeral: true }]));
    await publish(runId, await commit(runId, [{ type: 'step.succeeded', nodeId: 'x', stepId }, { type: 'run.succeeded' }], 'succeeded'));

    expect(await w.closed).toEqual({ code: 1000, reason: 'run.succeeded' });
    expect(events(w.messages).map((e) => [e.seq, e.type])).toEqual([
      [2, 'run.started'],
      [3, 'step.dispatched'],
      [null, 'step.started'],
      [4, 'step.succeeded'],
      [5, 'run.succeeded'],
    ]);
    // Same shape as the /events items.
    const history = await p.client.allRunEvents(runId);
    expect(events(w.messages).filter((e) => e.seq !== null)).toEqual(history.slice(1));
  });

  it('a client that connects late misses nothing: what happened before is in the snapshot, the rest follows', async () => {
    const runId = await newRun();
    const stepId = newId();
    // Published while nobody listened: only Postgres remembers.
    await publish(runId, await commit(runId, [{ type: 'run.started' }, { type: 'step.dispatched', nodeId: 'x', stepId }], 'running'));
    await p.db.pool.query(`INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status) VALUES ($1, $2, $3, 'x', 'transform', 1, 'queued')`, [stepId, p.orgId, runId]);

    const w = watch(runId);
    const [snapshot] = await w.next(1);
    expect(snapshot).toMatchObject({ type: 'snapshot', run: { status: 'running', lastSeq: 3, steps: [{ id: stepId, status: 'queued' }] } });
    await publish(runId, await commit(runId, [{ type: 'step.succeeded', nodeId: 'x', stepId }, { type: 'run.succeeded' }], 'succeeded'));
    await w.closed;
    expect(events(w.messages).map((e) => e.seq)).toEqual([4, 5]);
  });

  it('fills a gap from run_events when pub/sub lost messages, and ignores late duplicates', async () => {
    const runId = await newRun();
    const w = watch(runId);
    await w.next(1);
    const lost = await commit(runId, [{ type: 'run.started' }, { type: 'step.dispatched', nodeId: 'x' }], 'running');
    const arrives = await commit(runId, [{ type: 'step.dispatched', nodeId: 'x' }]);
    await publish(runId, arrives); // seq 4 before 2 and 3 ever came
    await w.next(4);
    await publish(runId, lost); // late copies
    await publish(runId, await commit(runId, [{ type: 'run.failed' }], 'failed'));
    expect((await w.closed).code).toBe(1000);
    expect(events(w.messages).map((e) => e.seq)).toEqual([2, 3, 4, 5]);
    expect(events(w.messages)[0]).toEqual(lost[0]);
  });

  it('recovers a lost terminal event at the next heartbeat', async () => {
    const runId = await newRun();
    const w = watch(runId);
    await w.next(1);
    const started = Date.now();
    await commit(runId, [{ type: 'run.started' }, { type: 'run.cancelled' }], 'cancelled'); // never published
    expect(await w.closed).toEqual({ code: 1000, reason: 'run.cancelled' });
    expect(Date.now() - started).toBeLessThan(HEARTBEAT_MS * 3);
    expect(events(w.messages).map((e) => e.type)).toEqual(['run.started', 'run.cancelled']);
  });

  it('closes with 1000 right after the snapshot when the run already ended', async () => {
    const runId = await newRun();
    await commit(runId, [{ type: 'run.started' }, { type: 'run.succeeded' }], 'succeeded');
    const w = watch(runId);
    expect(await w.closed).toEqual({ code: 1000, reason: 'run succeeded' });
    expect(w.messages).toEqual([{ type: 'snapshot', run: expect.objectContaining({ id: runId, status: 'succeeded', lastSeq: 3 }) }]);
  });

  it('answers 404 before the upgrade for an unknown run and for a run of another org', async () => {
    const unknown = watch(newId());
    expect(await unknown.refused).toMatchObject({ status: 404, body: { status: 404 } });
    const runId = await newRun();
    const other = await p.newOrgClient();
    const otherKey = (other as unknown as { opts: { apiKey: string } }).opts.apiKey;
    const foreign = watch(runId, { query: otherKey });
    expect(await foreign.refused).toMatchObject({ status: 404, body: { detail: `run ${runId} was not found` } });
  });

  it('accepts the key as ?access_token= on this route only, and refuses a bad one with 401', async () => {
    const runId = await newRun();
    const byQuery = watch(runId, { query: p.apiKey });
    expect((await byQuery.next(1))[0]!.type).toBe('snapshot');
    byQuery.close();
    expect((await watch(runId, { query: 'weft_nope' }).refused).status).toBe(401);
    expect((await watch(runId, {}).refused).status).toBe(401);
    const rest = await fetch(`${p.url}/v1/runs/${runId}?access_token=${p.apiKey}`);
    expect(rest.status).toBe(401);
    expect(await rest.text()).not.toContain(p.apiKey);
    const notFound = await fetch(`${p.url}/v1/runs/${runId}/nothing?access_token=${p.apiKey}`, { headers: { authorization: `Bearer ${p.apiKey}` } });
    expect(await notFound.text()).not.toContain(p.apiKey);
    expect(logLines.join('\n')).not.toContain(p.apiKey);
  });

  it('answers 426 to a plain GET without upgrade', async () => {
    const r = await fetch(`${p.url}/v1/runs/${await newRun()}/live`, { headers: { authorization: `Bearer ${p.apiKey}` } });
    expect(r.status).toBe(426);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps other viewers of the run listening when one leaves, even one arriving as the last leaves', async () => {
    const runId = await newRun();
    const a = watch(runId);
    const b = watch(runId);
    await Promise.all([a.next(1), b.next(1)]);
    a.close();
    await a.closed;
    await publish(runId, await commit(runId, [{ type: 'run.started' }], 'running'));
    await b.next(2);
    b.close();
    const c = watch(runId); // subscribes while b's unsubscribe may still be in flight
    await b.closed;
    await c.next(1);
    await publish(runId, await commit(runId, [{ type: 'run.succeeded' }], 'succeeded'));
    expect((await c.closed).code).toBe(1000);
    expect(events(c.messages).map((e) => e.seq)).toEqual([3]);
  });

  it('the SDK watches a run with liveRun until it ends', async () => {
    const runId = await newRun();
    const client = new WeftClient({ baseUrl: p.url, apiKey: p.apiKey, WebSocket });
    const got: LiveMessage[] = [];
    const live = client.liveRun(runId, (m) => got.push(m));
    await eventually(() => (got.length ? true : undefined), 'the snapshot');
    await publish(runId, await commit(runId, [{ type: 'run.started' }, { type: 'run.failed' }], 'failed'));
    expect(await live.closed).toEqual({ code: 1000, reason: 'run.failed' });
    expect(got.map((m) => (m.type === 'snapshot' ? 'snapshot' : m.event.type))).toEqual(['snapshot', 'run.started', 'run.failed']);
  });
});
