import { claimStep, completeStep, publishOutbox, type ClaimedStep, type StepResult } from '@weft/run-store';
import { Budget, DEFAULT_LIMITS, buildContext, checkValue, handleOf, serializeWithin, shouldRetry, type CompiledNode } from '@weft/engine';
import { withContext, type Logger } from '@weft/logger';
import { weftMetrics } from '@weft/metrics';
import { markHop } from '@weft/queue';
import type { KnownStep } from '@weft/run-core';
import { ATTR, endSpan, inSpan, logIdsOf, startSpan, type Span } from '@weft/telemetry';
import type { StepError } from '@weft/workflow-schema';
import { StepFailure, toStepError } from './errors';
import { isExecutableType, runProcessor, type UsageRecord } from './processors';
import type { ExecutorResources } from './resources';
import { settleHere, type EagerStep } from './settle-here';
import { resolveStepConnection } from './connections/step-connection';
import { NO_SECRETS, resolveStepSecrets, runWithSecrets, withMoreSecrets, type StepSecrets } from './secrets/step-secrets';
import { StepLog } from './step-log';
import { piiRedactor } from './pii-redaction';
import { TrafficTally, runWithTraffic } from './http/step-traffic';

/**
 * Executes one step attempt: claim (queued → running, fence + 1), run the processor with an
 * AbortSignal, then write the result only if the claim still holds (same fence, still running).
 * A stale or duplicate delivery changes nothing. Settled in place (see `complete`), the run's
 * transition may start the next step already claimed for this process: it runs here at once, in
 * the slot of the step before it (no job, no claim), and so on down a chain.
 */
export async function executeStep(res: ExecutorResources, stepId: string, jobSignal?: AbortSignal, job?: JobTiming): Promise<void> {
  const pickedAt = Date.now();
  const first = await claimStep(res.pool, stepId, { defaultTimeoutMs: res.defaultTimeoutMs, leaseMs: res.leases.leaseMs });
  if (!first) {
    res.logger.debug({ stepId }, 'step not claimable (already taken, finished or cancelled): skipped');
    return;
  }
  markHop('exec.claimed', first.run_id, first.id);
  let step: KnownStep | undefined = first;
  let cancel = new AbortController();
  let timing: StepTiming = { startedAt: pickedAt, queueWaitMs: job ? Math.max(0, pickedAt - job.queuedAt) : undefined };
  while (step) {
    const next = await runClaimed(res, step, cancel, jobSignal, timing);
    step = next?.step;
    if (next) cancel = next.cancel;
    // The next step was claimed by the transition for this slot: it starts now, without a queue.
    timing = { startedAt: Date.now(), queueWaitMs: 0 };
  }
}

/** When the step's job could first be taken (ms since the epoch: its enqueue time plus its delay). */
export interface JobTiming {
  queuedAt: number;
}

interface StepTiming {
  /** When this process took the step (ms since the epoch). */
  startedAt: number;
  /** How long its job waited in the queue (unknown without the job). */
  queueWaitMs: number | undefined;
}

/** Runs a claimed step (its claim is `cancel`'s, registered from now on) and writes its result; the next step claimed for this process, if any. */
async function runClaimed(res: ExecutorResources, step: KnownStep, cancel: AbortController, jobSignal: AbortSignal | undefined, timing: StepTiming): Promise<EagerStep | undefined> {
  let log = withContext(res.logger, { runId: step.run_id, stepId: step.id, nodeId: step.node_id, orgId: step.org_id });
  // Held from the claim on, so loading the graph cannot make the first renewal late.
  res.running.set(step.id, cancel);
  res.leases.hold(step.id, step.fence, (reason) => cancel.abort(reason));
  // Keyed by step id, fenced: an earlier attempt of this process that ends late must not let go
  // of a newer attempt of the same step (re-queued after its lease expired, claimed here again).
  const forget = () => {
    if (res.running.get(step.id) === cancel) res.running.delete(step.id);
    res.leases.drop(step.id, step.fence);
  };
  let node: CompiledNode;
  /** Personal data redaction of the node (the workflow's settings.pii), after secrets are masked. */
  let redact: <T>(value: T) => T;
  try {
    // One graph: a for_each body graph carries its workflow's root settings.pii (WorkflowGraph.pii).
    const graph = await res.graphs.get(step.workflow_version_id, step.body_path);
    node = graph.node(step.node_id);
    redact = piiRedactor(graph.pii, step.node_id);
  } catch (err) {
    forget();
    throw err;
  }
  const span = stepSpan(step, node.type, timing);
  if (span) log = log.child(logIdsOf(span));
  let ended: { status: string; error: StepError | null } | undefined;
  try {
    const next = await inSpan(span, () => attempt(res, step, node, redact, cancel, jobSignal, log, forget));
    ended = next.ended;
    return next.eager;
  } finally {
    // 'error': the attempt threw before its result was written (a lost connection); the step is retried by its lease.
    const status = ended?.status ?? 'error';
    span?.setAttribute(ATTR.status, status);
    if (ended?.error) span?.setAttribute(ATTR.errorCode, ended.error.code);
    endSpan(span, status === 'succeeded' ? undefined : (ended?.error ?? { code: 'internal' }));
    // One line per step attempt end (docs/operating/logs.md).
    log.info(
      { status, duration_ms: Date.now() - timing.startedAt, node_type: node.type, attempt: step.attempt, ...(timing.queueWaitMs !== undefined ? { queue_wait_ms: timing.queueWaitMs } : {}), ...(ended?.error ? { error_code: ended.error.code } : {}) },
      'step ended',
    );
  }
}

