import type { StepError } from '@weft/workflow-schema';
import type { Pool, PoolClient } from 'pg';
import { latestOutputsSql, ofOrg } from './rules';
import { rows, type Queryable } from './sql';

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

/**
 * The outputs a test run pins from an earlier run of the same workflow (`undefined`: no such run of
 * the org and workflow): the latest output of each node asked for that has one. Outputs are stored
 * masked, so no secret is ever copied.
 */
export async function pinnableOutputs(q: Queryable, orgId: string, workflowId: string, runId: string, nodeIds: string[]): Promise<Record<string, unknown> | undefined> {
  const [run] = await rows<{ id: string }>(q, `SELECT id FROM runs WHERE id = $1 AND ${ofOrg('', '$2')} AND workflow_id = $3`, [runId, orgId, workflowId]);
  if (!run) return undefined;
  const list = await rows<{ node_id: string; output: unknown }>(q, `SELECT o.node_id, o.output FROM (${latestOutputsSql('$1')}) o WHERE o.node_id = ANY($2::text[])`, [runId, nodeIds]);
  return Object.fromEntries(list.map((r) => [r.node_id, r.output]));
}
