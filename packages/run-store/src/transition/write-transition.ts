import type { RunState } from '@weft/engine';
import type { JobEnvelope } from '@weft/queue';
import { outboxInsertSql, outboxParams } from '../outbox';
import { fromNow, leaseUntil } from '../rules';
import type { Queryable } from '../sql';
import { stepParams, type StepRow } from './step-rows';

/** One run_events row of a transition. */
export interface EventRow {
  id: string;
  seq: number;
  type: string;
  nodeId: string | null;
  stepId: string | null;
  data: unknown;
}

/** Everything the final write of one transition writes (one statement, alone or shared by a batch of runs). */
export interface TransitionWrite {
  runId: string;
  orgId: string;
  state: RunState;
  lastSeq: number;
  status: string;
  /** Set on the run's start when the workflow has settings.timeoutMs: the run's deadline from now. */
  timeoutMs: number | null;
  /** Set when the run finished in this transition: its output and error. */
  completion: { output: unknown; error: unknown } | undefined;
  events: readonly EventRow[];
  steps: readonly StepRow[];
  jobs: readonly JobEnvelope[];
  /** Only for a run still at this sequence and without a retry request (an unlocked transition); null under the run lock. */
  guardSeq: number | null;
  /** Settled steps this transition applied that are not marked applied yet (read without the lock). */
  applied: readonly string[];
  /**
   * Outbox rows deleted with the write, only if it applies: the step-settled row of a step settled
   * where it ran (its job would only wake a transition that finds nothing new).
   */
  dropOutbox?: readonly string[];
  /**
   * A loop step (the run's parent step) whose next pending iteration this write starts, only if it
   * applies: the iteration that ends hands its slot to the next one in the same statement
   * (`queued`, its first transition still to write; see `WrittenTransition.successors`). Its
   * parent's wake-up (the write's `child-settled` job) is then left out (`parentWakeUps`).
   */
  successorOf?: string;
}

/** An iteration a write started for its loop (`successorOf`): what its row says that its ending sibling's does not. */
export interface SuccessorRow {
  id: string;
  inputs: unknown;
  last_seq: number;
  parent_step_id: string;
}

/**
 * What one transition's write did: the jobs it wrote and their outbox ids (null: its guard refused
 * it, nothing written), and the iterations it started.
 */
export interface WrittenTransition {
  outboxIds: string[] | null;
  /** The write's jobs that have an outbox row (those to publish): all of them but a parent wake-up left out. */
  jobs: JobEnvelope[];
  successors: SuccessorRow[];
}

/**
 * The loop step whose started successors make this job of the write unneeded, if any: the parent's
 * wake-up (`child-settled`) of an iteration that hands its slot on. The parent has nothing to do
 * for that end: the loop cannot be over (an item was still pending) nor failed (the iteration
 * succeeded), and the slot is taken again. Every chain of successors ends in an iteration that
 * finds no pending item (or fails), whose wake-up is written: the parent then counts every end.
 */
function parentWakeUps(w: TransitionWrite, j: JobEnvelope): string | null {
  return w.successorOf && j.name === 'child-settled' ? w.successorOf : null;
}

const jsonOrNull = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

function eventArrays(events: readonly EventRow[]): unknown[][] {
  const cols: unknown[][] = [[], [], [], [], [], []];
  for (const e of events) {
    cols[0]!.push(e.id);
    cols[1]!.push(e.seq);
    cols[2]!.push(e.type);
    cols[3]!.push(e.nodeId);
    cols[4]!.push(e.stepId);
    cols[5]!.push(JSON.stringify(e.data));
  }
  return cols;
}

