import type { Db } from '@weft/db';
import { diffWorkflows } from '@weft/workflow-diff';
import type { Principal } from '../../auth/api-keys';
import { notFound } from '../../errors';
import { getWorkflow, publishVersion } from './workflows.service';

type Side = 'draft' | number;

/** The definition of one side of a diff: a published version of the workflow, or its draft. */
async function definitionOf(db: Db, orgId: string, workflowId: string, side: Side, draft: unknown): Promise<unknown> {
  if (side === 'draft') return draft;
  const v = await db.prisma.workflowVersion.findFirst({ where: { orgId, workflowId, version: side }, select: { definition: true } });
  if (!v) throw notFound(`version ${side} of workflow`, workflowId);
  return v.definition;
}

/** The semantic diff between two versions of a workflow (or a version and the draft). */
export async function diffVersions(db: Db, orgId: string, workflowId: string, from: Side, to: Side) {
  const w = await getWorkflow(db, orgId, workflowId);
  const [a, b] = await Promise.all([definitionOf(db, orgId, workflowId, from, w.draft), definitionOf(db, orgId, workflowId, to, w.draft)]);
  return { from, to, ...diffWorkflows(a, b) };
}

/**
 * Rolls back: publishes the definition of an older version again as a NEW version (history only
 * grows; runs of the versions in between keep naming them). The draft is left as it is.
 */
export async function rollback(db: Db, caller: Principal, workflowId: string, version: number) {
  await getWorkflow(db, caller.orgId, workflowId);
  const old = await definitionOf(db, caller.orgId, workflowId, version, null);
  return publishVersion(db, caller, workflowId, old as Record<string, unknown>);
}
