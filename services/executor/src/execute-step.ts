import { latestOutputsSql, publishOutbox, type GraphCache, type OutboxDeletes, type RunBus } from '@weft/run-store';
import type { Keyring } from '@weft/crypto';
import { Budget, DEFAULT_LIMITS, buildContext, checkValue, handleOf, serializeWithin, type CompiledNode, type Limits } from '@weft/engine';
import { withContext, type Logger } from '@weft/logger';
import { JOBS, jobFor, markHop, type Queues } from '@weft/queue';
import type { StepError } from '@weft/workflow-schema';
import type { Pool } from 'pg';
import { StepFailure, toStepError } from './errors';
import type { StepLeases } from './leases';
import { isExecutableType, runProcessor, type Processors, type UsageRecord } from './processors';
import { NO_SECRETS, resolveStepSecrets, runWithSecrets, type StepSecrets } from './secrets/step-secrets';

export interface ExecutorResources {
  pool: Pool;
  queues: Queues;
  logger: Logger;
  processors: Processors;
  graphs: GraphCache;
  bus?: RunBus;
  /** Batches the DELETE of published outbox rows; without it each completion deletes its own. */
  outboxDeletes?: OutboxDeletes;
  /** Abort controllers of the steps running in this process, for cancel notices. */
  running: Map<string, AbortController>;
  defaultTimeoutMs: number;
  /** The leases of the running steps, renewed while they run (see leases.ts). */
  leases: StepLeases;
  /** Key-encryption keys for `{{ secrets.NAME }}`; without them steps that use secrets fail. */
  keyring?: Keyring | undefined;
  /** Budget of each step's templates and size of the outputs it stores (default: DEFAULT_LIMITS). */
  limits?: Limits;
}

interface ClaimedStep {
  id: string;
  org_id: string;
  run_id: string;
  node_id: string;
  attempt: number;
  fence: number;
  inputs: unknown;
  workflow_id: string;
  workflow_version_id: string;
  kind: string;
  body_path: string | null;
  timeout_ms: number;
  /** The latest output of every succeeded node of the run, read by the claiming statement. */
  outputs: Record<string, unknown> | null;
}

/**
 * Executes one step attempt: claim (queued → running, fence + 1), run the processor with an
 * AbortSignal, then write the result only if the claim still holds (same fence, still running).
 * A stale or duplicate delivery changes nothing.
 */
export async function executeStep(res: ExecutorResources, stepId: string, jobSignal?: AbortSignal): Promise<void> {
  const step = await claim(res, stepId);
  if (!step) {
    res.logger.debug({ stepId }, 'step not claimable (already taken, finished or cancelled): skipped');
    return;
  }
  markHop('exec.claimed', step.run_id, step.id);
  const log = withContext(res.logger, { runId: step.run_id, stepId: step.id, nodeId: step.node_id });
  // Held from the claim on, so loading the graph cannot make the first renewal late.
  const cancel = new AbortController();
  res.running.set(step.id, cancel);
  res.leases.hold(step.id, step.fence, (reason) => cancel.abort(reason));
  // Keyed by step id, fenced: an earlier attempt of this process that ends late must not let go
  // of a newer attempt of the same step (re-queued after its lease expired, claimed here again).
  const forget = () => {
    if (res.running.get(step.id) === cancel) res.running.delete(step.id);
    res.leases.drop(step.id, step.fence);
  };
  let node: CompiledNode;
  try {
    node = (await res.graphs.get(step.workflow_version_id, step.body_path)).node(step.node_id);
  } catch (err) {
    forget();
    throw err;
  }
  const timeoutMs = step.timeout_ms;
  const signals = [AbortSignal.timeout(timeoutMs), cancel.signal, ...(jobSignal ? [jobSignal] : [])];
  const signal = AbortSignal.any(signals);
  void res.bus?.publishRunEvents(step.run_id, [
    { seq: null, type: 'step.started', nodeId: step.node_id, stepId: step.id, data: { attempt: step.attempt }, createdAt: new Date().toISOString() },
  ]);

  const usage: UsageRecord[] = [];
  const limits = res.limits ?? DEFAULT_LIMITS;
  let status: 'succeeded' | 'failed';
  let output: unknown = null;
  /** The output as written: serialized once, by the check of its size. */
  let outputJson: string | null = null;
  let error: StepError | null = null;
  // Secrets live in this attempt's memory only: in the node's context, and masked (with their
  // encoded forms) in everything the step keeps or says: output, error, progress, usage, logs.
  let secrets: StepSecrets = NO_SECRETS;
  let work: Promise<unknown> | undefined;
  try {
    const type = node.type;
    if (!isExecutableType(res.processors, type)) throw new StepFailure('unsupported_node', `no processor for node type "${type}"`, false);
    const context = buildContext({ inputs: step.inputs, outputs: step.outputs ?? {}, run: { id: step.run_id, workflowId: step.workflow_id }, iteration: step.kind === 'iteration' });
    secrets = await resolveStepSecrets(res, step, node.config);
    if (secrets.values) context.secrets = secrets.values;
    const masked = secrets;
    work = runWithSecrets(secrets, () =>
      runProcessor(res.processors, type, {
        config: node.config,
        context,
        budget: new Budget(limits),
        signal,
        ids: { runId: step.run_id, stepId: step.id, nodeId: step.node_id, attempt: step.attempt, orgId: step.org_id },
        logger: log,
        recordUsage: (u) => usage.push(masked.mask(u)),
        progress: (data) =>
          void res.bus?.publishRunEvents(step.run_id, [
            { seq: null, type: 'step.progress', nodeId: step.node_id, stepId: step.id, data: masked.mask(data), createdAt: new Date().toISOString() },
          ]),
      }),
    );
    const raw = await raceAbort(work, signal);
    // Measured before masking walks it (a value nested 100,000 levels deep must not reach a recursion).
    const what = `the output of node "${step.node_id}"`;
    checkValue(raw, limits, what);
    output = secrets.mask(raw);
    outputJson = serializeWithin(output, limits, what);
    status = 'succeeded';
  } catch (err) {
    status = 'failed';
    error = secrets.mask(signal.aborted && !(err instanceof StepFailure) ? abortError(signal, timeoutMs) : toStepError(err));
    log.info({ code: error.code, retryable: error.retryable }, `step failed: ${error.message}`);
  } finally {
    forget();
    // Log masking ends when the processor's work has settled, even if it outlived an abort.
    const release = secrets.release;
    if (work) void work.then(release, release);
    else release();
  }
  markHop('exec.processed', step.run_id, step.id);
  const handle = status === 'succeeded' ? (handleOf(node.type, output) ?? null) : null;
  await complete(res, step, status, outputJson, error, handle, usage, log);
}

