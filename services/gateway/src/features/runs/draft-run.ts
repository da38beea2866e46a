import { newId } from '@weft/db';
import { pinnableOutputs } from '@weft/run-store';
import { roleCan, type CreateRunBody, type WorkflowDefinition } from '@weft/workflow-schema';
import { principalRef, type Principal } from '../../auth/api-keys';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { secretUseRefusal } from '../workflows/secret-use';
import { getWorkflow, validateForOrg } from '../workflows/workflows.service';
import type { CachedVersion } from './version-cache';

/** What a test run of the draft runs: a snapshot of the draft (never a listed version), and the pinned outputs. */
export interface DraftRun {
  version: CachedVersion;
  pinnedOutputsJson: string | null;
}

/**
 * Prepares a test run of the workflow's current draft (`POST /v1/runs { workflowId, draft: true }`):
 * it needs `workflows:write` (running an unpublished definition is editing it), the draft must be
 * valid as a version would have to be, and it is stored as a snapshot row without a version number
 * (so no version is published and `latestVersion` does not move). `pinFrom` copies the outputs of
 * chosen nodes from an earlier run of the same workflow: those nodes are not executed.
 */
export async function prepareDraftRun(res: Resources, caller: Principal, body: CreateRunBody): Promise<DraftRun> {
  if (!roleCan(caller.role, 'workflows:write')) {
    throw new AppError('forbidden', `a test run of the draft needs the permission workflows:write, which the role ${caller.role} does not grant`);
  }
  const workflow = await getWorkflow(res.db, caller.orgId, body.workflowId!);
  const draft = workflow.draft as Record<string, unknown>;
  const refusal = secretUseRefusal(caller.role, draft);
  if (refusal) throw refusal;
  const check = await validateForOrg(res.db, caller.orgId, draft);
  if (!check.valid) {
    throw new AppError('invalid_definition', `the draft has ${check.errors.length} problem(s): ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, check.errors);
  }
  const pinned = body.pinFrom ? await pinnedOutputs(res, caller.orgId, workflow.id, body.pinFrom) : null;
  const snapshot = await res.db.prisma.workflowVersion.create({
    data: { id: newId(), orgId: caller.orgId, workflowId: workflow.id, version: null, definition: check.normalized as object, publishedBy: principalRef(caller) },
  });
  return {
    version: { id: snapshot.id, workflow_id: workflow.id, definition: check.normalized as WorkflowDefinition },
    pinnedOutputsJson: pinned ? JSON.stringify(pinned) : null,
  };
}

async function pinnedOutputs(res: Resources, orgId: string, workflowId: string, pin: NonNullable<CreateRunBody['pinFrom']>) {
  const outputs = await pinnableOutputs(res.db.pool, orgId, workflowId, pin.runId, pin.nodeIds);
  if (!outputs) throw notFound(`run of workflow ${workflowId}`, pin.runId);
  const missing = pin.nodeIds.flatMap((id, i) => (Object.hasOwn(outputs, id) ? [] : [{ path: `body.pinFrom.nodeIds[${i}]`, code: 'no_output', message: `node "${id}" has no output in run ${pin.runId}`, nodeId: id }]));
  if (missing.length) throw new AppError('validation_failed', missing.map((m) => m.message).join('; '), missing);
  return outputs;
}
