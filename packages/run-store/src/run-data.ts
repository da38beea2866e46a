import type { StepError } from '@weft/workflow-schema';
import type { Pool, PoolClient } from 'pg';
import { latestOutputsSql } from './rules';
import { rows } from './sql';

/** The latest output of every node of a run that has one (succeeded, or failed and caught), keyed by node id. */
export async function loadOutputs(c: PoolClient | Pool, runId: string): Promise<Record<string, unknown>> {
  const list = await rows<{ node_id: string; output: unknown }>(c, latestOutputsSql('$1'), [runId]);
  return Object.fromEntries(list.map((r) => [r.node_id, r.output]));
}

/**
 * The engine caught a step's failure (`failure_caught`): its error becomes the failed row's output,
 * which every reader of outputs then sees (OUTPUT_ROW). Answers the step id (undefined when no such
 * failed row exists).
 */
export async function recordCaughtFailure(c: PoolClient, step: { runId: string; nodeId: string; attempt: number; error: StepError }): Promise<string | undefined> {
  const [row] = await rows<{ id: string }>(
    c,
    `UPDATE run_steps SET output = $4 WHERE run_id = $1 AND node_id = $2 AND attempt = $3 AND status = 'failed' RETURNING id`,
    [step.runId, step.nodeId, step.attempt, JSON.stringify(step.error)],
  );
  return row?.id;
}
