import type { Db } from '@weft/db';
import { RUN_STEPS_CAP, type RunStatus, type TriggerType } from '@weft/workflow-schema';
import { notFound } from '../../errors';
import { page } from '../workflows/workflows.service';

/**
 * A run with its first RUN_STEPS_CAP steps and its logs, consistent with each other: the run row is
 * read first (steps and logs are at least as new as its `lastSeq`, so a live snapshot built from it
 * never misses a change after that seq), and read again if a transition committed meanwhile, so the
 * status never contradicts the steps (a run shown `failed` next to the step its retry just queued).
 * Executors move steps between transitions (running, succeeded): those may be newer than the run row.
 * Steps come in the order of GET /v1/runs/:id/steps (id: UUIDv7, creation order), so that the rest
 * continues after the last one; `stepsTotal` counts them all (only counted when there are more).
 */
export async function getRun(db: Db, orgId: string, id: string) {
  for (let attempt = 1; ; attempt++) {
    const run = await db.prisma.run.findFirst({ where: { id, orgId } });
    if (!run) throw notFound('run', id);
    const [steps, logs] = await Promise.all([
      db.prisma.runStep.findMany({ where: { runId: id, orgId }, orderBy: { id: 'asc' }, take: RUN_STEPS_CAP + 1 }),
      db.prisma.runLog.findMany({ where: { runId: id, orgId }, orderBy: { ts: 'asc' }, take: 1000 }),
    ]);
    const capped = steps.length > RUN_STEPS_CAP;
    const stepsTotal = capped ? await db.prisma.runStep.count({ where: { runId: id, orgId } }) : steps.length;
    if (capped) steps.length = RUN_STEPS_CAP;
    const latest = await db.prisma.run.findFirst({ where: { id, orgId }, select: { lastSeq: true } });
    // A run that keeps moving (a wide fan-out settling) gets its newest read after a few tries.
    if (latest?.lastSeq === run.lastSeq || attempt === MAX_READS) return { run, steps, logs, stepsTotal };
  }
}

const MAX_READS = 5;

export async function listRuns(db: Db, orgId: string, q: { limit: number; cursor?: string; workflowId?: string; status?: RunStatus; triggerType?: TriggerType }) {
  const items = await db.prisma.run.findMany({
    where: {
      orgId,
      // for_each iterations are runs of their own, shown inside their parent, not in the list.
      kind: 'run',
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.triggerType ? { triggerType: q.triggerType } : {}),
      ...(q.cursor ? { id: { lt: q.cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

async function assertRun(db: Db, orgId: string, runId: string) {
  const run = await db.prisma.run.findFirst({ where: { id: runId, orgId }, select: { id: true } });
  if (!run) throw notFound('run', runId);
}

/**
 * A page of a run's steps in id order (UUIDv7: creation order), after the step `cursor`. Keyset
 * pagination on the (run_id, id) index: every page costs the same, however deep.
 */
export async function listRunSteps(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string }) {
  await assertRun(db, orgId, runId);
  const items = await db.prisma.runStep.findMany({
    where: { runId, orgId, ...(q.cursor ? { id: { gt: q.cursor } } : {}) },
    orderBy: { id: 'asc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

/**
 * A page of a run's events in seq order, after the event whose seq is `cursor` (the (run_id, seq)
 * unique index). The cursor is that seq as text, so a client may also resume from any seq it holds.
 */
export async function listRunEvents(db: Db, orgId: string, runId: string, q: { limit: number; cursor?: string }) {
  await assertRun(db, orgId, runId);
  const items = await db.prisma.runEvent.findMany({
    where: { runId, orgId, ...(q.cursor ? { seq: { gt: Number(q.cursor) } } : {}) },
    orderBy: { seq: 'asc' },
    take: q.limit + 1,
  });
  const more = items.length > q.limit;
  if (more) items.length = q.limit;
  return { items, nextCursor: more ? String(items[items.length - 1]!.seq) : null };
}
