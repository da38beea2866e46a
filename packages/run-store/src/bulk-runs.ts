import type { RunStatus, TriggerType } from '@weft/workflow-schema';
import type { PoolClient } from 'pg';
import type { Outboxed } from './outbox';
import { containsPattern } from './run-search';
import { LIVE_RUN_STATUSES, RETRYABLE_RUN_STATUSES, ofOrg } from './rules';
import { requestCancel, requestRetry, type Actor } from './runs';
import { rows } from './sql';
import { idRange, type TimeRange } from './views';

/** The filters of the run list (`GET /v1/runs`) a bulk action takes its runs by. */
export interface BulkRunFilter extends TimeRange {
  workflowId?: string | undefined;
  status?: RunStatus | undefined;
  triggerType?: TriggerType | undefined;
  /** Text contained in the error message (case-insensitive). */
  q?: string | undefined;
}

export type BulkRunAction = 'retry' | 'cancel';

/** The statuses each action applies to: retry a failed or cancelled run, cancel a live one. */
export const BULK_ACTION_STATUSES: Record<BulkRunAction, readonly RunStatus[]> = { retry: RETRYABLE_RUN_STATUSES, cancel: LIVE_RUN_STATUSES };

/** Runs another request already acts on are left out (so paging with `more` moves on). */
const NOT_ASKED: Record<BulkRunAction, string> = {
  retry: 'retry_request IS NULL AND data_purged_at IS NULL',
  cancel: 'cancel_requested_at IS NULL',
};

/**
 * Bulk retry or cancel of the org's top-level runs matching a run-list filter, inside the caller's
 * transaction: locks up to `limit` runs the action applies to, oldest first (SKIP LOCKED: runs
 * another request holds are left to it), then asks for each exactly as the single-run action does
 * (`requestRetry` / `requestCancel`: the request, its audit entry and its outbox row). The jobs are
 * published by the caller after commit. `more`: more runs matched than were taken.
 */
export async function requestBulkRunAction(
  c: PoolClient,
  orgId: string,
  action: BulkRunAction,
  f: BulkRunFilter,
  limit: number,
  actor: Actor,
): Promise<{ runIds: string[]; more: boolean } & Outboxed> {
  const statuses = f.status ? BULK_ACTION_STATUSES[action].filter((s) => s === f.status) : BULK_ACTION_STATUSES[action];
  if (statuses.length === 0) return { runIds: [], more: false, ids: [], jobs: [] };
  const id = idRange(f);
  const candidates = await rows<{ id: string }>(
    c,
    `SELECT id FROM runs
     WHERE ${ofOrg('', '$1::uuid')} AND kind = 'run' AND parent_run_id IS NULL AND status = ANY($2::text[]) AND ${NOT_ASKED[action]}
       AND ($3::uuid IS NULL OR workflow_id = $3) AND ($4::text IS NULL OR trigger_type = $4)
       AND ($5::text IS NULL OR error_text ILIKE $5)
       AND ($6::uuid IS NULL OR id >= $6) AND ($7::uuid IS NULL OR id < $7)
     ORDER BY id
     LIMIT $8 + 1
     FOR UPDATE SKIP LOCKED`,
    [orgId, statuses, f.workflowId ?? null, f.triggerType ?? null, f.q ? containsPattern(f.q) : null, id.gte ?? null, id.lt ?? null, limit],
  );
  const out: { runIds: string[] } & Outboxed = { runIds: [], ids: [], jobs: [] };
  for (const run of candidates.slice(0, limit)) {
    const asked = action === 'retry' ? await requestRetry(c, orgId, run.id, null, actor) : (await requestCancel(c, orgId, run.id, actor))?.outbox;
    if (!asked?.jobs.length) continue;
    out.runIds.push(run.id);
    out.ids.push(...asked.ids);
    out.jobs.push(...asked.jobs);
  }
  return { ...out, more: candidates.length > limit };
}
