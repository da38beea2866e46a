import type { StarterTemplate } from './types';

export const signedWebhookRelay: StarterTemplate = {
  slug: 'signed-webhook-relay',
  name: 'Signed webhook relay',
  summary: 'Receives a GitHub-signed webhook and relays a trimmed event to your endpoint, signed per Standard Webhooks.',
  readme: '# Signed webhook relay\n\nAdd a webhook with the `github` scheme and append `?target=<your endpoint URL>` to its URL. Each delivery is reduced to `{ event, action, repository, sender }` and POSTed to the target with `webhook-id`, `webhook-timestamp` and `webhook-signature` headers (HMAC-SHA256 with your `whsec_` secret), retried on 5xx with the same `webhook-id`.\n\nCredentials: `RELAY_SIGNING_SECRET` (`whsec_…`).',
  tags: ['webhook', 'github', 'relay'],
  category: 'engineering',
  services: ['GitHub (webhook)', 'your endpoint (signed webhook)'],
  credentials: { RELAY_SIGNING_SECRET: { description: 'Standard Webhooks signing secret (whsec_…)', kind: 'webhook_secret' } },
  trigger: { kind: 'webhook', scheme: 'github' },
  sampleInputs: { action: 'created', repository: { full_name: 'o/r' }, sender: { login: 'octocat' } },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
      { id: 'relay', type: 'webhook_out', name: 'Relay', position: { x: 300, y: 0 }, config: { url: '{{ input.query.target }}', secret: '{{ secrets.RELAY_SIGNING_SECRET }}', payload: { event: '{{ input.headers."x-github-event" }}', action: '{{ input.body.action }}', repository: '{{ input.body.repository.full_name }}', sender: '{{ input.body.sender.login }}' }, retry: { maxAttempts: 4, backoff: 'exponential', initialDelayMs: 500, maxDelayMs: 10000 } } },
    ],
    edges: [{ source: 'trigger', target: 'relay' }],
    settings: { output: '{ status: steps.relay.output.status, webhookId: steps.relay.output.webhookId }' },
  },
};
