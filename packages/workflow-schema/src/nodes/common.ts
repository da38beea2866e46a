import { z } from 'zod';

export const RetryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(100).describe('Total attempts, the first one included.'),
  backoff: z.enum(['exponential', 'fixed']).default('exponential'),
  initialDelayMs: z.number().int().min(0).max(3_600_000).default(1000),
  maxDelayMs: z.number().int().min(0).max(86_400_000).default(60_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

/** Options valid on every executable node. */
export const commonOptions = {
  retry: RetryPolicySchema.optional().describe('Retry policy for retryable errors.'),
  timeoutMs: z.number().int().positive().max(86_400_000).optional().describe('Step timeout in ms.'),
  join: z
    .enum(['all', 'any'])
    .optional()
    .describe('With several incoming edges: wait for all (default) or run on the first.'),
  continueOnFail: z
    .boolean()
    .optional()
    .describe('When the step fails after its retries, its output is the error ({ code, message, retryable, details }) and the run goes on along the normal edges. An `error` edge, if the node has one, is taken instead.'),
};

/** A string that may contain `{{ <JMESPath> }}` templates. */
export const templateString = () => z.string();

/** A JMESPath expression (syntax is checked by the engine when a version is published). */
export const expression = () => z.string().min(1);
