import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@weft/logger';
import type { WorkflowDefinition } from '@weft/workflow-schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/*
 * Cancelling a run whose for_each is running, while its iterations settle (issue 13). Before, an
 * iteration's end locked its own run row and then updated its loop step's row (the item count),
 * while the parent's cancel locked the loop step's row (cancelling the step) and then its
 * children's rows (cancelling them): Postgres found a deadlock and aborted one of the two, and
 * the aborted transition's job was not tried again (attempts 1), so the run waited for the
 * reconciler. The platform runs with the reconciler ten minutes out: only the pipeline itself can
 * end these runs in time.
 */

/** Log records of every part, to find failed transitions in them. */
const records: string[] = [];
let p: Platform;
let gate: Gate;
beforeAll(async () => {
  gate = await startGate();
  const logger = createLogger({ service: 'test', level: 'warn', destination: { write: (line: string) => void records.push(line) } });
  p = await startPlatform({ logger, reconcileAfterMs: 600_000 });
});
afterAll(async () => {
  await p?.stop();
  await gate?.close();
});

interface Gate {
  url: string;
  /** Requests held, not answered yet. */
  held(): number;
  /** Requests per Idempotency-Key. */
  keys: Map<string, number>;
  /** Answers every held request (and every later one at once). */
  open(): void;
  close(): Promise<void>;
}

/** A remote API that holds every request until the test opens it, then echoes the JSON body. */
async function startGate(): Promise<Gate> {
  let opened = false;
  const waiting: { res: ServerResponse; body: string }[] = [];
  const keys = new Map<string, number>();
  const answer = ({ res, body }: { res: ServerResponse; body: string }) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body || '{}');
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      keys.set(key, (keys.get(key) ?? 0) + 1);
      if (opened) answer({ res, body });
      else waiting.push({ res, body });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => waiting.length,
    keys,
    open() {
      opened = true;
      for (const w of waiting.splice(0)) answer(w);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function publish(name: string, definition: WorkflowDefinition) {
  const wf = await p.client.createWorkflow({ name, definition });
  await p.client.publishVersion(wf.id);
  return wf.id;
}

/** A connection of the test's own (a transaction holding locks, or questions about the server's). */
async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: p.databaseUrl });
  await c.connect();
  return c;
}

/** Backends of this database waiting for a lock, but `except`. */
async function lockWaiters(c: pg.Client): Promise<number[]> {
  const { rows } = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
  return rows.map((r) => r.pid);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ENDED = ['succeeded', 'failed', 'cancelled'];

describe('Cancelling a run while its for_each runs', () => {
  it('ends the run cancelled, and every iteration, without a deadlock, when iterations settle while the cancel holds the loop', async () => {
    const ITEMS = 16;
    const CONCURRENCY = 8;
    const workflowId = await publish('cancel-while-settling', {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        {
          id: 'each',
          type: 'for_each',
          config: {
            items: 'input.items',
            concurrency: CONCURRENCY,
            body: {
              nodes: [
                { id: 's', type: 'trigger', config: {} },
                { id: 'call', type: 'http_request', config: { method: 'POST', url: `${gate.url}/hold`, body: { v: '{{ item }}' } } },
                { id: 'double', type: 'transform', config: { expression: 'steps.call.output.body.v * `2`' } },
              ],
              edges: [
                { source: 's', target: 'call' },
                { source: 'call', target: 'double' },
              ],
            },
          },
        },
      ],
      edges: [{ source: 't', target: 'each' }],
    });
    const { runId } = await p.client.createRun({ workflowId, inputs: { items: Array.from({ length: ITEMS }, (_, i) => i) } });
    await until(`the gate holds ${CONCURRENCY} calls`, async () => gate.held() === CONCURRENCY);

    const holder = await connect();
    const observer = await connect();
    try {
      // The test holds the loop's pending iterations: the cancel, once it has cancelled the loop
      // step, waits on them before it reaches the running ones.
      await holder.query('BEGIN');
      const { rows: pending } = await holder.query(`SELECT id FROM runs WHERE parent_run_id = $1 AND status = 'pending' FOR UPDATE`, [runId]);
      expect(pending).toHaveLength(ITEMS - CONCURRENCY);
      await p.client.cancelRun(runId);
      await until('the cancel waits on the pending iterations', async () => (await lockWaiters(observer)).length >= 1);

      // The running iterations settle now, all together, while the cancel holds the loop step.
      gate.open();
      // Before the fix their ends wait on the loop step's row (a second waiter); after it, they end.
      await until('the iterations settled', async () => {
        if ((await lockWaiters(observer)).length >= 2) return true;
        const { rows } = await observer.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE parent_run_id = $1 AND status = 'succeeded'`, [runId]);
        return rows[0]!.n === CONCURRENCY;
      });
      // The cancel goes on to the running iterations, while they settle.
      await holder.query('COMMIT');
    } finally {
      await holder.end();
      await observer.end();
    }

    const run = await p.client.waitForRun(runId, { timeoutMs: 60_000 });
    expect(run.status).toBe('cancelled');
    const c = await connect();
    try {
      const { rows: iterations } = await c.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM runs WHERE parent_run_id = $1 GROUP BY status ORDER BY status`,
        [runId],
      );
      await until('every iteration ended', async () => {
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE parent_run_id = $1 AND status <> ALL($2::text[])`, [runId, ENDED]);
        return rows[0]!.n === 0;
      }, 60_000);
      expect(iterations.reduce((n, r) => n + r.n, 0)).toBe(ITEMS);
    } finally {
      await c.end();
    }
    // Each started item was called once; the pending ones never.
    expect([...gate.keys.values()].filter((n) => n !== 1)).toEqual([]);
    expect(gate.keys.size).toBe(CONCURRENCY);
    expect(records.filter((r) => r.includes('deadlock detected'))).toEqual([]);
  }, 120_000);

  it('tries a failed transition again without waiting for the reconciler: a cancel whose transaction lost its connection still ends the run', async () => {
    const workflowId = await publish('cancel-retried', {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        { id: 'ok', type: 'wait_for_approval', config: { prompt: 'go?' } },
        { id: 'after', type: 'transform', config: { expression: '`1`' } },
      ],
      edges: [
        { source: 't', target: 'ok' },
        { source: 'ok', target: 'after', sourceHandle: 'approved' },
      ],
    });
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    await until('the approval waits', async () => (await p.client.getRun(runId)).status === 'waiting');

    const holder = await connect();
    const observer = await connect();
    const before = records.length;
    try {
      // The test holds the waiting step's row: the cancel's transition waits on it (it cancels the step)...
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM run_steps WHERE run_id = $1 AND node_id = 'ok' FOR UPDATE`, [runId]);
      await p.client.cancelRun(runId);
      let waiters: number[] = [];
      await until('the cancel waits on the step', async () => (waiters = await lockWaiters(observer)).length === 1);
      // ...and loses its connection there (a failover, a killed backend): the transition fails.
      await observer.query('SELECT pg_terminate_backend($1)', [waiters[0]]);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
      await observer.end();
    }

    const run = await p.client.waitForRun(runId, { timeoutMs: 60_000 });
    expect(run.status).toBe('cancelled');
    // It did fail once: the run ended because the job was tried again.
    expect(records.slice(before).some((r) => r.includes('run transition failed'))).toBe(true);
  }, 120_000);
});
