import { z } from 'zod';

/**
 * Queue payloads carry ids only: never configs, inputs, outputs or secrets (BullMQ keeps job
 * data in clear text in Redis). Everything else is loaded from Postgres by the consumer.
 */
export const ExecuteStepJobSchema = z.object({
  stepId: z.string().uuid(),
  runId: z.string().uuid(),
});
export type ExecuteStepJob = z.infer<typeof ExecuteStepJobSchema>;

export const AdvanceRunJobSchema = z.object({
  runId: z.string().uuid(),
});
export type AdvanceRunJob = z.infer<typeof AdvanceRunJobSchema>;
