import { newId } from '@weft/db';
import { jobFor } from '@weft/queue';
import type { RunStatus } from '@weft/workflow-schema';
import type { PoolClient } from 'pg';
import { outboxed, outboxRowFrom, outboxRowParams, type Outboxed } from './outbox';
import { ofOrg, runIsLive, runIsRetryable } from './rules';
import { rows, type Queryable } from './sql';
import { meterRunsFrom } from './usage';

/**
 * The statements of the API on `runs` (with the first event and outbox row of a new run). Every
 * one is scoped to the org it is given.
 */

/** A run to create: the version is a guess when `latestOf` is set (it must still be that workflow's latest). */
export interface NewRun {
  orgId: string;
  versionId: string;
  /** The inputs as JSON text. */
  inputsJson: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** A workflow id: create only if `versionId` is still its latest published version. */
  latestOf: string | null;
  /** Who created it (`api_key:<id>`), or null. */
  createdBy: string | null;
  /** A test run of a draft snapshot (it may run while the workflow is disabled). */
  test?: boolean;
  /** Test runs: `{ nodeId: output }` copied from an earlier run, as JSON text; those nodes are not executed. */
  pinnedOutputsJson?: string | null;
  /** The W3C traceparent of the request's span (tracing on): the run's work joins that trace. */
  traceParent?: string | null;
}

export type CreateRunResult =
  | { outcome: 'created'; runId: string; outbox: Outboxed }
  /** `latestOf` no longer has `versionId` as its latest version (or the version is not the org's): nothing written. */
  | { outcome: 'version-changed' }
  /** Another run holds the idempotency key: nothing written. */
  | { outcome: 'key-taken' }
  /** The workflow is disabled (and this is not a test run): nothing written. */
  | { outcome: 'disabled' }
  /** The workflow was deleted: nothing written. */
  | { outcome: 'deleted' };

/**
 * Inserts the run, its first event and its outbox row, checking the version guess and that the
 * workflow may start runs (enabled, not deleted; a test run may run a disabled workflow's draft);
 * one named (prepared) statement.
 */
const INSERT_RUN = `WITH v AS (
       SELECT v.workflow_id, v.id, w.enabled, w.deleted_at IS NOT NULL AS deleted FROM workflow_versions v
       JOIN workflows w ON w.id = v.workflow_id AND w.org_id = v.org_id
       WHERE v.id = $3::uuid AND ${ofOrg('v', '$2::uuid')}
         AND ($8::uuid IS NULL OR (w.id = $8 AND w.latest_version = v.version))),
     run AS (
       INSERT INTO runs (id, org_id, workflow_id, workflow_version_id, status, inputs, idempotency_key, request_hash, last_seq, created_by, trigger_type, test, pinned_outputs, trace_parent)
       SELECT $1::uuid, $2::uuid, v.workflow_id, v.id, 'queued', $4::jsonb, $5::text, $6::text, 1, $9::text,
         CASE WHEN $14::boolean OR $9::text LIKE 'user:%' THEN 'manual' ELSE 'api' END, $14::boolean, $15::jsonb, $16::text FROM v
       WHERE NOT v.deleted AND (v.enabled OR $14::boolean)
       ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id, org_id, workflow_id),
     metered AS (${meterRunsFrom('run')}),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, data)
       SELECT $7::uuid, org_id, id, 1, 'run.created', jsonb_build_object('workflowVersionId', $3::text) FROM run),
     ob AS (${outboxRowFrom('run', 10)})
     SELECT (SELECT id FROM ob) AS outbox_id, (SELECT id FROM run) AS id, EXISTS (SELECT 1 FROM v) AS matched,
       (SELECT deleted FROM v) AS deleted, (SELECT NOT enabled AND NOT $14::boolean FROM v) AS disabled`;

/** ONE statement: the run (queued), its `run.created` event and the outbox row of its `start-run` job. */
export async function createRun(q: Queryable, r: NewRun): Promise<CreateRunResult> {
  const runId = newId();
  const job = jobFor.startRun(runId);
  const { rows: [row] } = await q.query<{ id: string | null; outbox_id: string | null; matched: boolean; deleted: boolean | null; disabled: boolean | null }>({
    name: 'weft_gateway_create_run',
    text: INSERT_RUN,
    values: [runId, r.orgId, r.versionId, r.inputsJson, r.idempotencyKey, r.requestHash, newId(), r.latestOf, r.createdBy, ...outboxRowParams(job), r.test ?? false, r.pinnedOutputsJson ?? null, r.traceParent ?? null],
  });
  if (!row?.matched) return { outcome: 'version-changed' };
  if (row.deleted) return { outcome: 'deleted' };
  if (row.disabled) return { outcome: 'disabled' };
  if (!row.id || !row.outbox_id) return { outcome: 'key-taken' };
  return { outcome: 'created', runId, outbox: { ids: [row.outbox_id], jobs: [job] } };
}

