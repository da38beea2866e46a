import { insertOutbox, publishOutbox, rows, valuesList, withTx, type LiveEvent } from '@weft/run-store';
import { RunCursor, isFinished, type EngineEvent, type RunState } from '@weft/engine';
import type { PoolClient } from 'pg';
import { applyCommands } from './commands';
import { EventLog } from './event-log';
import { fireDueTimers, runEvents, settledSteps } from './inputs';
import { progressLoops } from './loops';
import { Transition, type OrchestratorResources, type RunRow } from './transition-context';

export type { OrchestratorResources } from './transition-context';

/** Control steps settle inline (a delay that cannot start fails at once): bound the rounds. */
const MAX_ROUNDS = 100;

/**
 * Folds everything that happened to a run since its last transition (start, retry, cancel,
 * deadline, timers, settled steps, loop progress) into its state, in one transaction under the
 * run's row lock: per-run order with any number of orchestrators, different runs in parallel.
 * Idempotent: a duplicate job finds nothing new and changes nothing.
 */
export async function advanceRun(res: OrchestratorResources, runId: string): Promise<void> {
  const result = await withTx(res.pool, (c) => transition(res, c, runId));
  if (!result) return;
  await publishOutbox(res.pool, res.queues, result.outboxIds, result.jobs, res.logger);
  if (res.bus) {
    await res.bus.publishCancel(result.abortStepIds);
    await res.bus.publishRunEvents(runId, result.events);
  }
}

async function transition(res: OrchestratorResources, c: PoolClient, runId: string) {
  const [run] = await rows<RunRow>(
    c,
    `SELECT id, org_id, workflow_id, workflow_version_id, status, state, last_seq, inputs, cancel_requested_at,
            retry_request, deadline_at, parent_step_id, kind, body_path
     FROM runs WHERE id = $1 FOR UPDATE`,
    [runId],
  );
  if (!run) return undefined;
  if (run.state && isFinished(run.state) && !run.retry_request) {
    // Late results of a finished run change nothing; mark them so they are not read again.
    await c.query(`UPDATE run_steps SET applied = true WHERE run_id = $1 AND applied = false AND status IN ('succeeded', 'failed')`, [runId]);
    return undefined;
  }
  const graph = await res.graphs.get(run.workflow_version_id, run.body_path, c);
  const t = new Transition(c, res, run, graph, new EventLog(run.last_seq));
  let state: RunState | null = run.state;
  const startedNow = !state;
  // One cursor for the whole transition: the state is copied once, not once per settled step.
  const cursor = new RunCursor(graph, state);

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const inputs: { event: EngineEvent; stepId: string | null; approval?: string }[] = round === 0 ? runEvents(t).map((event) => ({ event, stepId: null })) : [];
    if (state && !isFinished(state)) {
      await fireDueTimers(t);
      await progressLoops(t);
    }
    inputs.push(...(await settledSteps(t)));
    if (inputs.length === 0) break;
    t.invalidateContext();
    for (const { event, stepId, approval } of inputs) {
      const next = cursor.apply(event);
      if (!next.changed) continue; // stale or duplicate: nothing to record
      if (approval) t.log.push('approval.resolved', { decision: approval }, 'nodeId' in event ? event.nodeId : null, stepId);
      t.log.input(event, stepId);
      state = cursor.state!;
      await applyCommands(t, state, next.commands);
    }
  }
  if (run.retry_request && t.log.rows.length === 0) await c.query('UPDATE runs SET retry_request = NULL WHERE id = $1', [run.id]);
  if (state && t.log.rows.length > 0) {
    const timeoutMs = graph.settings.timeoutMs;
    await c.query(
      `UPDATE runs SET state = $2, last_seq = $3, status = $4, updated_at = now(), retry_request = NULL,
         started_at = COALESCE(started_at, now()),
         deadline_at = CASE WHEN $5::int IS NOT NULL THEN now() + make_interval(secs => $5::int / 1000.0) ELSE deadline_at END
       WHERE id = $1`,
      [run.id, JSON.stringify(state), t.log.lastSeq, runStatus(state), startedNow && timeoutMs ? timeoutMs : null],
    );
    await insertEvents(c, run, t.log);
  }
  // Loop progress may start iterations without any event of this run: publish those jobs too,
  // and mark the run as moving so the reconciler does not take it for idle.
  if (t.jobs.length === 0 && t.log.rows.length === 0) return undefined;
  if (t.log.rows.length === 0) await c.query('UPDATE runs SET updated_at = now() WHERE id = $1', [run.id]);
  const outboxIds = await insertOutbox(c, run.org_id, t.jobs);
  const events: LiveEvent[] = t.log.rows.map((e) => ({ seq: e.seq, type: e.type, nodeId: e.nodeId, stepId: e.stepId, data: e.data, createdAt: new Date().toISOString() }));
  return { outboxIds, jobs: t.jobs, abortStepIds: t.abortStepIds, events };
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

/** The API status: `waiting` when only waiting steps (delay, approval, children) are left. */
function runStatus(state: RunState): string {
  if (state.status !== 'running') return state.status;
  const nodes = Object.values(state.nodes);
  const busy = nodes.some((n) => n.status === 'queued' || n.status === 'running');
  return !busy && nodes.some((n) => n.status === 'waiting') ? 'waiting' : 'running';
}
