import { publishOutbox, requestCancel, runControlState } from '@weft/run-store';
import { TERMINAL_RUN_STATUSES, type RunStatus } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import { actorOfPrincipal, type Principal } from '../../auth/principal';
import type { Resources } from '../../resources';

/**
 * Asks for a run to be cancelled: in ONE statement (`requestCancel`), marks `cancel_requested_at`
 * (only on a live run not already asked) and writes the outbox row that wakes the orchestrator,
 * which turns the request into the `cancelled` status and aborts running steps. Asking again while
 * the request is pending is accepted again; a run that already ended answers 409. The request that
 * marks the run writes its audit entry in the same statement.
 */
export async function cancelRun(res: Resources, caller: Principal, runId: string): Promise<void> {
  const orgId = caller.orgId;
  const row = await requestCancel(res.db.pool, orgId, runId, actorOfPrincipal(caller));
  if (!row) throw notFound('run', runId);
  if (row.outbox.jobs.length) {
    await publishOutbox(res.db.pool, res.queues, row.outbox.ids, row.outbox.jobs, res.logger);
    return;
  }
  if (TERMINAL_RUN_STATUSES.has(row.status)) throw ended(runId, row.status);
  if (row.already) return;
  // Nothing changed although the statement's snapshot saw a live run: a concurrent writer won
  // (another cancel, or the run just ended). Decide on the committed row.
  const now = await runControlState(res.db.pool, orgId, runId);
  const status = now?.status ?? row.status;
  if (now?.cancelRequested && !TERMINAL_RUN_STATUSES.has(status)) return;
  throw ended(runId, status);
}

const ended = (runId: string, status: RunStatus) =>
  new AppError('invalid_state', `run ${runId} is already ${status}; only queued, running or waiting runs can be cancelled`);
