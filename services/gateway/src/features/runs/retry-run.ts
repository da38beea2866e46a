import { publishOutbox, requestRetry, runControlState } from '@weft/run-store';
import type { RetryRunBody } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import { actorOfPrincipal, type Principal } from '../../auth/principal';
import type { Resources } from '../../resources';
import { loadRunGraph } from './run-graph';

/**
 * Asks for a failed or cancelled run to be retried in place (its failed steps, or everything from
 * `fromNodeId`). In ONE statement (`requestRetry`): records the request on the run, only if none
 * is pending, with the outbox row that wakes the orchestrator, which consumes the request, and the
 * audit entry.
 */
export async function retryRun(res: Resources, caller: Principal, runId: string, body: RetryRunBody): Promise<void> {
  const orgId = caller.orgId;
  const run = await loadRunGraph(res.db.pool, orgId, runId); // 404 for a run of another org
  if (body.fromNodeId !== undefined && !run.nodes.has(body.fromNodeId)) {
    const message = `the run's workflow has no node "${body.fromNodeId}"`;
    throw new AppError('validation_failed', message, [{ path: 'body.fromNodeId', code: 'unknown_node', message, nodeId: body.fromNodeId }]);
  }
  const requested = await requestRetry(res.db.pool, orgId, runId, body.fromNodeId ?? null, actorOfPrincipal(caller));
  if (requested.jobs.length) return publishOutbox(res.db.pool, res.queues, requested.ids, requested.jobs, res.logger);
  // Nothing changed: say why from the committed row (the status may have moved since the read above).
  const now = await runControlState(res.db.pool, orgId, runId);
  if (now?.retryPending) throw new AppError('invalid_state', `run ${runId} already has a retry pending`);
  if (now?.dataPurged) throw new AppError('invalid_state', `run ${runId} cannot be retried: its inputs and outputs were removed by the org's retention`);
  throw new AppError('invalid_state', `run ${runId} is ${now?.status ?? run.status}; only failed or cancelled runs can be retried`);
}
