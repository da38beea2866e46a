import type { Db } from '@weft/db';
import type { RunStatus } from '@weft/workflow-schema';
import { notFound } from '../../errors';
import { page } from '../workflows/workflows.service';

/**
 * A run with its steps and logs, consistent with each other: the run row is read first (steps and
 * logs are at least as new as its `lastSeq`, so a live snapshot built from it never misses a
 * change after that seq), and read again if a transition committed meanwhile, so the status never
 * contradicts the steps (a run shown `failed` next to the step its retry just queued). Executors
 * move steps between transitions (running, succeeded): those may be newer than the run row.
 */
export async function getRun(db: Db, orgId: string, id: string) {
  for (let attempt = 1; ; attempt++) {
    const run = await db.prisma.run.findFirst({ where: { id, orgId } });
    if (!run) throw notFound('run', id);
    const [steps, logs] = await Promise.all([
      db.prisma.runStep.findMany({ where: { runId: id, orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      db.prisma.runLog.findMany({ where: { runId: id, orgId }, orderBy: { ts: 'asc' }, take: 1000 }),
    ]);
    const latest = await db.prisma.run.findFirst({ where: { id, orgId }, select: { lastSeq: true } });
    // A run that keeps moving (a wide fan-out settling) gets its newest read after a few tries.
    if (latest?.lastSeq === run.lastSeq || attempt === MAX_READS) return { run, steps, logs };
  }
}

const MAX_READS = 5;

export async function listRuns(db: Db, orgId: string, q: { limit: number; cursor?: string; workflowId?: string; status?: RunStatus }) {
  const items = await db.prisma.run.findMany({
    where: {
      orgId,
      // for_each iterations are runs of their own, shown inside their parent, not in the list.
      kind: 'run',
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.cursor ? { id: { lt: q.cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

export async function listRunEvents(db: Db, orgId: string, runId: string) {
  const run = await db.prisma.run.findFirst({ where: { id: runId, orgId }, select: { id: true } });
  if (!run) throw notFound('run', runId);
  return db.prisma.runEvent.findMany({ where: { runId, orgId }, orderBy: { seq: 'asc' } });
}
