import { z } from 'zod';
import { ListQuerySchema, listOf } from './api';

/** `GET /v1/approvals`: pages of the org's waiting runs, newest first; `cursor` is the last run's id of the previous page. */
export const WaitingApprovalsQuerySchema = ListQuerySchema;

/** One approval a run waits on: the node to resume (POST /v1/runs/{runId}/resume) and its rendered prompt. */
export const WaitingApprovalSchema = z.object({
  runId: z.string().uuid(),
  workflowId: z.string().uuid(),
  nodeId: z.string(),
  prompt: z.string(),
  since: z.string().nullable().describe('When the step started waiting (ISO-8601)'),
});
export type WaitingApprovalItem = z.infer<typeof WaitingApprovalSchema>;

/** The approvals of a page of waiting runs (a run waiting on a delay has none; a run may wait on several). */
export const WaitingApprovalsAnswerSchema = listOf(WaitingApprovalSchema).describe(
  'The approvals of up to `limit` waiting runs, newest run first; `nextCursor` pages through older waiting runs.',
);