/** The run of the org that holds an idempotency key, with the hash of the request that created it. */
export async function findRunByIdempotencyKey(q: Queryable, orgId: string, key: string): Promise<{ id: string; requestHash: string | null } | undefined> {
  const [row] = await rows<{ id: string; request_hash: string | null }>(q, `SELECT id, request_hash FROM runs WHERE ${ofOrg('', '$1')} AND idempotency_key = $2`, [orgId, key]);
  return row && { id: row.id, requestHash: row.request_hash };
}

/**
 * Asks for every live run of the org to be cancelled (the org is being deleted): one
 * `requestCancel` per run not asked yet, inside the caller's transaction; the outbox rows to
 * publish after commit are returned together.
 */
export async function requestCancelOfOrg(q: Queryable, orgId: string, actor: Actor): Promise<Outboxed & { runs: number }> {
  const live = await rows<{ id: string }>(q, `SELECT id FROM runs WHERE ${ofOrg('', '$1')} AND ${runIsLive()} AND cancel_requested_at IS NULL ORDER BY id`, [orgId]);
  const all: Outboxed = { ids: [], jobs: [] };
  for (const run of live) {
    const r = await requestCancel(q, orgId, run.id, actor);
    if (!r) continue;
    all.ids.push(...r.outbox.ids);
    all.jobs.push(...r.outbox.jobs);
  }
  return { ...all, runs: live.length };
}

/** Who asks for a change of a run (its audit entry's actor). */
export interface Actor {
  /** `api_key` (with the key's id); `user` once sessions exist. */
  type: string;
  id: string;
}

/**
 * A CTE body writing the audit entry `action` of each run changed by `source` (rows with id,
 * org_id), with `data` (a SQL expression or NULL), from the three parameters of `auditParams`
 * starting at `$first`: in the same statement as the change, so both commit or neither.
 */
const auditRowFrom = (source: string, first: number, action: string, data = 'NULL') => `INSERT INTO audit_logs (id, org_id, actor_type, actor_id, action, target_type, target_id, data)
       SELECT $${first}::uuid, ${source}.org_id, $${first + 1}::text, $${first + 2}::text, '${action}', 'run', ${source}.id::text, ${data} FROM ${source}`;

const auditParams = (actor: Actor): unknown[] => [newId(), actor.type, actor.id];

/** What decides whether a run may be cancelled or retried, as committed. */
export interface RunControlState {
  status: RunStatus;
  cancelRequested: boolean;
  retryPending: boolean;
  /** The retention job cleared its inputs, outputs and logs: it cannot be retried. */
  dataPurged: boolean;
}

export async function runControlState(q: Queryable, orgId: string, runId: string): Promise<RunControlState | undefined> {
  const [row] = await rows<RunControlState>(
    q,
    `SELECT status, cancel_requested_at IS NOT NULL AS "cancelRequested", retry_request IS NOT NULL AS "retryPending",
       data_purged_at IS NOT NULL AS "dataPurged"
     FROM runs WHERE id = $1 AND ${ofOrg('', '$2')}`,
    [runId, orgId],
  );
  return row;
}

/** Whether the org has this run. */
export async function runExists(q: Queryable, orgId: string, runId: string): Promise<boolean> {
  return (await rows(q, `SELECT 1 FROM runs WHERE id = $1 AND ${ofOrg('', '$2')}`, [runId, orgId])).length > 0;
}

/**
 * Asks for a live run to be cancelled, in ONE statement: `cancel_requested_at` (only if not asked
 * yet), its audit entry (`run.cancel_requested`) and the outbox row of the `cancel-requested` job.
 * Returns the run as the statement saw it before (undefined: not the org's run) and the job if the
 * request was recorded.
 */
export async function requestCancel(q: Queryable, orgId: string, runId: string, actor: Actor): Promise<{ status: RunStatus; already: boolean; outbox: Outboxed } | undefined> {
  const job = jobFor.cancelRequested(runId);
  const [row] = await rows<{ status: RunStatus; already: boolean; outbox_id: string | null }>(
    q,
    `WITH cur AS (
       SELECT status, cancel_requested_at IS NOT NULL AS already FROM runs WHERE id = $1 AND ${ofOrg('', '$2')}),
     upd AS (
       UPDATE runs SET cancel_requested_at = now(), updated_at = now()
       WHERE id = $1 AND ${ofOrg('', '$2')} AND ${runIsLive()} AND cancel_requested_at IS NULL
       RETURNING id, org_id),
     au AS (${auditRowFrom('upd', 3, 'run.cancel_requested')}),
     ob AS (${outboxRowFrom('upd', 6)})
     SELECT cur.status, cur.already, (SELECT id FROM ob) AS outbox_id FROM cur`,
    [runId, orgId, ...auditParams(actor), ...outboxRowParams(job)],
  );
  if (!row) return undefined;
  return { status: row.status, already: row.already, outbox: row.outbox_id ? { ids: [row.outbox_id], jobs: [job] } : { ids: [], jobs: [] } };
}

