import { z } from 'zod';

/** One precise problem: where (path, node) and what (code, message). Named (`id`): one component in the API description. */
export const IssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
}).meta({ id: 'Issue' });
export type Issue = z.infer<typeof IssueSchema>;

/** RFC 9457 problem details, as every error answer of the API. Named (`id`): every error answer refers to one component. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(IssueSchema).optional(),
}).meta({ id: 'Problem', description: 'RFC 9457 problem details (served as application/problem+json)' });
export type Problem = z.infer<typeof ProblemSchema>;

/** A step's error as stored and shown. `retryable` decides whether a retry policy applies. */
export const StepErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type StepError = z.infer<typeof StepErrorSchema>;
