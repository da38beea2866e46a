import type { Db, Run } from '@weft/db';
import { RunStatusSchema, type RunStatus } from '@weft/workflow-schema';

/** One item of a for_each step: the iteration run that ran the loop's body for it. */
export interface IterationPage {
  items: Run[];
  /** The item index the next page starts after; null on the last page. */
  nextCursor: string | null;
  /** Every iteration of the step by status (all pages). */
  counts: Record<RunStatus, number>;
  /** How many items the step has (started or not). */
  itemsTotal: number;
}

/**
 * The iteration runs of a for_each step of the org's run `runId`, in item order (keyset on the
 * (parent_step_id, status, item_index) index's leading column, then item_index), with their
 * counts by status. Undefined when the run is not the org's or the step is not one of its steps.
 * A loop whose pure body ran in place has no iteration runs: an empty page, its total from the step.
 */
export async function iterationPage(db: Db, orgId: string, runId: string, stepId: string, q: { limit: number; cursor?: number | undefined; status?: RunStatus | undefined }): Promise<IterationPage | undefined> {
  const step = await db.prisma.runStep.findFirst({ where: { id: stepId, runId, orgId }, select: { itemsTotal: true } });
  if (!step) return undefined;
  const where = { orgId, parentStepId: stepId, kind: 'iteration' };
  const [rows, groups] = await Promise.all([
    db.prisma.run.findMany({
      where: { ...where, ...(q.status ? { status: q.status } : {}), ...(q.cursor !== undefined ? { itemIndex: { gt: q.cursor } } : {}) },
      orderBy: { itemIndex: 'asc' },
      take: q.limit + 1,
    }),
    db.prisma.run.groupBy({ by: ['status'], where, _count: { _all: true } }),
  ]);
  const more = rows.length > q.limit;
  if (more) rows.length = q.limit;
  const counts = Object.fromEntries(RunStatusSchema.options.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const g of groups) if (g.status in counts) counts[g.status as RunStatus] = g._count._all;
  return { items: rows, nextCursor: more ? String(rows.at(-1)!.itemIndex) : null, counts, itemsTotal: step.itemsTotal };
}
