import { z } from 'zod';

/**
 * The inputs of a run of a workflow's `settings.errorWorkflowId`: the summary of the run that
 * failed. Started by the orchestrator in the transaction that records the failure.
 */
export const ErrorRunInputsSchema = z.object({
  runId: z.string().uuid(),
  workflowId: z.string().uuid(),
  workflowVersionId: z.string().uuid(),
  /** The failed run's error, as stored on the run (`{ code, message, nodeId? }`). */
  error: z.object({ code: z.string(), message: z.string(), nodeId: z.string().optional() }).loose(),
  /** The node whose failure ended the run, when one did. */
  failedNodeId: z.string().optional(),
  startedAt: z.string().nullable(),
  /** When the failure was recorded. */
  finishedAt: z.string(),
});
export type ErrorRunInputs = z.infer<typeof ErrorRunInputsSchema>;