/**
 * queued → running (fence + 1) with a lease of `leaseMs` that this process renews while the step
 * runs (a worker that dies stops renewing, and the sweeper re-queues the step), and in the same round trip what the step needs: the run's inputs
 * and ids, and the latest output of every node that has one (succeeded, or failed and caught: run-store OUTPUT_ROW; the other steps' rows, unchanged by
 * this statement). A step that is not queued any more is not claimed and reads nothing.
 */
const CLAIM = `WITH claimed AS (
     UPDATE run_steps s SET status = 'running', fence = s.fence + 1, started_at = now(),
       deadline_at = now() + make_interval(secs => COALESCE(s.timeout_ms, $2) / 1000.0),
       lease_expires_at = now() + make_interval(secs => $3 / 1000.0)
     FROM runs r
     WHERE s.id = $1 AND s.status = 'queued' AND r.id = s.run_id
     RETURNING s.id, s.org_id, s.run_id, s.node_id, s.attempt, s.fence, COALESCE(s.timeout_ms, $2) AS timeout_ms,
       r.inputs, r.workflow_id, r.workflow_version_id, r.kind, r.body_path)
   SELECT claimed.*, (
     SELECT jsonb_object_agg(o.node_id, o.output) FROM (${latestOutputsSql('claimed.run_id')}) o) AS outputs
   FROM claimed`;

async function claim(res: ExecutorResources, stepId: string): Promise<ClaimedStep | undefined> {
  const {
    rows: [step],
  } = await res.pool.query<ClaimedStep>({ name: 'weft_exec_claim', text: CLAIM, values: [stepId, res.defaultTimeoutMs, res.leases.leaseMs] });
  return step;
}

async function complete(
  res: ExecutorResources,
  step: ClaimedStep,
  status: 'succeeded' | 'failed',
  outputJson: string | null,
  error: StepError | null,
  handle: string | null,
  usage: UsageRecord[],
  log: Logger,
) {
  const job = jobFor.stepSettled(step.run_id, step.id, status);
  // One statement: the fenced write and the outbox row commit together or not at all.
  const { rows: written } = await res.pool.query<{ id: string }>({
    name: 'weft_exec_complete',
    text: `WITH done AS (
       UPDATE run_steps SET status = $3, output = $4, error = $5, handle = $7, finished_at = now(), lease_expires_at = NULL
       WHERE id = $1 AND fence = $2 AND status = 'running'
       RETURNING org_id, run_id),
     metered AS (
       INSERT INTO usage_events (id, org_id, run_id, step_id, kind, quantity, data)
       SELECT weft_uuidv7(), done.org_id, done.run_id, $1, u.kind, u.quantity, u.data
       FROM done, jsonb_to_recordset($8::jsonb) AS u(kind text, quantity bigint, data jsonb))
     INSERT INTO outbox (org_id, queue, job_name, job_id, payload)
     SELECT org_id, $9, $10, $6, $11::jsonb FROM done
     RETURNING id`,
    values: [step.id, step.fence, status, outputJson, error ? JSON.stringify(error) : null, job.jobId, handle, JSON.stringify(usage), JOBS[job.name].queue, job.name, JSON.stringify(job.payload)],
  });
  markHop('exec.completed', step.run_id, step.id);
  if (written.length === 0) {
    log.warn({ fence: step.fence }, 'stale completion discarded (the step was re-claimed, cancelled or timed out)');
    return;
  }
  await publishOutbox(res.pool, res.queues, written.map((w) => w.id), [job], log, res.outboxDeletes);
}

/** Processors should honour the signal; this makes sure a step that ignores it still ends. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortError(signal: AbortSignal, timeoutMs: number): StepError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? { code: 'timeout', message: `the step did not finish within ${timeoutMs} ms`, retryable: true }
    : { code: 'cancelled', message: 'the step was cancelled', retryable: false };
}
