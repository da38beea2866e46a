import { RunStatusSchema, TERMINAL_RUN_STATUSES, type RunStatus } from '@weft/workflow-schema';
import { sqlNameList } from './sql';

/**
 * The rules of a run's rows, written ONCE as SQL fragments: every statement of the store that
 * needs one of them builds it from here (constant text, so each statement keeps one prepared
 * plan). Arguments are SQL, never values: a table alias (`'s'`, or `''` for none) and parameter
 * references such as `'$2'`.
 *
 * The literal statuses matter beyond meaning: the partial indexes of packages/db
 * (partial-indexes.ts) are only used by statements whose text implies their predicate.
 */

/** `alias.column`, or the bare column without an alias. */
const col = (alias: string, column: string) => (alias ? `${alias}.${column}` : column);

/** Run statuses in which a run still moves (not terminal): queued, running, waiting. */
export const LIVE_RUN_STATUSES: readonly RunStatus[] = RunStatusSchema.options.filter((s) => !TERMINAL_RUN_STATUSES.has(s));

/** Run statuses a run may be retried from. */
export const RETRYABLE_RUN_STATUSES: readonly RunStatus[] = ['failed', 'cancelled'];

/** The run at `alias` still moves. */
export const runIsLive = (alias = '') => `${col(alias, 'status')} IN (${sqlNameList(LIVE_RUN_STATUSES)})`;

/** The run at `alias` may be retried in place. */
/** Failed or cancelled, with its data still kept (a run the retention job cleared cannot be retried). */
export const runIsRetryable = (alias = '') => `${col(alias, 'status')} IN (${sqlNameList(RETRYABLE_RUN_STATUSES)}) AND ${col(alias, 'data_purged_at')} IS NULL`;

/** Org scoping: the row at `alias` belongs to the org given by `org` (every gateway statement has it). */
export const ofOrg = (alias: string, org: string) => `${col(alias, 'org_id')} = ${org}`;

/** `now() + ms` for a parameter in milliseconds. */
export const fromNow = (ms: string) => `now() + make_interval(secs => ${ms} / 1000.0)`;

/** `now() - ms` for a parameter in milliseconds (a grace period). */
export const ago = (ms: string) => `now() - make_interval(secs => ${ms} / 1000.0)`;

/**
 * The fence: a write on behalf of a worker holds only while the step is still `running` under
 * the fence the worker claimed it with. Any re-queue, cancel or timeout meanwhile makes it stale.
 */
export const holdsFence = (alias: string, fence: string) => `${col(alias, 'fence')} = ${fence} AND ${col(alias, 'status')} = 'running'`;

/** The lease of a claimed step ends `leaseMs` from now; its worker renews it while the step runs. */
export const leaseUntil = (leaseMs: string) => fromNow(leaseMs);

/** A running step whose lease ended `graceMs` ago: its worker is lost (it stopped renewing). */
export const leaseLost = (alias: string, graceMs: string) =>
  `${col(alias, 'status')} = 'running' AND ${col(alias, 'lease_expires_at')} <= ${ago(graceMs)}`;

/** A running step past its deadline by `graceMs`: its worker hangs (a timeout, not a loss). */
export const deadlinePassed = (alias: string, graceMs: string) =>
  `${col(alias, 'status')} = 'running' AND ${col(alias, 'deadline_at')} <= ${ago(graceMs)}`;

/**
 * The `applied` rule: a step that ended (succeeded or failed) and whose end the run has not
 * folded in yet. A run with one has something to do.
 */
export const settledUnapplied = (alias = '') => `${col(alias, 'applied')} = false AND ${col(alias, 'status')} IN ('succeeded', 'failed')`;

/**
 * SET list giving a running step back to the queue: same attempt, fence + 1 (the interrupted
 * worker's late completion is then stale), no lease or deadline, available at once.
 */
export const requeueStep = (alias = '') =>
  `status = 'queued', fence = ${col(alias, 'fence')} + 1, started_at = NULL, deadline_at = NULL, lease_expires_at = NULL, available_at = now()`;

/** SET list of a running step that ends (completion, timeout, lost worker): finished, no lease. */
export const STEP_ENDS = 'finished_at = now(), lease_expires_at = NULL';

/**
 * The step rows that give a node its output: succeeded steps, and failed steps whose failure the
 * node caught (an `error` edge or continueOnFail), whose output is their error. Only
 * `recordCaughtFailure` gives a failed row an output, so "failed with an output" means caught.
 */
export const OUTPUT_ROW = `(status = 'succeeded' OR (status = 'failed' AND output IS NOT NULL))`;

/** The latest output of every node of the run `runIdSql` (a parameter or a column), one row per node. */
export const latestOutputsSql = (runIdSql: string) => `SELECT DISTINCT ON (node_id) node_id, output FROM run_steps
     WHERE run_id = ${runIdSql} AND ${OUTPUT_ROW} ORDER BY node_id, attempt DESC`;
