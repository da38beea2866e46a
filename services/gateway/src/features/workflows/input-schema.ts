// The checks live in packages/input-schema (the webhooks service runs them too); this maps an
// unusable schema to the gateway's error.
import { UnusableInputSchema, triggerInputIssues } from '@weft/input-schema';
import type { Issue } from '@weft/workflow-schema';
import { AppError } from '../../errors';

export { checkInputSchema, triggerSchemas } from '@weft/input-schema';

/** triggerInputIssues, with an unusable schema as an `invalid_definition` AppError. */
export function triggerInputIssuesOrThrow(...args: Parameters<typeof triggerInputIssues>): Issue[] {
  try {
    return triggerInputIssues(...args);
  } catch (err) {
    if (err instanceof UnusableInputSchema) throw new AppError('invalid_definition', err.message, err.issues);
    throw err;
  }
}