/** The span of one step attempt, in its run's trace (none for a run started while tracing was off). */
function stepSpan(step: ClaimedStep, nodeType: string, timing: StepTiming): Span | undefined {
  if (!step.trace_parent) return undefined;
  return startSpan(`step ${nodeType}`, {
    parent: step.trace_parent,
    startTime: timing.startedAt,
    attributes: {
      [ATTR.runId]: step.run_id,
      [ATTR.stepId]: step.id,
      [ATTR.nodeId]: step.node_id,
      [ATTR.nodeType]: nodeType,
      [ATTR.orgId]: step.org_id,
      [ATTR.attempt]: step.attempt,
      [ATTR.workflowId]: step.workflow_id,
      [ATTR.runKind]: step.kind,
      ...(timing.queueWaitMs !== undefined ? { 'weft.queue_wait_ms': timing.queueWaitMs } : {}),
    },
  });
}

/** Runs the claimed step's processor and writes its result (see runClaimed); how it ended and the next step claimed here. */
async function attempt(res: ExecutorResources, step: KnownStep, node: CompiledNode, redact: <T>(value: T) => T, cancel: AbortController, jobSignal: AbortSignal | undefined, log: Logger, forget: () => void): Promise<{ ended: { status: string; error: StepError | null }; eager: EagerStep | undefined }> {
  const timeoutMs = step.timeout_ms;
  const signals = [AbortSignal.timeout(timeoutMs), cancel.signal, ...(jobSignal ? [jobSignal] : [])];
  const signal = AbortSignal.any(signals);
  void res.bus?.publishRunEvents(step.run_id, [
    { seq: null, type: 'step.started', nodeId: step.node_id, stepId: step.id, data: { attempt: step.attempt }, createdAt: new Date().toISOString() },
  ]);

  const usage: UsageRecord[] = [];
  const began = performance.now();
  /** The attempt's outgoing HTTP bytes (one http_bytes usage row; step-traffic.ts). */
  const traffic = new TrafficTally();
  const limits = res.limits ?? DEFAULT_LIMITS;
  let status: 'succeeded' | 'failed';
  let output: unknown = null;
  /** The output as written: serialized once, by the check of its size. */
  let outputJson: string | null = null;
  let error: StepError | null = null;
  // Secrets live in this attempt's memory only: in the node's context, and masked (with their
  // encoded forms) in everything the step keeps or says: output, error, progress, usage, logs.
  let secrets: StepSecrets = NO_SECRETS;
  /** Everything the step keeps or says: secrets masked, then personal data redacted. */
  const keep = <T>(v: T): T => redact(secrets.mask(v));
  let work: Promise<unknown> | undefined;
  const stepLog = new StepLog({
    mask: keep,
    onLine: (line) =>
      void res.bus?.publishRunEvents(step.run_id, [{ seq: null, type: 'step.log', nodeId: step.node_id, stepId: step.id, data: { ts: line.ts, level: line.level, msg: line.msg }, createdAt: line.ts }]),
  });
  if (step.attempt > 1) stepLog.write('info', `attempt ${step.attempt} started after a retry backoff of ${step.backoff_ms ?? 0} ms`, { attempt: step.attempt, backoffMs: step.backoff_ms ?? 0 });
  try {
    const type = node.type;
    if (!isExecutableType(res.processors, type)) throw new StepFailure('unsupported_node', `no processor for node type "${type}"`, false);
    if (step.pinned) {
      // A test run's pinned node: its output is the one copied from an earlier run (stored masked), not executed.
      log.info('output pinned from an earlier run: not executed');
      work = Promise.resolve(step.pinned.output);
    }
    const context = buildContext({ inputs: step.inputs, outputs: step.outputs ?? {}, run: { id: step.run_id, workflowId: step.workflow_id }, iteration: step.kind === 'iteration' });
    if (!step.pinned) secrets = await resolveStepSecrets(res, step, node.config);
    if (secrets.values) context.secrets = secrets.values;
    // A connection's access token (refreshed first if it is about to expire): for the processor only, masked like a secret.
    const accessToken = step.pinned || !res.connections ? undefined : await resolveStepConnection(res.connections, step, type, node.config, signal);
    if (accessToken) secrets = withMoreSecrets(secrets, [accessToken]);
    const masked = secrets;
    work ??= runWithTraffic(traffic, () => runWithSecrets(secrets, () =>
      runProcessor(res.processors, type, {
        config: node.config,
        context,
        budget: new Budget(limits),
        signal,
        ...(accessToken ? { connection: { accessToken } } : {}),
        ids: { runId: step.run_id, stepId: step.id, nodeId: step.node_id, attempt: step.attempt, orgId: step.org_id, userId: userOf(step.created_by) },
        logger: log,
        stepLog: stepLog.write,
        recordUsage: (u) => usage.push(masked.mask(u)),
        progress: (data) =>
          void res.bus?.publishRunEvents(step.run_id, [
            { seq: null, type: 'step.progress', nodeId: step.node_id, stepId: step.id, data: redact(masked.mask(data)), createdAt: new Date().toISOString() },
          ]),
      }),
    ));
    const raw = await raceAbort(work, signal);
    // Measured before masking walks it (a value nested 100,000 levels deep must not reach a recursion).
    const what = `the output of node "${step.node_id}"`;
    checkValue(raw, limits, what);
    output = keep(raw);
    outputJson = serializeWithin(output, limits, what);
    status = 'succeeded';
  } catch (err) {
    status = 'failed';
    error = keep(signal.aborted && !(err instanceof StepFailure) ? abortError(signal, timeoutMs) : toStepError(err));
    log.info({ code: error.code, retryable: error.retryable }, `step failed: ${error.message}`);
    const retrying = shouldRetry(node.retry, step.attempt, error);
    stepLog.write(retrying ? 'warn' : 'error', `attempt ${step.attempt} failed (${error.code}): ${error.message}${retrying ? `; retrying (attempt ${step.attempt + 1} of ${node.retry!.maxAttempts}, ${node.retry!.backoff} backoff)` : ''}`, {
      code: error.code,
      retryable: error.retryable,
      ...(retrying ? { nextAttempt: step.attempt + 1 } : {}),
    });
  } finally {
    forget();
    const bytes = traffic.usage();
    if (bytes) usage.push(bytes);
    // Log masking ends when the processor's work has settled, even if it outlived an abort.
    const release = secrets.release;
    if (work) void work.then(release, release);
    else release();
  }
  markHop('exec.processed', step.run_id, step.id);
  weftMetrics.stepDuration.observe({ node_type: node.type, status }, (performance.now() - began) / 1000);
  const handle = status === 'succeeded' ? (handleOf(node.type, output) ?? null) : null;
  const result: StepResult = { status, outputJson, error, handle, usage, logs: stepLog.close() };
  const { settleInPlace } = res;
  const ended = { status, error };
  if (!settleInPlace) {
    await complete(res, step, result, log);
    return { ended, eager: undefined };
  }
  return { ended, eager: await settleHere({ ...res, settleInPlace }, { id: step.id, fence: step.fence, runId: step.run_id, nodeId: step.node_id, nodeType: node.type, attempt: step.attempt, known: step.known }, result, log) };
}

/** The completion alone (WEFT_EXECUTOR_SETTLES=false): the step-settled job hands the step to the orchestrator. */
async function complete(res: ExecutorResources, step: ClaimedStep, result: StepResult, log: Logger) {
  const settled = await completeStep(res.pool, { id: step.id, fence: step.fence, runId: step.run_id }, result);
  markHop('exec.completed', step.run_id, step.id);
  if (settled.jobs.length === 0) {
    log.warn({ fence: step.fence }, 'stale completion discarded (the step was re-claimed, cancelled or timed out)');
    return;
  }
  await publishOutbox(res.pool, res.queues, settled.ids, settled.jobs, log, res.outboxDeletes);
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

/** The user id of a `created_by` column (`user:<id>`); null for a key's run or one nobody signed in started. */
const userOf = (createdBy: string | null): string | null => (createdBy?.startsWith('user:') ? createdBy.slice(5) : null);