/**
 * The final write of one or more transitions in ONE statement: each run's new state, its events,
 * its new step rows and the outbox rows of its jobs. Per-run columns ($1–$9), then events, outbox
 * rows and step rows, each with the run id of its row ($10, $17, $23; a step row written claimed
 * gets fence 1, a lease and a deadline), then the settled steps it applied that are still to be
 * marked so ($41), then outbox rows to delete with the write ($43), then the step rows'
 * items_started ($45), then the loop steps whose next pending iteration a run's write starts ($46,
 * $47: in item order, rows another transaction holds skipped), then per outbox row the loop step
 * whose successors make it unneeded ($48, `parentWakeUps`: left out only when every write of that
 * loop in the statement started one; else one of them has a free slot the parent must fill). A run with a `guard` (an unlocked transition) is
 * written only if still at the sequence read and without a retry request: every change of a
 * run's state records events, so an unchanged sequence means an unchanged run. Rows of a run
 * not written are neither inserted nor updated (the joins on `run`).
 */
const transitionCtes = (runGuard: string) => `input AS (
       SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::int[], $4::text[], $5::int[], $6::boolean[], $7::jsonb[], $8::jsonb[], $9::int[])
         AS i(id, state, last_seq, status, timeout_ms, done, output, error, guard)),
     run AS (
       UPDATE runs r SET state = i.state, last_seq = i.last_seq, status = i.status, updated_at = now(), retry_request = NULL,
         started_at = COALESCE(r.started_at, now()),
         finished_at = CASE WHEN i.done THEN clock_timestamp() ELSE r.finished_at END,
         output = CASE WHEN i.done THEN i.output ELSE r.output END,
         error = CASE WHEN i.done THEN i.error ELSE r.error END,
         deadline_at = CASE WHEN i.timeout_ms IS NOT NULL THEN now() + make_interval(secs => i.timeout_ms / 1000.0) ELSE r.deadline_at END
       FROM input i
       WHERE r.id = i.id AND (i.guard IS NULL OR (r.last_seq = i.guard AND r.retry_request IS NULL))${runGuard}
       RETURNING r.id, r.org_id),
     ev AS (
       INSERT INTO run_events (id, org_id, run_id, seq, type, node_id, step_id, data)
       SELECT e.id, run.org_id, e.run_id, e.seq, e.type, e.node_id, e.step_id, e.data
       FROM unnest($10::uuid[], $11::uuid[], $12::int[], $13::text[], $14::text[], $15::uuid[], $16::jsonb[]) AS e(run_id, id, seq, type, node_id, step_id, data)
       JOIN run ON run.id = e.run_id),
     sc AS (
       SELECT x.step_id, count(*)::int AS n FROM unnest($46::uuid[], $47::uuid[]) AS x(run_id, step_id) JOIN run ON run.id = x.run_id GROUP BY x.step_id),
     pick AS MATERIALIZED (
       SELECT p.id FROM sc, LATERAL (
         SELECT id FROM runs WHERE parent_step_id = sc.step_id AND status = 'pending' ORDER BY item_index LIMIT sc.n FOR UPDATE SKIP LOCKED) p),
     nx AS (
       UPDATE runs n SET status = 'queued', updated_at = now() FROM pick
       WHERE n.id = pick.id AND n.status = 'pending'
       RETURNING n.id, n.inputs, n.last_seq, n.parent_step_id),
     handed AS (
       SELECT sc.step_id FROM sc WHERE sc.n = (SELECT count(*) FROM nx WHERE nx.parent_step_id = sc.step_id)),
     ob AS (
       INSERT INTO outbox (org_id, queue, job_name, job_id, payload, delay_ms)
       SELECT run.org_id, j.queue, j.job_name, j.job_id, j.payload, j.delay_ms
       FROM unnest($17::uuid[], $18::text[], $19::text[], $20::text[], $21::jsonb[], $22::int[], $48::uuid[]) AS j(run_id, queue, job_name, job_id, payload, delay_ms, unneeded_if)
       JOIN run ON run.id = j.run_id
       WHERE j.unneeded_if IS NULL OR NOT EXISTS (SELECT 1 FROM handed WHERE handed.step_id = j.unneeded_if)
       RETURNING id, job_id),
     st AS (
       INSERT INTO run_steps (id, org_id, run_id, node_id, node_type, attempt, status, applied, available_at,
         started_at, finished_at, timeout_ms, input, output, error, handle, items_total, fence, lease_expires_at, deadline_at, items_started)
       SELECT s.id, run.org_id, s.run_id, s.node_id, s.node_type, s.attempt, s.status, s.applied, s.available_at,
         s.started_at, s.finished_at, s.timeout_ms, s.input, s.output, s.error, s.handle, s.items_total,
         CASE WHEN s.lease_ms IS NULL THEN 0 ELSE 1 END, ${leaseUntil('s.lease_ms')}, ${fromNow('s.deadline_ms')}, s.items_started
       FROM unnest($23::uuid[], $24::uuid[], $25::text[], $26::text[], $27::int[], $28::text[], $29::boolean[], $30::timestamptz[],
         $31::timestamptz[], $32::timestamptz[], $33::int[], $34::jsonb[], $35::jsonb[], $36::jsonb[], $37::text[], $38::int[], $39::int[], $40::int[], $45::int[])
         AS s(run_id, id, node_id, node_type, attempt, status, applied, available_at, started_at, finished_at, timeout_ms, input, output, error, handle, items_total, lease_ms, deadline_ms, items_started)
       JOIN run ON run.id = s.run_id),
     ap AS (
       UPDATE run_steps s SET applied = true
       FROM unnest($41::uuid[], $42::uuid[]) AS a(run_id, id) JOIN run ON run.id = a.run_id
       WHERE s.run_id = a.run_id AND s.id = a.id AND s.applied = false),
     dr AS (
       DELETE FROM outbox o USING unnest($43::uuid[], $44::bigint[]) AS d(run_id, id) JOIN run ON run.id = d.run_id
       WHERE o.id = d.id)`;

