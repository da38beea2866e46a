import { z } from 'zod';
import { RoleSchema, roleCovers } from '../access';
import { commonOptions, expression, templateString } from './common';

export const TriggerConfigSchema = z.strictObject({
  inputSchema: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON Schema the run inputs must satisfy; failing inputs are rejected with 400.'),
});

export const TransformConfigSchema = z.strictObject({
  expression: expression().describe('JMESPath evaluated against the run context (or `input`).'),
  input: z.unknown().optional().describe('Template value; when given the expression runs against it.'),
  ...commonOptions,
});

export const HttpMethodSchema = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export const HttpRequestConfigSchema = z.strictObject({
  method: HttpMethodSchema.default('GET'),
  url: templateString().min(1).describe('http(s) URL; templates allowed.'),
  headers: z.record(z.string(), templateString()).optional(),
  query: z.record(z.string(), z.union([templateString(), z.number(), z.boolean()])).optional(),
  body: z.unknown().optional().describe('Body (strings inside may hold templates).'),
  bodyType: z
    .enum(['json', 'form', 'text'])
    .default('json')
    .describe('json: JSON-encoded; form: an object sent as application/x-www-form-urlencoded; text: sent as is.'),
  ...commonOptions,
});

export const BranchConfigSchema = z.strictObject({
  condition: expression().describe('JMESPath; truthy takes the `true` handle, else `false`.'),
  ...commonOptions,
});

export const DelayConfigSchema = z
  .strictObject({
    durationMs: z.number().int().min(0).max(365 * 86_400_000).optional(),
    until: templateString().optional().describe('ISO-8601 time; templates allowed.'),
    ...commonOptions,
  })
  .refine((c) => (c.durationMs === undefined) !== (c.until === undefined), {
    message: 'exactly one of durationMs or until is required',
  });

/** Who may resolve an approval: members of the org holding `role` (or a role above it), and/or these emails. */
export const ApprovalAssigneesSchema = z
  .strictObject({
    role: RoleSchema.optional().describe('Members (and keys) whose role holds every right of this one may decide.'),
    emails: z.array(z.string().trim().toLowerCase().email()).min(1).max(50).optional().describe('Signed-in members with one of these emails may decide.'),
  })
  .refine((a) => a.role !== undefined || a.emails !== undefined, { message: 'name a role, emails, or both' });

/**
 * Whether someone holding `role` (a member's or key's) or signed in as `email` is assigned: their
 * role holds every right of `assignees.role`, or their email is named (emails compare lower-cased).
 */
export function isApprovalAssignee(assignees: z.infer<typeof ApprovalAssigneesSchema>, who: { role?: string; email?: string }): boolean {
  if (assignees.role && who.role !== undefined && roleCovers(who.role, assignees.role)) return true;
  return who.email !== undefined && (assignees.emails?.includes(who.email.toLowerCase()) ?? false);
}

/** How long an emailed or posted approve/reject link works: 72 hours unless the node says, at most 30 days. */
export const DEFAULT_APPROVAL_LINK_TTL_MS = 72 * 3_600_000;
export const MAX_APPROVAL_LINK_TTL_MS = 30 * 86_400_000;

/** Who hears of a waiting approval, with signed single-use approve/reject links (docs/approvals.md). */
export const ApprovalNotifySchema = z.strictObject({
  email: z.boolean().optional().describe('Email each assignee: the named emails and every member holding the assigned role.'),
  slack: z
    .strictObject({ webhookUrl: templateString().min(1).describe('Incoming webhook URL of the Slack channel; use {{ secrets.NAME }}') })
    .optional()
    .describe('Post the prompt and the links to a Slack channel (an incoming webhook, as the Slack alert channel).'),
  linkTtlMs: z
    .number()
    .int()
    .min(60_000)
    .max(MAX_APPROVAL_LINK_TTL_MS)
    .optional()
    .describe('How long the links work (default 72 hours, at most 30 days).'),
});

export const WaitForApprovalConfigSchema = z
  .strictObject({
    prompt: templateString().min(1),
    timeoutMs: z.number().int().positive().optional().describe('After this the `rejected` path is taken.'),
    /** Absent: anyone who may resume runs (runs:write) decides. */
    assignees: ApprovalAssigneesSchema.optional().describe('Only these people decide (others get 403); absent: anyone with runs:write.'),
    notify: ApprovalNotifySchema.optional().describe('Send approve/reject links by email to the assignees and/or to a Slack channel.'),
    join: commonOptions.join,
  })
  .refine((c) => !c.notify?.email || c.assignees !== undefined, { message: 'email goes to the assignees: name assignees (a role or emails)', path: ['notify', 'email'] })
  .refine((c) => !c.notify || c.notify.email || c.notify.slack, { message: 'notify by email, slack, or both', path: ['notify'] });

export const SubWorkflowConfigSchema = z.strictObject({
  workflowId: z.string().uuid(),
  version: z.number().int().positive().optional(),
  input: z.unknown().optional(),
  ...commonOptions,
});

export const FunctionConfigSchema = z.strictObject({
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  ...commonOptions,
});

export const TerminateConfigSchema = z.strictObject({
  status: z.enum(['succeeded', 'failed']),
  message: templateString().optional(),
  join: commonOptions.join,
});

/** for_each's body is an inline graph; it is validated by the engine as its own graph. */
export const ForEachConfigSchema = z.strictObject({
  items: expression().describe('JMESPath giving the array to iterate.'),
  concurrency: z.number().int().min(1).max(1000).default(10),
  body: z.object({
    nodes: z.array(z.record(z.string(), z.unknown())),
    edges: z.array(z.record(z.string(), z.unknown())).default([]),
  }),
  ...commonOptions,
});
