import type { WeftClient } from '@weft/sdk';
import type { CreateRunBody, CreateWorkflowBody, Run, RunSummary } from '@weft/workflow-schema';
import type { RunWatcher } from './run-watcher';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const ms = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);

/**
 * When the run's last recorded write happened. `finishedAt` alone is not enough: it is now() of
 * the final transaction, i.e. its START, and with pure steps inlined the whole chain runs inside
 * that one transaction; the steps' finishedAt (written as the transaction goes) show its end.
 */
export function lastWriteMs(run: Run): number {
  return Math.max(ms(run.finishedAt), ...run.steps.map((s) => ms(s.finishedAt)).filter(Number.isFinite));
}

/** Creates and publishes a workflow; answers its id. */
export async function publishWorkflow(client: WeftClient, name: string, definition: CreateWorkflowBody['definition']): Promise<string> {
  const wf = await client.createWorkflow({ name, definition });
  await client.publishVersion(wf.id);
  return wf.id;
}

export interface SequentialResult {
  runIds: string[];
  /** Last recorded write (see lastWriteMs) - createdAt, as the API reports them: the primary number. */
  serverMs: number[];
  /** POST /v1/runs sent → the run's terminal event received (with a watcher), or terminal status seen by polling GET /v1/runs/:id. */
  clientMs: number[];
}

/**
 * Runs `warmup + n` runs one after the other; keeps the last n. Throws if a run does not succeed.
 * With a `watcher` each run's end is awaited from its live events (no load on the services while
 * it runs) and the run is read once; without, GET /v1/runs/:id is polled every `pollMs`.
 */
export async function runSequential(
  client: WeftClient,
  workflowId: string,
  opts: { n: number; warmup: number; pollMs: number; inputs: (i: number) => CreateRunBody['inputs']; check: (run: Run, i: number) => void; watcher?: RunWatcher | undefined; after?: (i: number) => Promise<void> },
): Promise<SequentialResult> {
  const out: SequentialResult = { runIds: [], serverMs: [], clientMs: [] };
  const { watcher } = opts;
  for (let i = 0; i < opts.warmup + opts.n; i++) {
    const t0 = performance.now();
    const { runId } = await client.createRun({ workflowId, inputs: opts.inputs(i) });
    let run: Run;
    let clientMs: number;
    if (watcher) {
      const endedAt = await watcher.waitEnd(runId, async () => TERMINAL.has((await client.getRun(runId)).status));
      clientMs = endedAt - t0;
      run = await client.getRun(runId);
    } else {
      run = await client.waitForRun(runId, { intervalMs: opts.pollMs, timeoutMs: 60_000 });
      clientMs = performance.now() - t0;
    }
    if (run.status !== 'succeeded') throw new Error(`run ${runId} ended ${run.status}: ${JSON.stringify(run.error)}`);
    opts.check(run, i);
    await opts.after?.(i);
    if (i < opts.warmup) continue;
    out.runIds.push(runId);
    out.clientMs.push(clientMs);
    out.serverMs.push(lastWriteMs(run) - ms(run.createdAt));
  }
  return out;
}

export interface BurstResult {
  /** Time taken by the n concurrent POST /v1/runs. */
  submitMs: number;
  /** Last write of the last run - first createdAt: the primary number. */
  serverWallMs: number;
  /** First POST sent → every run seen terminal (the run list is polled every 100 ms, lightly, to not load the services). */
  clientWallMs: number;
  /** Last write - createdAt of each run. */
  latencyMs: number[];
}

/** Submits n runs at once and waits until all of them are terminal. Throws if one does not succeed. */
export async function runBurst(
  client: WeftClient,
  workflowId: string,
  opts: { n: number; inputs: (i: number) => CreateRunBody['inputs']; timeoutMs?: number },
): Promise<BurstResult> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.n }, (_, i) => client.createRun({ workflowId, inputs: opts.inputs(i) })));
  const submitMs = performance.now() - t0;
  const until = Date.now() + (opts.timeoutMs ?? 120_000);
  let runs: RunSummary[];
  for (;;) {
    runs = await listAll(client, workflowId);
    if (runs.length >= opts.n && runs.every((r) => TERMINAL.has(r.status))) break;
    if (Date.now() > until) throw new Error(`burst: ${runs.filter((r) => TERMINAL.has(r.status)).length}/${opts.n} runs terminal after timeout`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const clientWallMs = performance.now() - t0;
  const bad = runs.filter((r) => r.status !== 'succeeded');
  if (bad.length) throw new Error(`burst: ${bad.length} runs did not succeed, e.g. ${bad[0]!.id} ${bad[0]!.status}`);
  // Read every run whole (steps included) once all are done, a few at a time, outside the timing.
  const full: Run[] = [];
  for (let i = 0; i < runs.length; i += 16) full.push(...(await Promise.all(runs.slice(i, i + 16).map((r) => client.getRun(r.id)))));
  const created = full.map((r) => ms(r.createdAt));
  const ended = full.map(lastWriteMs);
  return {
    submitMs,
    serverWallMs: Math.max(...ended) - Math.min(...created),
    clientWallMs,
    latencyMs: full.map((_, i) => ended[i]! - created[i]!),
  };
}

async function listAll(client: WeftClient, workflowId: string): Promise<RunSummary[]> {
  const all: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listRuns({ workflowId, limit: 200, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}
