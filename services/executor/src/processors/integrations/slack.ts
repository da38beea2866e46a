import { renderTemplate } from '@weft/engine';
import { StepFailure } from '../../errors';
import type { StepHttpClient } from '../../http/client';
import { assertOk } from '../http-request';
import type { NodeProcessor } from '../types';
import { join, optionalText, text } from './render';

/** Slack errors that a retry cannot fix (https://api.slack.com/methods/chat.postMessage#errors). */
const RETRYABLE_SLACK_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * slack_message: an incoming webhook (answers `ok` as text, errors as text with 4xx) or
 * chat.postMessage with a bot token or a Slack connection's token (answers 200 `{ ok: false, error }` on failure).
 */
export function slackMessage(http: StepHttpClient, apiUrl: string): NodeProcessor<'slack_message'> {
  return async ({ config, context, budget, signal, ids, connection }) => {
    const message = { text: text(config, 'text', context, budget), ...(config.blocks ? { blocks: renderTemplate(config.blocks, context, budget) } : {}) };
    const webhookUrl = optionalText(config, 'webhookUrl', context, budget);
    if (webhookUrl) {
      const res = await http.send({ orgId: ids.orgId, method: 'POST', url: webhookUrl, headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal });
      assertOk(res, 'hooks.slack.com', (b) => (typeof b === 'string' ? b : undefined));
      return { ok: true };
    }
    const res = await http.send({
      orgId: ids.orgId,
      method: 'POST',
      url: join(apiUrl, 'chat.postMessage'),
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${connection?.accessToken ?? text(config, 'token', context, budget)}` },
      body: JSON.stringify({ channel: text(config, 'channel', context, budget), ...message }),
      signal,
    });
    assertOk(res, 'slack.com');
    const body = (res.body ?? {}) as { ok?: boolean; error?: string; channel?: string; ts?: string };
    if (!body.ok) {
      const code = body.error ?? 'unknown_error';
      throw new StepFailure('slack_error', `Slack chat.postMessage failed: ${code}`, RETRYABLE_SLACK_ERRORS.has(code), { error: code });
    }
    return { ok: true, channel: body.channel, ts: body.ts };
  };
}
