import { newId } from '@weft/db';
import { insertOutbox, loadOutputs, publishOutbox, rows, valuesList, withTx } from '@weft/run-store';
import {
  advance,
  buildContext,
  handleOf,
  isFinished,
  runOutput,
  type Command,
  type EngineEvent,
  type RunState,
  type WorkflowGraph,
} from '@weft/engine';
import type { Logger } from '@weft/logger';
import { jobIds, type JobEnvelope, type Queues } from '@weft/queue';
import type { StepError } from '@weft/workflow-schema';
import type { Pool, PoolClient } from 'pg';
import { EventLog } from './event-log';
import type { GraphCache } from '@weft/run-store';

export interface OrchestratorResources {
  pool: Pool;
  queues: Queues;
  graphs: GraphCache;
  logger: Logger;
  /** Uniform [0,1) source for retry jitter; recorded in the event so replay is exact. */
  random?: () => number;
}

interface RunRow {
  id: string;
  org_id: string;
  workflow_id: string;
  workflow_version_id: string;
  status: string;
  state: RunState | null;
  last_seq: number;
  inputs: unknown;
  cancel_requested_at: Date | null;
}

interface SettledStep {
  id: string;
  node_id: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  output: unknown;
  error: StepError | null;
}

/**
 * Folds everything that happened to a run since its last transition (start, settled steps,
 * cancel request) into its state, in one transaction under the run's row lock: per-run order
 * with any number of orchestrators, different runs in parallel. Idempotent: a duplicate job
 * finds nothing new and changes nothing.
 */
export async function advanceRun(res: OrchestratorResources, runId: string): Promise<void> {
  const outbox = await withTx(res.pool, (c) => transition(res, c, runId));
  if (outbox) await publishOutbox(res.pool, res.queues, outbox.ids, outbox.jobs, res.logger);
}

async function transition(res: OrchestratorResources, c: PoolClient, runId: string) {
  const [run] = await rows<RunRow>(
    c,
    `SELECT id, org_id, workflow_id, workflow_version_id, status, state, last_seq, inputs, cancel_requested_at
     FROM runs WHERE id = $1 FOR UPDATE`,
    [runId],
  );
  if (!run) return undefined;
  const settled = await rows<SettledStep>(
    c,
    `SELECT id, node_id, attempt, status, output, error FROM run_steps
     WHERE run_id = $1 AND applied = false AND status IN ('succeeded', 'failed')
     ORDER BY finished_at, id`,
    [runId],
  );
  if (run.state && isFinished(run.state)) {
    // Late results of steps of a finished run change nothing; mark them so they are not re-read.
    if (settled.length) await markApplied(c, settled.map((s) => s.id));
    return undefined;
  }
  const graph = await res.graphs.get(run.workflow_version_id);
  const random = res.random ?? Math.random;

  const inputs: { event: EngineEvent; stepId: string | null }[] = [];
  if (!run.state) inputs.push({ event: { type: 'run.started' }, stepId: null });
  if (run.cancel_requested_at) inputs.push({ event: { type: 'run.cancel_requested' }, stepId: null });
  for (const s of settled) {
    const type = graph.node(s.node_id).type;
    const event: EngineEvent =
      s.status === 'succeeded'
        ? { type: 'step.succeeded', nodeId: s.node_id, attempt: s.attempt, ...withHandle(handleOf(type, s.output)) }
        : { type: 'step.failed', nodeId: s.node_id, attempt: s.attempt, error: s.error ?? unknownError(), random: random() };
    inputs.push({ event, stepId: s.id });
  }

  const log = new EventLog(run.last_seq);
  const commands: Command[] = [];
  let state = run.state;
  for (const { event, stepId } of inputs) {
    const t = advance(graph, state, event);
    if (t.state === state) continue; // stale or duplicate: nothing to record
    log.input(event, stepId);
    state = t.state;
    for (const cmd of t.commands) commands.push(cmd);
  }
  if (settled.length) await markApplied(c, settled.map((s) => s.id));
  if (!state || log.rows.length === 0) return undefined;

  const jobs = await applyCommands(c, run, graph, state, commands, log);
  await c.query(
    `UPDATE runs SET state = $2, last_seq = $3, status = $4, updated_at = now(),
       started_at = COALESCE(started_at, now())
     WHERE id = $1`,
    [run.id, JSON.stringify(state), log.lastSeq, runStatus(state)],
  );
  await insertEvents(c, run, log);
  const ids = await insertOutbox(c, run.org_id, jobs);
  return { ids, jobs };
}

