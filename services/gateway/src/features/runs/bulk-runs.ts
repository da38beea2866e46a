import { BULK_ACTION_STATUSES, publishOutbox, requestBulkRunAction, withTx } from '@weft/run-store';
import type { BulkRunActionBody } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import { actorOfPrincipal, type Principal } from '../../auth/principal';
import type { Resources } from '../../resources';

/**
 * `POST /v1/runs/bulk`: retry (failed/cancelled) or cancel (queued/running/waiting) up to `limit`
 * of the org's top-level runs matching the run-list filter, oldest first. One transaction
 * (`requestBulkRunAction`) locks the runs and asks for each as the single-run route does (request,
 * audit entry, outbox row); the jobs are published after commit.
 */
export async function bulkRunAction(res: Resources, caller: Principal, body: BulkRunActionBody): Promise<{ runIds: string[]; more: boolean }> {
  const status = body.filter.status;
  if (status && !BULK_ACTION_STATUSES[body.action].includes(status)) {
    const message = `a ${body.action} applies to ${BULK_ACTION_STATUSES[body.action].join(', ')} runs, not ${status} ones`;
    throw new AppError('validation_failed', message, [{ path: 'body.filter.status', code: 'invalid_status', message }]);
  }
  const picked = await withTx(res.db.pool, (c) => requestBulkRunAction(c, caller.orgId, body.action, body.filter, body.limit, actorOfPrincipal(caller)));
  await publishOutbox(res.db.pool, res.queues, picked.ids, picked.jobs, res.logger);
  return { runIds: picked.runIds, more: picked.more };
}