/** What the statement of `transitionCtes` returns: the runs written, their outbox rows and the iterations started. */
const TRANSITION_RESULT = `ARRAY(SELECT id FROM run) AS applied, ARRAY(SELECT id FROM ob) AS outbox_ids, ARRAY(SELECT job_id FROM ob) AS outbox_jobs,
     (SELECT json_agg(nx) FROM nx) AS successors`;

const WRITE_TRANSITIONS = `WITH ${transitionCtes('')} SELECT ${TRANSITION_RESULT}`;

/**
 * The write of `writes` with more in the same statement (complete-with-transition.ts): its CTEs
 * (`run` also requires `runGuard`, SQL on the run row `r`), `more` CTEs after them, and the
 * result columns, then `moreColumns` (`from`: a FROM clause for them). Parameters $1–$48 are the write's (`transitionParams`).
 */
export const transitionWithMore = (runGuard: string, more: string, moreColumns: string, from = '') =>
  `WITH ${transitionCtes(runGuard)}, ${more} SELECT ${TRANSITION_RESULT}, ${moreColumns} ${from}`;

/** The number of parameters of the write (the next free one is this + 1). */
export const TRANSITION_PARAMS = 48;

/** What the write's statement returned, as `writtenTransitions` reads it. */
export interface TransitionRow {
  applied: string[];
  outbox_ids: string[];
  outbox_jobs: string[];
  successors: SuccessorRow[] | null;
}

/**
 * Writes the transitions of several runs (the unlocked transitions of a batch, or one locked
 * transition) in ONE statement: per run, the outbox ids of its jobs, or null when its guard
 * stopped it (then nothing of that run was written).
 */
export async function writeTransitions(q: Queryable, writes: readonly TransitionWrite[]): Promise<(string[] | null)[]> {
  return (await writeTransitionsWithSuccessors(q, writes)).map((w) => w.outboxIds);
}

/** `writeTransitions`, with the iterations each write started (`successorOf`; see `writtenTransitions`). */
export async function writeTransitionsWithSuccessors(q: Queryable, writes: readonly TransitionWrite[]): Promise<WrittenTransition[]> {
  const {
    rows: [written],
  } = await q.query<TransitionRow>({ name: 'weft_orch_write_transitions', text: WRITE_TRANSITIONS, values: transitionParams(writes) });
  return writtenTransitions(writes, written);
}

