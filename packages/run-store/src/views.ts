import type { Db, Run, RunEvent, RunLog, RunStep } from '@weft/db';
import { searchRunIds } from './run-search';
import { RUN_STEPS_CAP, RunStatusSchema, TERMINAL_STEP_STATUSES, typesOfKind, type RunStatus, type TriggerType } from '@weft/workflow-schema';

const RUN_STATUSES = RunStatusSchema.options;

/**
 * What the API shows of runs: snapshots and keyset pages, read through Prisma (typed rows of the
 * schema). Every read is scoped to the org it is given; `undefined` means "not the org's run".
 */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The first `limit` of `items` (read with one more to know whether there is a next page), cursor after the last. */
function pageOf<T>(items: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const more = items.length > limit;
  if (more) items.length = limit;
  return { items, nextCursor: more ? cursorOf(items[items.length - 1]!) : null };
}

export interface RunSnapshot {
  run: Run;
  /** The first RUN_STEPS_CAP steps, in creation order. */
  steps: RunStep[];
  logs: RunLog[];
  /** Every step of the run (counted only when there are more than `steps`). */
  stepsTotal: number;
}

/** The log lines a snapshot carries (the first ones, in the order they were said); `logPage` pages them all. */
export const RUN_LOGS_CAP = 1000;

/** How many times a snapshot of a run that keeps moving is read again before the last read is kept. */
const MAX_READS = 5;

/**
 * A run with its first RUN_STEPS_CAP steps and its logs, consistent with each other: the run row is
 * read first (steps and logs are at least as new as its `lastSeq`, so a live snapshot built from it
 * never misses a change after that seq), and read again if a transition committed meanwhile, so the
 * status never contradicts the steps (a run shown `failed` next to the step its retry just queued).
 * Executors move steps between transitions (running, succeeded): those may be newer than the run row.
 * Steps come in the order of `stepPage` (id: UUIDv7, creation order), so that the rest continues
 * after the last one.
 */
export async function runSnapshot(db: Db, orgId: string, id: string): Promise<RunSnapshot | undefined> {
  for (let attempt = 1; ; attempt++) {
    const run = await db.prisma.run.findFirst({ where: { id, orgId } });
    if (!run) return undefined;
    const [steps, logs] = await Promise.all([
      db.prisma.runStep.findMany({ where: { runId: id, orgId }, orderBy: { id: 'asc' }, take: RUN_STEPS_CAP + 1 }),
      db.prisma.runLog.findMany({ where: { runId: id, orgId }, orderBy: { id: 'asc' }, take: RUN_LOGS_CAP }),
    ]);
    const capped = steps.length > RUN_STEPS_CAP;
    const stepsTotal = capped ? await db.prisma.runStep.count({ where: { runId: id, orgId } }) : steps.length;
    if (capped) steps.length = RUN_STEPS_CAP;
    // A run that keeps moving (a wide fan-out settling) gets its newest read after a few tries.
    if ((await runLastSeq(db, orgId, id)) === run.lastSeq || attempt === MAX_READS) return { run, steps: await withLiveItemCounts(db, orgId, steps), logs, stepsTotal };
  }
}

const LOOP_TYPES: ReadonlySet<string> = typesOfKind('loop');

/**
 * The steps, with the item counters of their running loops counted now from the iteration runs
 * (one GROUP BY over the (parent_step_id, status) index), by the parent's rule (`lockRunningLoops`):
 * started = total − pending, done = total − pending − active, failed = failed or cancelled. The
 * loop step's row has them as its parent last counted them, and the parent is not woken by the
 * items that hand their slots on to the next one (it counts them all when the chain ends).
 */
export async function withLiveItemCounts(db: Db, orgId: string, steps: RunStep[]): Promise<RunStep[]> {
  const running = steps.filter((s) => LOOP_TYPES.has(s.nodeType) && s.status === 'running');
  if (running.length === 0) return steps;
  const groups = await db.prisma.run.groupBy({
    by: ['parentStepId', 'status'],
    where: { orgId, parentStepId: { in: running.map((s) => s.id) } },
    _count: { _all: true },
  });
  const counted = new Map<string, { pending: number; active: number; failed: number }>();
  for (const g of groups) {
    const c = counted.get(g.parentStepId!) ?? counted.set(g.parentStepId!, { pending: 0, active: 0, failed: 0 }).get(g.parentStepId!)!;
    if (g.status === 'pending') c.pending += g._count._all;
    else if (g.status === 'queued' || g.status === 'running' || g.status === 'waiting') c.active += g._count._all;
    else if (g.status === 'failed' || g.status === 'cancelled') c.failed += g._count._all;
  }
  return steps.map((s) => {
    const c = counted.get(s.id);
    return c ? { ...s, itemsStarted: s.itemsTotal - c.pending, itemsDone: s.itemsTotal - c.pending - c.active, itemsFailed: c.failed } : s;
  });
}

/** The seq of the run's last event (0 when it is not the org's run). */
export async function runLastSeq(db: Db, orgId: string, runId: string): Promise<number> {
  return (await db.prisma.run.findFirst({ where: { id: runId, orgId }, select: { lastSeq: true } }))?.lastSeq ?? 0;
}

/** A range of run creation times: `since` inclusive, `until` exclusive (ISO-8601). */
export interface TimeRange {
  since?: string | undefined;
  until?: string | undefined;
}

/** The smallest UUIDv7 of the millisecond `iso`: every id made at or after it sorts at or after it. */
export function idFloorAt(iso: string): string {
  const hex = Math.max(0, new Date(iso).getTime()).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}

