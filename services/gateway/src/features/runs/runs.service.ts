import type { Db } from '@weft/db';
import { eventPage, logPage, runCounts, runPage, runSnapshot, stepPage, type TimeRange } from '@weft/run-store';
import type { RunStatus, TriggerType } from '@weft/workflow-schema';
import { notFound } from '../../errors';

/** A run with its first steps and its logs, consistent with each other (see `runSnapshot`); 404 when not the org's. */
export async function getRun(db: Db, orgId: string, id: string) {
  const snapshot = await runSnapshot(db, orgId, id);
  if (!snapshot) throw notFound('run', id);
  return snapshot;
}

/** A page of the org's top-level runs, newest first; `q` searches the error messages, `test` keeps or drops test runs. */
export async function listRuns(db: Db, orgId: string, q: { limit: number; cursor?: string; workflowId?: string; status?: RunStatus; triggerType?: TriggerType; q?: string; test?: boolean } & TimeRange) {
  return runPage(db, orgId, q);
}

/** How many top-level runs of each status were created in the range (all of them without one). */
export async function countRuns(db: Db, orgId: string, q: TimeRange & { workflowId?: string }) {
  return { counts: await runCounts(db, orgId, q) };
}

/** A page of a run's steps in creation order (keyset on the step id); 404 when not the org's run. */
export async function listRunSteps(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string }) {
  const page = await stepPage(db, orgId, runId, q);
  if (!page) throw notFound('run', runId);
  return page;
}

/** A page of a run's log lines in the order they were said; 404 when not the org's run. */
export async function listRunLogs(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string }) {
  const page = await logPage(db, orgId, runId, q);
  if (!page) throw notFound('run', runId);
  return page;
}

/** A page of a run's events in seq order (the cursor is a seq); 404 when not the org's run. */
export async function listRunEvents(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string }) {
  const page = await eventPage(db, orgId, runId, q);
  if (!page) throw notFound('run', runId);
  return page;
}
