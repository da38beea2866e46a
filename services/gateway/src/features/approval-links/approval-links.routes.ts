import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApprovalLinkDecisionSchema, ApprovalLinkProblemSchema, ApprovalLinkTokenParamSchema, ApprovalLinkViewSchema, DecideByLinkBodySchema, ProblemSchema } from '@weft/workflow-schema';
import type { Resources } from '../../resources';
import { bodyFieldWithinLimits } from '../runs/value-limits';
import { decideByLink, describeLink } from './approval-links.service';

const errors = { 400: ProblemSchema, 404: ApprovalLinkProblemSchema, 410: ApprovalLinkProblemSchema };

/**
 * The approve/reject links of approvals with `notify` (docs/approvals.md). Public: the token is the
 * credential (random, stored hashed, single-use, expiring), and public routes are rate-limited per
 * client address. A GET never decides; only the POST does.
 */
export const approvalLinkRoutes =
  (res: Resources): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/approval-links/:token', {
      config: { access: 'public' },
      schema: {
        tags: ['runs'],
        operationId: 'getApprovalLink',
        summary: 'What an approve/reject link will do (prompt, workflow, decision, expiry), without doing it',
        description: '400 for a string that is no link token, 404 for an unknown token, 410 (`reason`: link_used, link_expired, approval_decided, recipient_unassigned) for a link that no longer acts.',
        security: [],
        params: ApprovalLinkTokenParamSchema,
        response: { 200: ApprovalLinkViewSchema, ...errors },
      },
    }, async (req, reply) => reply.header('cache-control', 'no-store').send(await describeLink(res, req.params.token)));

    app.post('/v1/approval-links/:token', {
      config: { access: 'public' },
      preValidation: bodyFieldWithinLimits(res, 'payload', 'the approval payload'),
      schema: {
        tags: ['runs'],
        operationId: 'decideByApprovalLink',
        summary: "Take the link's decision (approve or reject) on the approval it was sent for (200)",
        description: 'The body may be left out. Every link of the approval stops working. 410 when the link was used, expired, or the approval was decided another way.',
        security: [],
        params: ApprovalLinkTokenParamSchema,
        body: DecideByLinkBodySchema.nullish(),
        response: { 200: ApprovalLinkDecisionSchema, ...errors },
      },
    }, async (req, reply) => reply.header('cache-control', 'no-store').send(await decideByLink(res, req.params.token, req.body ?? {})));
  };