/**
 * The ids of runs created in the range (and before the cursor, on a newest-first page). Run ids
 * are UUIDv7, so a time range is an id range: every list index ends with `id`, and the range stays
 * on the same index as the other filters instead of filtering `created_at` row by row.
 */
export function idRange(q: TimeRange, before?: string): { gte?: string; lt?: string } {
  const uppers = [before, q.until && idFloorAt(q.until)].filter((x): x is string => !!x).sort();
  return { ...(q.since ? { gte: idFloorAt(q.since) } : {}), ...(uppers[0] ? { lt: uppers[0] } : {}) };
}

/**
 * How many of the org's top-level runs of each status were created in the range (of one workflow
 * when given): one GROUP BY over the (org_id, id) or (org_id, workflow_id, id) index range.
 */
export async function runCounts(db: Db, orgId: string, q: TimeRange & { workflowId?: string | undefined }): Promise<Record<RunStatus, number>> {
  const groups = await db.prisma.run.groupBy({
    by: ['status'],
    where: { orgId, kind: 'run', ...(q.workflowId ? { workflowId: q.workflowId } : {}), id: idRange(q) },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const g of groups) if (g.status in counts) counts[g.status as RunStatus] = g._count._all;
  return counts;
}

/** A page of the org's top-level runs, newest first (for_each iterations are shown inside their parent). */
export async function runPage(
  db: Db,
  orgId: string,
  q: {
    limit: number;
    cursor?: string | undefined;
    workflowId?: string | undefined;
    status?: RunStatus | undefined;
    triggerType?: TriggerType | undefined;
    /** Text searched in the error messages (see searchRunIds). */
    q?: string | undefined;
    /** true: only test runs (drafts run from the studio); false: none of them. */
    test?: boolean | undefined;
  } & TimeRange,
): Promise<Page<Run>> {
  const filters = {
    ...(q.workflowId ? { workflowId: q.workflowId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.triggerType ? { triggerType: q.triggerType } : {}),
  };
  const testFilter = q.test !== undefined ? { test: q.test } : {};
  const id = idRange(q, q.cursor);
  let items: Run[];
  if (q.q) {
    // The ids from the search indexes, then the rows by primary key (at most limit + 1).
    // The search applies every filter before its limit: a page is short only when the runs are.
    const ids = await searchRunIds(db, orgId, { ...filters, ...testFilter, q: q.q, limit: q.limit + 1, id });
    items = ids.length ? await db.prisma.run.findMany({ where: { orgId, id: { in: ids } }, orderBy: { id: 'desc' } }) : [];
  } else {
    items = await db.prisma.run.findMany({ where: { orgId, kind: 'run', ...filters, ...testFilter, id }, orderBy: { id: 'desc' }, take: q.limit + 1 });
  }
  return pageOf(items, q.limit, (r) => r.id);
}

async function isOrgRun(db: Db, orgId: string, runId: string): Promise<boolean> {
  return (await db.prisma.run.findFirst({ where: { id: runId, orgId }, select: { id: true } })) !== null;
}

/**
 * A page of a run's steps in id order (UUIDv7: creation order), after the step `cursor`. Keyset
 * pagination on the (run_id, id) index: every page costs the same, however deep.
 */
export async function stepPage(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<RunStep> | undefined> {
  if (!(await isOrgRun(db, orgId, runId))) return undefined;
  const items = await db.prisma.runStep.findMany({
    where: { runId, orgId, ...(q.cursor ? { id: { gt: q.cursor } } : {}) },
    orderBy: { id: 'asc' },
    take: q.limit + 1,
  });
  const page = pageOf(items, q.limit, (s) => s.id);
  return { ...page, items: await withLiveItemCounts(db, orgId, page.items) };
}

/**
 * A page of a run's log lines in id order (UUIDv7 made when the line was said), after the line
 * `cursor`: keyset pagination on the (run_id, id) index.
 */
export async function logPage(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<RunLog> | undefined> {
  if (!(await isOrgRun(db, orgId, runId))) return undefined;
  const items = await db.prisma.runLog.findMany({
    where: { runId, orgId, ...(q.cursor ? { id: { gt: q.cursor } } : {}) },
    orderBy: { id: 'asc' },
    take: q.limit + 1,
  });
  return pageOf(items, q.limit, (l) => l.id);
}

/**
 * A page of a run's events in seq order, after the event whose seq is `cursor` (the (run_id, seq)
 * unique index). The cursor is that seq as text, so a client may also resume from any seq it holds.
 */
export async function eventPage(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<RunEvent> | undefined> {
  if (!(await isOrgRun(db, orgId, runId))) return undefined;
  const items = await db.prisma.runEvent.findMany({
    where: { runId, orgId, ...(q.cursor ? { seq: { gt: Number(q.cursor) } } : {}) },
    orderBy: { seq: 'asc' },
    take: q.limit + 1,
  });
  return pageOf(items, q.limit, (e) => String(e.seq));
}

/** The run's events after `afterSeq` (up to `untilSeq`), in seq order, at most 10,000: what a live client missed. */
export async function eventsAfter(db: Db, orgId: string, runId: string, afterSeq: number, untilSeq?: number): Promise<RunEvent[]> {
  return db.prisma.runEvent.findMany({
    where: { runId, orgId, seq: { gt: afterSeq, ...(untilSeq === undefined ? {} : { lte: untilSeq }) } },
    orderBy: { seq: 'asc' },
    take: 10_000,
  });
}

/** The ids of the run's steps that ended. */
export async function endedStepIds(db: Db, orgId: string, runId: string): Promise<string[]> {
  const ended = await db.prisma.runStep.findMany({ where: { runId, orgId, status: { in: [...TERMINAL_STEP_STATUSES] } }, select: { id: true } });
  return ended.map((s) => s.id);
}