async function applyCommands(
  c: PoolClient,
  run: RunRow,
  graph: WorkflowGraph,
  state: RunState,
  commands: Command[],
  log: EventLog,
): Promise<JobEnvelope[]> {
  const jobs: JobEnvelope[] = [];
  const newSteps: { id: string; nodeId: string; attempt: number; status: string; delayMs: number }[] = [];
  for (const cmd of commands) {
    if (cmd.type === 'dispatch') {
      const id = newId();
      newSteps.push({ id, nodeId: cmd.nodeId, attempt: cmd.attempt, status: 'queued', delayMs: cmd.delayMs });
      jobs.push({ name: 'execute-step', jobId: jobIds.executeStep(id, 0), payload: { stepId: id, runId: run.id }, delayMs: cmd.delayMs });
      log.command(cmd, id);
    } else if (cmd.type === 'skip') {
      const id = newId();
      newSteps.push({ id, nodeId: cmd.nodeId, attempt: 0, status: 'skipped', delayMs: 0 });
      log.command(cmd, id);
    } else if (cmd.type === 'cancel_steps') {
      await c.query(
        `UPDATE run_steps SET status = 'cancelled', finished_at = now(), applied = true, lease_expires_at = NULL
         WHERE run_id = $1 AND node_id = ANY($2::text[]) AND status IN ('pending', 'queued', 'running', 'waiting')`,
        [run.id, cmd.nodeIds],
      );
      log.command(cmd);
    } else {
      const output = cmd.status === 'succeeded' ? await computeOutput(c, run, graph, state) : null;
      await c.query(
        `UPDATE runs SET output = $2, error = $3, finished_at = now() WHERE id = $1`,
        [run.id, output === null ? null : JSON.stringify(output), cmd.error ? JSON.stringify(cmd.error) : null],
      );
      log.command(cmd);
    }
  }
  if (newSteps.length) {
    const params: unknown[] = [];
    for (const s of newSteps) {
      const terminal = s.status === 'skipped';
      params.push(s.id, run.org_id, run.id, s.nodeId, s.attempt, s.status, terminal, s.delayMs, terminal ? new Date() : null);
    }
    await c.query(
      `INSERT INTO run_steps (id, org_id, run_id, node_id, attempt, status, applied, available_at, finished_at)
       SELECT v.id, v.org_id, v.run_id, v.node_id, v.attempt, v.status, v.applied,
              now() + make_interval(secs => v.delay_ms / 1000.0), v.finished_at
       FROM (VALUES ${valuesList(newSteps.length, 9, ['uuid', 'uuid', 'uuid', 'text', 'int', 'text', 'boolean', 'int', 'timestamptz'])})
         AS v(id, org_id, run_id, node_id, attempt, status, applied, delay_ms, finished_at)`,
      params,
    );
  }
  return jobs;
}

async function computeOutput(c: PoolClient, run: RunRow, graph: WorkflowGraph, state: RunState): Promise<unknown> {
  const outputs = await loadOutputs(c, run.id);
  const context = buildContext({ inputs: run.inputs, outputs, run: { id: run.id, workflowId: run.workflow_id } });
  try {
    return runOutput(graph, state, context);
  } catch (err) {
    return { error: `settings.output failed: ${(err as Error).message}` };
  }
}

async function insertEvents(c: PoolClient, run: RunRow, log: EventLog) {
  const params: unknown[] = [];
  for (const e of log.rows) params.push(e.id, run.org_id, run.id, e.seq, e.type, e.nodeId, e.stepId, JSON.stringify(e.data));
  await c.query(
    `INSERT INTO run_events (id, org_id, run_id, seq, type, node_id, step_id, data)
     VALUES ${valuesList(log.rows.length, 8, ['uuid', 'uuid', 'uuid', 'int', 'text', 'text', 'uuid', 'jsonb'])}`,
    params,
  );
}

async function markApplied(c: PoolClient, ids: string[]) {
  await c.query('UPDATE run_steps SET applied = true WHERE id = ANY($1::uuid[])', [ids]);
}

function runStatus(state: RunState): string {
  if (state.status !== 'running') return state.status;
  const nodes = Object.values(state.nodes);
  const waitingOnly = nodes.some((n) => n.status === 'waiting') && !nodes.some((n) => n.status === 'queued' || n.status === 'running');
  return waitingOnly ? 'waiting' : 'running';
}

const withHandle = (handle: string | undefined) => (handle === undefined ? {} : { handle });
const unknownError = (): StepError => ({ code: 'unknown', message: 'the step failed without an error', retryable: false });
