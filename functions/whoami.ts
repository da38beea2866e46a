import { defineFunction } from '@weft/functions';
import { z } from 'zod';

export default defineFunction({
  name: 'whoami',
  description: 'Answers whom the run acts for: its org and, when a signed-in user started it, the user (null for an API key, a webhook or a schedule).',
  args: z.object({}),
  handler: (_args, ctx) => ({ orgId: ctx.orgId, userId: ctx.userId }),
});
