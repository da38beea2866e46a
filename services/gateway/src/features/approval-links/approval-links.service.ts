import { hashLinkToken, isLinkToken } from '@weft/alerts';
import { asMaintenance, withOrg } from '@weft/db';
import { approvalStepForLinks, publishOutbox, resolveApproval, rows, withTx, type ApprovalStepForLinks, type Queryable } from '@weft/run-store';
import { ApprovalAssigneesSchema, isApprovalAssignee, type ApprovalLinkDecision, type ApprovalLinkView, type DecideByLinkBody } from '@weft/workflow-schema';
import { AppError } from '../../errors';
import type { Resources } from '../../resources';
import { writeAudit } from '../audit/audit-writer';
import { storableJson } from '../runs/value-limits';

interface LinkRow {
  id: string;
  org_id: string;
  step_id: string;
  recipient: string;
  decision: 'approve' | 'reject';
  expires_at: Date;
  used_at: Date | null;
}

/** Why a link no longer acts: a problem naming it (`reason`), 410 for a link that existed. */
const gone = (reason: 'link_used' | 'link_expired' | 'approval_decided' | 'recipient_unassigned', detail: string) => new AppError('gone', detail, undefined, { extensions: { reason } });

const LINK_COLUMNS = `id, org_id, step_id, recipient, decision, expires_at, used_at`;

/**
 * The link a token names, and its approval step, checked: 400 for a string that is no token
 * (a mangled link), 404 for a token nobody issued (tampered, or of a deleted run), 410 for a used
 * or expired link and for an approval no longer waiting (decided by any link, the inbox or the
 * API; timed out; cancelled). Read across orgs by the token's hash alone: the row tells the org.
 */
async function liveLink(q: Queryable, token: string, opts: { lock?: boolean } = {}): Promise<{ link: LinkRow; step: ApprovalStepForLinks }> {
  if (!isLinkToken(token)) {
    throw new AppError('validation_failed', 'this is not an approval link token (43 base64url characters): was the link cut or changed?', [
      { path: 'params.token', code: 'invalid_link', message: 'not an approval link token' },
    ]);
  }
  const [link] = await rows<LinkRow>(q, `SELECT ${LINK_COLUMNS} FROM approval_links WHERE token_hash = $1${opts.lock ? ' FOR UPDATE' : ''}`, [hashLinkToken(token)]);
  if (!link) throw new AppError('not_found', 'no approval link has this token (it may have been changed, or its run deleted)', undefined, { extensions: { reason: 'link_unknown' } });
  if (link.used_at) throw gone('link_used', `this link was already used (${link.used_at.toISOString()}): a link works once`);
  if (link.expires_at.getTime() <= Date.now()) throw gone('link_expired', `this link expired at ${link.expires_at.toISOString()}`);
  const step = await approvalStepForLinks(q, link.step_id);
  if (!step) throw new AppError('not_found', 'the run of this link no longer exists', undefined, { extensions: { reason: 'link_unknown' } });
  if (step.status !== 'waiting' || step.cancelRequested) {
    const outcome = step.cancelRequested ? 'its run was cancelled' : step.status === 'succeeded' ? 'it was decided already' : `its step is ${step.status}`;
    throw gone('approval_decided', `this approval no longer waits for a decision: ${outcome}`);
  }
  if (!(await stillAssigned(q, link, step))) {
    throw gone('recipient_unassigned', `${link.recipient} is no longer assigned to this approval (not named by the node, and no longer a member with its role): the link does not act`);
  }
  return { link, step };
}

/**
 * Whether an emailed link's recipient may still decide, as at the time it was sent: named in the
 * node's `assignees.emails`, or a member of the run's org whose role covers `assignees.role` (a
 * member removed or demoted since loses the links they were sent). A Slack link is the channel's.
 */
async function stillAssigned(q: Queryable, link: LinkRow, step: ApprovalStepForLinks): Promise<boolean> {
  if (link.recipient === 'slack') return true;
  const parsed = ApprovalAssigneesSchema.safeParse(step.input?.assignees);
  if (!parsed.success) return false;
  if (isApprovalAssignee(parsed.data, { email: link.recipient })) return true;
  if (!parsed.data.role) return false;
  const [member] = await rows<{ role: string }>(
    q,
    `SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND lower(u.email) = $2`,
    [step.orgId, link.recipient.toLowerCase()],
  );
  return member !== undefined && isApprovalAssignee(parsed.data, { role: member.role });
}

/** What a link will do, without doing it (GET: mail scanners and link previews fetch links). */
export async function describeLink(res: Resources, token: string): Promise<ApprovalLinkView> {
  const { link, step } = await asMaintenance(() => liveLink(res.db.pool, token));
  return {
    decision: link.decision,
    prompt: step.input?.prompt ?? null,
    runId: step.runId,
    nodeId: step.nodeId,
    workflow: { id: step.workflowId, name: step.workflowName },
    recipient: link.recipient,
    expiresAt: link.expires_at.toISOString(),
  };
}

/**
 * Decides the approval with the link's decision, in one transaction of the link's org: the link
 * row is locked and checked again, the approval resolved as POST /v1/runs/:id/resume resolves it
 * (who decided: `link:<recipient>`, which the run's `approval.resolved` event carries), the link
 * spent (the step's other links stop with its wait), and the audit row written; the orchestrator's wake-up is published
 * after the commit. A race with another decision ends in a 410 and changes nothing.
 */
export async function decideByLink(res: Resources, token: string, body: DecideByLinkBody): Promise<ApprovalLinkDecision> {
  const payload = body.payload === undefined || body.payload === null ? null : storableJson(res, body.payload, 'body.payload', 'the approval payload');
  const { link: found } = await asMaintenance(() => liveLink(res.db.pool, token));
  const decidedBy = `link:${found.recipient}`;
  const result = await withOrg(found.org_id, () =>
    withTx(res.db.pool, async (c) => {
      const { link, step } = await liveLink(c, token, { lock: true });
      const resolved = await resolveApproval(c, { orgId: link.org_id, runId: step.runId, nodeId: step.nodeId, decision: link.decision, payloadJson: payload, keyId: decidedBy });
      if (!resolved.stepIds.includes(step.stepId)) throw gone('approval_decided', 'this approval no longer waits for a decision: it was decided already');
      // This link is spent; the step's other links die with the step's wait (liveLink's check).
      await c.query(`UPDATE approval_links SET used_at = now() WHERE org_id = $1 AND id = $2`, [link.org_id, link.id]);
      await writeAudit(c, {
        orgId: link.org_id, actorType: 'approval_link', actorId: link.id,
        action: link.decision === 'approve' ? 'run.approved' : 'run.rejected', targetType: 'run', targetId: step.runId,
        data: { nodeId: step.nodeId, stepId: step.stepId, recipient: link.recipient, ...(body.comment ? { comment: body.comment } : {}) },
      });
      return { ...resolved, decision: { runId: step.runId, nodeId: step.nodeId, decision: link.decision, decidedBy } };
    }),
  );
  await publishOutbox(res.db.pool, res.queues, result.ids, result.jobs, res.logger);
  return result.decision;
}
