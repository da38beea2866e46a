import { runWithDefinition, rows, type Queryable } from '@weft/run-store';
import { ApprovalAssigneesSchema, isApprovalAssignee } from '@weft/workflow-schema';
import type { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { AppError, notFound } from '../../errors';
import { nodesAt } from './run-graph';

type Assignees = z.infer<typeof ApprovalAssigneesSchema>;

/**
 * Refuses (403) a caller who is not assigned to approval `nodeId` of the run, when the node names
 * assignees (published configs were validated: a config that no longer parses assigns nobody).
 * Assigned: a caller whose role holds every right of `assignees.role`, or a signed-in user whose
 * email is in `assignees.emails`. An API key has no email: only the role lets it decide.
 * A run of another org is a 404; a node that is not there is left to the resolution to explain.
 */
export async function checkApprovalAssignee(q: Queryable, caller: Principal, runId: string, nodeId: string): Promise<void> {
  const run = await runWithDefinition(q, caller.orgId, runId);
  if (!run) throw notFound('run', runId);
  const node = nodesAt(run.definition, run.bodyPath).find((n) => n.id === nodeId);
  if (node?.type !== 'wait_for_approval' || node.config?.assignees === undefined) return;
  const parsed = ApprovalAssigneesSchema.safeParse(node.config.assignees);
  const assignees: Assignees = parsed.success ? parsed.data : {};
  if (isApprovalAssignee(assignees, { role: caller.role })) return;
  if (assignees.emails && caller.kind === 'session') {
    const [user] = await rows<{ email: string }>(q, `SELECT email FROM users WHERE id = $1`, [caller.userId]);
    if (user && isApprovalAssignee(assignees, { email: user.email })) return;
  }
  const who = [assignees.role ? `members with the role "${assignees.role}" or above` : '', assignees.emails ? `${assignees.emails.length} named member(s)` : ''].filter(Boolean).join(' and ');
  throw new AppError('forbidden', `approval "${nodeId}" is assigned to ${who || 'nobody'}: you are not one of them`);
}
