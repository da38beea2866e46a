import type { Hop, Mark } from './hop-table';

/** The hops of a run's start, in order; the last is the total. */
const HOPS = [
  'gateway: Fastify hooks (authentication, rate limit), body parse and validation (received → handler)',
  'gateway: quota and version (cached), the create-run statement (handler → run committed)',
  'gateway: add start job (run committed → add answered)',
  'start job added → orchestrator processor starts (wake-up, moveToActive)',
  "orchestrator: the run's org (weft_run_org, cached per process)",
  'orchestrator: coalescer, batcher, pool connection (a scope switch when the connection acted for another org)',
  'orchestrator: first transition: read run',
  'orchestrator: first transition: decide (graph, trigger inline)',
  'orchestrator: first transition: write (one statement)',
  'orchestrator: add execute-step job (written → add answered)',
  'job added → executor processor starts (wake-up, moveToActive)',
  "executor: the run's org (weft_run_org, cached per process)",
  'executor: claim statement (a scope switch when the connection acted for another org)',
  'executor: first processor (graph, context, processor)',
  'executor: first completion (completion + run read, decide, write, publish: processed → settled)',
  'total per run start (received → first step settled)',
] as const;

/**
 * Where a run's start goes (bench `hops`): per run of `runIds`, between consecutive marks from the
 * gateway taking POST /v1/runs to its first executor step settled, across the three processes:
 * gateway (gw.received, gw.handler, gw.committed, start job published), orchestrator (start job
 * picked, its run's org known, its unlocked transition's reading / read / decided / written, the
 * first execute-step job published), executor (that job picked, the run's org known, the step
 * claimed, processed, settled). A run is left
 * out when a mark is missing (e.g. its start took the run lock: no unlocked-transition marks).
 * The orchestrator's first step job is the run's first (later ones come from the executor), and
 * its first transition marks are the start's: the earliest of each is taken.
 */
export function weftStartHops(marks: readonly Mark[], runIds: readonly string[]): Hop[] {
  const wanted = new Set(runIds);
  const first = new Map<string, number>();
  const stepJob = new Map<string, { key: string; at: number }>();
  for (const [event, runId, key, at] of marks) {
    if (!wanted.has(runId)) continue;
    const k = `${runId}|${event}|${key}`;
    const seen = first.get(k);
    if (seen === undefined || at < seen) first.set(k, at);
    const job = stepJob.get(runId);
    if (event === 'orchestrator:publish' && key.startsWith('step.') && (!job || at < job.at)) stepJob.set(runId, { key, at });
  }
  const samples: number[][] = HOPS.map(() => []);
  for (const runId of runIds) {
    const job = stepJob.get(runId)?.key;
    if (!job) continue;
    const stepId = job.split('.')[1]!;
    const start = `run.${runId}.start`;
    const at = (event: string, key = '') => first.get(`${runId}|${event}|${key}`);
    const t = [
      at('gateway:gw.received'),
      at('gateway:gw.handler'),
      at('gateway:gw.committed'),
      at('gateway:published', start),
      at('orchestrator:orch.pick', start),
      at('orchestrator:orch.scoped', start),
      at('orchestrator:orch.reading'),
      at('orchestrator:orch.read'),
      at('orchestrator:orch.decided'),
      at('orchestrator:orch.written'),
      at('orchestrator:published', job),
      at('executor:exec.pick', job),
      at('executor:exec.scoped', job),
      at('executor:exec.claimed', stepId),
      at('executor:exec.processed', stepId),
      // Settled where it ran (the default), or handed to the orchestrator (WEFT_EXECUTOR_SETTLES=false).
      at('executor:exec.settled', stepId) ?? at('executor:published', `settled.${stepId}.succeeded`),
    ];
    if (t.some((x) => x === undefined)) continue;
    const v = t as number[];
    for (let h = 0; h + 1 < v.length; h++) samples[h]!.push(v[h + 1]! - v[h]!);
    samples[HOPS.length - 1]!.push(v[v.length - 1]! - v[0]!);
  }
  return HOPS.map((label, i) => ({ label, samples: samples[i]! }));
}
