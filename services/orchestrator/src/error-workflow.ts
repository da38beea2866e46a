import { newId } from '@weft/db';
import { jobFor } from '@weft/queue';
import { rows } from '@weft/run-store';
import type { ErrorRunInputs } from '@weft/workflow-schema';
import type { Transition } from './transition-context';

interface ErrorTarget {
  /** The failed run is an error run, or runs below one: its failure starts nothing (no loops). */
  in_error_run: boolean;
  /** The error workflow's latest published version, when it is a workflow of the run's org. */
  version_id: string | null;
  started_at: Date | null;
  now: Date;
}

/**
 * A run failed (not cancelled): start a run of its workflow's `settings.errorWorkflowId` (latest
 * published version, same org) with the failed run's summary as inputs. Its row, its `run.created`
 * event and its start job (an outbox row) are written by the failing run's transition, so they
 * commit with the failure or not at all. An error workflow that is gone (deleted, or without a
 * published version) is recorded on the failed run as an event; the transition goes on.
 */
export async function startErrorWorkflow(t: Transition, error: unknown): Promise<void> {
  const errorWorkflowId = t.graph.settings.errorWorkflowId;
  if (!errorWorkflowId || t.run.kind !== 'run') return;
  const [target] = await rows<ErrorTarget>(
    t.c,
    `WITH RECURSIVE chain(id, parent, error_of, d) AS (
       SELECT id, parent_run_id, error_of_run_id, 1 FROM runs WHERE id = $1
       UNION ALL SELECT r.id, r.parent_run_id, r.error_of_run_id, chain.d + 1 FROM runs r JOIN chain ON r.id = chain.parent WHERE chain.d < $4)
     SELECT (SELECT bool_or(error_of IS NOT NULL) FROM chain) AS in_error_run,
       (SELECT v.id FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version
        WHERE w.id = $2 AND w.org_id = $3) AS version_id,
       (SELECT started_at FROM runs WHERE id = $1) AS started_at, clock_timestamp() AS now`,
    [t.run.id, errorWorkflowId, t.run.org_id, t.limits.maxSubWorkflowDepth + 1],
  );
  if (!target || target.in_error_run) {
    t.log.push('error_workflow.skipped', { errorWorkflowId, reason: 'this run is an error run (or runs inside one): its failure starts no other' });
    return;
  }
  if (!target.version_id) {
    t.log.push('error_workflow.not_found', { errorWorkflowId, message: `error workflow ${errorWorkflowId} was not found in this org or has no published version: no error run was started` });
    return;
  }
  const runError = (error ?? { code: 'failed', message: 'the run failed' }) as ErrorRunInputs['error'];
  const inputs: ErrorRunInputs = {
    runId: t.run.id,
    workflowId: t.run.workflow_id,
    workflowVersionId: t.run.workflow_version_id,
    error: runError,
    ...(typeof runError.nodeId === 'string' ? { failedNodeId: runError.nodeId } : {}),
    startedAt: target.started_at?.toISOString() ?? null,
    finishedAt: target.now.toISOString(),
  };
  const errorRunId = newId();
  await t.c.query(
    `WITH run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, last_seq, error_of_run_id)
       VALUES ($1, $2, $3, $4, 'queued', $5, 1, $6))
     INSERT INTO run_events (id, org_id, run_id, seq, type, data) VALUES ($7, $2, $1, 1, 'run.created', $8)`,
    [errorRunId, t.run.org_id, errorWorkflowId, target.version_id, JSON.stringify(inputs), t.run.id, newId(), JSON.stringify({ workflowVersionId: target.version_id, errorOfRunId: t.run.id })],
  );
  t.jobs.push(jobFor.startRun(errorRunId));
  t.log.push('error_workflow.started', { errorWorkflowId, errorRunId });
}