/** The 48 parameters of the write of `writes` (see WRITE_TRANSITIONS). */
export function transitionParams(writes: readonly TransitionWrite[]): unknown[] {
  const runCol = <T>(f: (w: TransitionWrite) => T) => writes.map(f);
  const perRow = <R>(rows: (w: TransitionWrite) => readonly R[]) => writes.flatMap((w) => rows(w).map(() => w.runId));
  const successorOf = writes.filter((w) => w.successorOf);
  return [
    runCol((w) => w.runId), runCol((w) => JSON.stringify(w.state)), runCol((w) => w.lastSeq), runCol((w) => w.status), runCol((w) => w.timeoutMs),
    runCol((w) => w.completion !== undefined), runCol((w) => jsonOrNull(w.completion?.output)), runCol((w) => jsonOrNull(w.completion?.error)),
    runCol((w) => w.guardSeq),
    perRow((w) => w.events), ...eventArrays(writes.flatMap((w) => w.events)),
    perRow((w) => w.jobs), ...outboxParams(writes.flatMap((w) => w.jobs)),
    perRow((w) => w.steps), ...stepParams(writes.flatMap((w) => w.steps)),
    perRow((w) => w.applied), writes.flatMap((w) => w.applied),
    perRow((w) => w.dropOutbox ?? []), writes.flatMap((w) => w.dropOutbox ?? []),
    writes.flatMap((w) => w.steps.map((s) => s.itemsStarted ?? 0)),
    successorOf.map((w) => w.runId), successorOf.map((w) => w.successorOf),
    writes.flatMap((w) => w.jobs.map((j) => parentWakeUps(w, j))),
  ];
}

/**
 * Per write, what the statement did (from its result row): its outbox ids and jobs, or null when
 * its guard refused it, and the iterations it started. Iterations of one loop started by a batch
 * go to its writes in order (any write of that loop may take any of them: they are alike but for
 * their item).
 */
export function writtenTransitions(writes: readonly TransitionWrite[], written: TransitionRow | undefined): WrittenTransition[] {
  const applied = new Set(written?.applied ?? []);
  // Job ids are unique: they say whose outbox row each is.
  const outboxOfJob = new Map((written?.outbox_jobs ?? []).map((jobId, i) => [jobId, String(written!.outbox_ids[i])]));
  const started = new Map<string, SuccessorRow[]>();
  for (const r of written?.successors ?? []) started.set(r.parent_step_id, [...(started.get(r.parent_step_id) ?? []), r]);
  const result: WrittenTransition[] = writes.map((w) => {
    if (!applied.has(w.runId)) return { outboxIds: null, jobs: [], successors: [] as SuccessorRow[] };
    const mine = w.successorOf ? started.get(w.successorOf)?.splice(0, 1) : undefined;
    const jobs = w.jobs.filter((j) => outboxOfJob.has(j.jobId));
    return { outboxIds: jobs.map((j) => outboxOfJob.get(j.jobId)!), jobs, successors: mine ?? [] };
  });
  // Never expected (one per write asked for), but a started iteration must not go unwritten: the last writer of its loop takes it.
  for (const [stepId, left] of started) if (left.length > 0) result[writes.findLastIndex((w) => w.successorOf === stepId)]!.successors.push(...left);
  return result;
}

const TOUCH_RUN = `WITH run AS (UPDATE runs SET updated_at = now() WHERE id = $1), ob AS (${outboxInsertSql('$2', 3)}) SELECT id FROM ob`;

/**
 * Under the run lock, a transition that changed no state but has jobs (loop iterations started):
 * the jobs' outbox rows, and the run marked as moving so the reconciler does not take it for idle.
 */
export async function touchRun(q: Queryable, run: { id: string; orgId: string }, jobs: readonly JobEnvelope[]): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>({ name: 'weft_orch_touch_run', text: TOUCH_RUN, values: [run.id, run.orgId, ...outboxParams(jobs)] });
  return rows.map((r) => String(r.id));
}
