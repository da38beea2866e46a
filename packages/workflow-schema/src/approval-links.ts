import { z } from 'zod';
import { ProblemSchema } from './errors';

/**
 * Approve/reject links (docs/approvals.md): a waiting approval node with `notify` sends each
 * recipient two single-use links; these are the public routes' shapes.
 */

/** The token of a link: 43 base64url characters (32 random bytes); the server stores only its hash. */
export const ApprovalLinkTokenParamSchema = z.object({ token: z.string().min(1).max(200) });

/** What a link will do, shown before anything happens (a GET never decides: mail scanners prefetch links). */
export const ApprovalLinkViewSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  prompt: z.unknown().describe('The approval prompt, as rendered when the run reached the node.'),
  runId: z.string().uuid(),
  nodeId: z.string(),
  workflow: z.object({ id: z.string().uuid(), name: z.string() }),
  recipient: z.string().describe('Who the link was sent to: an email, or `slack` for a channel.'),
  expiresAt: z.string().datetime(),
});
export type ApprovalLinkView = z.infer<typeof ApprovalLinkViewSchema>;

export const DecideByLinkBodySchema = z.strictObject({
  payload: z.unknown().optional().describe('The approval output (as POST /v1/runs/:id/resume takes it).'),
  comment: z.string().max(2000).optional().describe('Recorded with the decision in the run events and the audit log.'),
});
export type DecideByLinkBody = z.infer<typeof DecideByLinkBodySchema>;

export const ApprovalLinkDecisionSchema = z.object({
  runId: z.string().uuid(),
  nodeId: z.string(),
  decision: z.enum(['approve', 'reject']),
  decidedBy: z.string(),
});
export type ApprovalLinkDecision = z.infer<typeof ApprovalLinkDecisionSchema>;

/** A link that does not act: the problem says why in `reason` (link_unknown, link_used, link_expired, approval_decided, recipient_unassigned). */
export const ApprovalLinkProblemSchema = ProblemSchema.extend({
  reason: z.enum(['link_unknown', 'link_used', 'link_expired', 'approval_decided', 'recipient_unassigned']).optional(),
});