/**
 * Asks for a failed or cancelled run to be retried in place (its failed steps, or everything from
 * `fromNodeId`), in ONE statement: the request on the run, only if none is pending, its audit entry
 * (`run.retry_requested`) and the outbox row of its `retry-requested` job (a fresh id per request).
 * Nothing outboxed: nothing changed.
 */
export async function requestRetry(q: Queryable, orgId: string, runId: string, fromNodeId: string | null, actor: Actor): Promise<Outboxed> {
  const job = jobFor.retryRequested(runId, newId());
  const written = await rows<{ id: string }>(
    q,
    `WITH upd AS (
       UPDATE runs SET retry_request = jsonb_build_object('fromNodeId', $3::text, 'requestedAt', now()), updated_at = now()
       WHERE id = $1 AND ${ofOrg('', '$2')} AND ${runIsRetryable()} AND retry_request IS NULL
       RETURNING id, org_id),
     au AS (${auditRowFrom('upd', 4, 'run.retry_requested', "jsonb_build_object('fromNodeId', $3::text)")})
     ${outboxRowFrom('upd', 7)}`,
    [runId, orgId, fromNodeId, ...auditParams(actor), ...outboxRowParams(job)],
  );
  return written.length ? { ids: written.map((w) => w.id), jobs: [job] } : { ids: [], jobs: [] };
}

/** Which runs of a workflow a bulk retry takes. */
export interface BulkRetryFilter {
  status: 'failed' | 'cancelled';
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
}

/**
 * The redrive of dead letters, inside the caller's transaction: picks up to `limit` top-level
 * runs of the workflow with `status` (oldest first), skipping those another request is retrying
 * (SKIP LOCKED, `retry_request IS NULL`), records the request on each and writes the outbox rows
 * of their `retry-requested` jobs (one `batch` id). `more`: more runs matched than were taken.
 */
export async function requestBulkRetry(c: PoolClient, orgId: string, workflowId: string, f: BulkRetryFilter): Promise<{ runIds: string[]; more: boolean; batch: string } & Outboxed> {
  const batch = newId();
  const picked = await rows<{ run_id: string; more: boolean }>(
    c,
    `WITH candidates AS (
       SELECT id FROM runs
       WHERE ${ofOrg('', '$1')} AND workflow_id = $2 AND status = $3 AND kind = 'run' AND parent_run_id IS NULL
         AND retry_request IS NULL AND data_purged_at IS NULL
         AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at < $5)
       ORDER BY id
       LIMIT $6 + 1
       FOR UPDATE SKIP LOCKED),
     upd AS (
       UPDATE runs r SET retry_request = jsonb_build_object('fromNodeId', NULL, 'requestedAt', now(), 'bulk', $7::text), updated_at = now()
       FROM (SELECT id FROM candidates ORDER BY id LIMIT $6) c
       WHERE r.id = c.id
       RETURNING r.id)
     SELECT id AS run_id, (SELECT count(*) FROM candidates) > $6 AS more FROM upd ORDER BY id`,
    [orgId, workflowId, f.status, f.since ?? null, f.until ?? null, f.limit, batch],
  );
  const out = await outboxed(c, orgId, picked.map((r) => jobFor.retryRequested(r.run_id, batch)));
  return { runIds: picked.map((r) => r.run_id), more: picked[0]?.more ?? false, batch, ...out };
}

/** A run of the org with the definition of the version it runs (immutable) and where its graph is in it. */
export interface RunDefinition {
  id: string;
  status: RunStatus;
  /** for_each body path of an iteration run ("loop" or "outer/inner"), else null. */
  bodyPath: string | null;
  cancelRequested: boolean;
  workflowId: string;
  versionId: string;
  definition: { nodes?: unknown };
  /** The retention job cleared its inputs, outputs and logs. */
  dataPurged: boolean;
}

export async function runWithDefinition(q: Queryable, orgId: string, runId: string): Promise<RunDefinition | undefined> {
  const [row] = await rows<RunDefinition>(
    q,
    `SELECT r.id, r.status, r.body_path AS "bodyPath", r.cancel_requested_at IS NOT NULL AS "cancelRequested",
       r.workflow_id AS "workflowId", r.workflow_version_id AS "versionId", v.definition, r.data_purged_at IS NOT NULL AS "dataPurged"
     FROM runs r JOIN workflow_versions v ON v.id = r.workflow_version_id
     WHERE r.id = $1 AND ${ofOrg('r', '$2')}`,
    [runId, orgId],
  );
  return row;
}
