import type { WeftClient } from '@weft/sdk';
import pg from 'pg';
import { sleep } from './infra';

/** Creates and publishes a workflow; returns its id. */
export async function publish(client: WeftClient, name: string, definition: unknown): Promise<string> {
  const wf = await client.createWorkflow({ name, definition } as Parameters<WeftClient['createWorkflow']>[0]);
  await client.publishVersion(wf.id);
  return wf.id;
}

/**
 * trigger → `call` (POST to the apply server, retried on timeouts) → `out` (the answer's key).
 * The call's Idempotency-Key is Weft's own: `weft-<runId>-call`.
 */
export function applyWorkflow(applyUrl: string, o: { delayMs: number; timeoutMs: number; maxAttempts: number; path?: string; retryDelayMs?: number; failFirst?: boolean }) {
  const retryDelayMs = o.retryDelayMs ?? 100;
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {} },
      {
        id: 'call',
        type: 'http_request',
        config: {
          method: 'POST',
          url: `${applyUrl}${o.path ?? '/apply'}?delayMs=${o.delayMs}${o.failFirst ? '&failFirst=1' : ''}`,
          body: { n: '{{ input.n }}' },
          timeoutMs: o.timeoutMs,
          retry: { maxAttempts: o.maxAttempts, backoff: 'fixed', initialDelayMs: retryDelayMs, maxDelayMs: retryDelayMs },
        },
      },
      { id: 'out', type: 'transform', config: { expression: '{ n: input.n, applicationId: steps.call.output.body.applicationId }' } },
    ],
    edges: [
      { source: 'trigger', target: 'call' },
      { source: 'call', target: 'out' },
    ],
    settings: { output: 'steps.out.output' },
  };
}

/** Statuses the load generator saw from POST /v1/runs, with one example body per status. */
export interface StartStats {
  statuses: Map<number | string, number>;
  examples: Map<number | string, { contentType: string | null; body: string }>;
}

/**
 * Starts `count` runs, `concurrency` requests at a time, each with its own Idempotency-Key, and
 * retries a request that failed (503, connection refused) with the SAME key until it is accepted:
 * what a careful client does. Resolves with the run ids in input order.
 */
export async function startRuns(
  c: { url: string; apiKey: string },
  workflowId: string,
  count: number,
  o: { concurrency?: number; keyPrefix?: string; stats?: StartStats; retryForMs?: number; from?: number } = {},
): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const from = o.from ?? 0;
  const keyPrefix = o.keyPrefix ?? `k${Date.now()}`;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      ids[i] = await createRunWithRetry(c, workflowId, from + i, `${keyPrefix}-${from + i}`, o.stats, o.retryForMs ?? 60_000);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 16 }, worker));
  return ids;
}

async function createRunWithRetry(c: { url: string; apiKey: string }, workflowId: string, n: number, key: string, stats: StartStats | undefined, retryForMs: number): Promise<string> {
  const until = Date.now() + retryForMs;
  for (;;) {
    let status: number | string;
    try {
      const res = await fetch(`${c.url}/v1/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.apiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ workflowId, inputs: { n } }),
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      const body = await res.text();
      record(stats, status, res.headers.get('content-type'), body);
      if (res.status === 202 || res.status === 200) return (JSON.parse(body) as { runId: string }).runId;
    } catch (err) {
      status = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      record(stats, status, null, (err as Error).message);
    }
    if (Date.now() > until) throw new Error(`run ${n} not accepted within ${retryForMs} ms (last: ${status})`);
    await sleep(200);
  }
}

function record(stats: StartStats | undefined, status: number | string, contentType: string | null, body: string) {
  if (!stats) return;
  stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
  if (!stats.examples.has(status)) stats.examples.set(status, { contentType, body: body.slice(0, 500) });
}

export const newStats = (): StartStats => ({ statuses: new Map(), examples: new Map() });

export interface RunRow {
  id: string;
  status: string;
  output: unknown;
  error: unknown;
}

/** Polls Postgres until every run ended (or `timeoutMs`); returns their rows. */
export async function waitForRuns(pool: pg.Pool, runIds: string[], timeoutMs: number, onTick?: () => void): Promise<RunRow[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<RunRow>(`SELECT id, status, output, error FROM runs WHERE id = ANY($1::uuid[])`, [runIds]);
    const open = rows.filter((r) => !['succeeded', 'failed', 'cancelled'].includes(r.status));
    if (open.length === 0 && rows.length === runIds.length) {
      const byId = new Map(rows.map((r) => [r.id, r]));
      return runIds.map((id) => byId.get(id)!);
    }
    if (Date.now() > until) {
      const counts = Object.entries(rows.reduce<Record<string, number>>((a, r) => ((a[r.status] = (a[r.status] ?? 0) + 1), a), {}));
      throw new Error(`runs not finished after ${timeoutMs} ms: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}; missing ${runIds.length - rows.length}; e.g. ${open.slice(0, 3).map((r) => r.id).join(', ')}`);
    }
    onTick?.();
    await sleep(250);
  }
}

/** Counts rows of a status per run set (for progress-based fault timing). */
export async function countFinished(pool: pg.Pool, runIds: string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) AND status IN ('succeeded', 'failed', 'cancelled')`, [runIds]);
  return rows[0]!.n;
}
