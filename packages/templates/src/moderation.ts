import type { ModerationAction, TemplateStatus } from '@weft/workflow-schema';

/** The state machine, as data: for each action, the statuses it may start from and the one it leads to. */
export const MODERATION_TRANSITIONS: Readonly<Record<ModerationAction, { from: readonly TemplateStatus[]; to: TemplateStatus }>> = {
  submit: { from: ['draft', 'rejected', 'unpublished', 'published'], to: 'pending' },
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  publish: { from: ['approved'], to: 'published' },
  unpublish: { from: ['published'], to: 'unpublished' },
};

/** The status `action` leads to from `status`, or undefined when the action is not allowed there. */
export function nextStatus(status: string, action: ModerationAction): TemplateStatus | undefined {
  const t = MODERATION_TRANSITIONS[action];
  return (t.from as readonly string[]).includes(status) ? t.to : undefined;
}
