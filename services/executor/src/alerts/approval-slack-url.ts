import { TransportError } from '@weft/alerts';
import type { Keyring } from '@weft/crypto';
import { Budget, DEFAULT_LIMITS, renderTemplate } from '@weft/engine';
import type { ApprovalStepForLinks } from '@weft/run-store';
import type { Pool } from 'pg';
import { StepFailure } from '../errors';
import { resolveStepSecrets } from '../secrets/step-secrets';

/**
 * The Slack incoming-webhook URL of an approval's `notify.slack`: its `{{ secrets.NAME }}`
 * resolved for the step's org exactly as a slack_message step resolves it (the use is audited),
 * released at once. Refusals (a missing secret, a reshaped reference) cannot improve: not retryable.
 */
export async function approvalSlackUrl(deps: { pool: Pool; keyring: Keyring | undefined }, step: ApprovalStepForLinks, template: string): Promise<string> {
  const config = { webhookUrl: template };
  try {
    const secrets = await resolveStepSecrets(deps, { org_id: step.orgId, run_id: step.runId, id: step.stepId, node_id: step.nodeId }, config);
    try {
      const url = renderTemplate(template, { input: null, steps: {}, run: { id: step.runId, workflowId: step.workflowId }, ...(secrets.values ? { secrets: secrets.values } : {}) }, new Budget(DEFAULT_LIMITS));
      if (typeof url !== 'string' || !url) throw new TransportError('the Slack webhook URL of notify.slack is empty', false);
      return url;
    } finally {
      secrets.release();
    }
  } catch (err) {
    if (err instanceof StepFailure) throw new TransportError(`${err.code}: ${err.message}`, err.retryable);
    throw err;
  }
}
