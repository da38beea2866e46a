import type { StarterTemplate } from './types';

export const stripeFailedPaymentAlert: StarterTemplate = {
  slug: 'stripe-failed-payment-alert',
  name: 'Stripe failed payment → Slack',
  summary: 'Alerts the billing channel when a Stripe payment fails, with the amount and the decline reason.',
  readme: '# Stripe failed payment → Slack\n\nAdd a webhook with the `stripe` scheme and register it in Stripe for `payment_intent.payment_failed`. Each failure is posted to `#billing` with the amount, the customer\'s email and Stripe\'s decline message. Other events are ignored.\n\nCredentials: `SLACK_BOT_TOKEN`.',
  tags: ['stripe', 'slack', 'billing', 'webhook'],
  category: 'ecommerce',
  services: ['Stripe (webhook)', 'Slack'],
  credentials: { SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' } },
  trigger: { kind: 'webhook', scheme: 'stripe' },
  sampleInputs: { id: 'evt_2', type: 'payment_intent.payment_failed', data: { object: { id: 'pi_2', amount: 1999, currency: 'usd', receipt_email: 'bob@example.com', last_payment_error: { message: 'Your card was declined.' } } } },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: {} },
      { id: 'failed', type: 'branch', name: 'Payment failed?', position: { x: 300, y: 80 }, config: { condition: "input.body.type == 'payment_intent.payment_failed'" } },
      { id: 'alert', type: 'slack_message', name: 'Alert billing', position: { x: 600, y: 0 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '#billing', text: ":warning: Payment {{ input.body.data.object.id }} of {{ input.body.data.object.amount / `100` }} {{ upper(input.body.data.object.currency) }} failed for {{ input.body.data.object.receipt_email }}: {{ input.body.data.object.last_payment_error.message }}" } },
      { id: 'ignored', type: 'transform', position: { x: 600, y: 160 }, config: { expression: '{ ignored: input.body.type }' } },
    ],
    edges: [
      { source: 'trigger', target: 'failed' },
      { source: 'failed', target: 'alert', sourceHandle: 'true' },
      { source: 'failed', target: 'ignored', sourceHandle: 'false' },
    ],
    settings: { output: '{ alerted: steps.alert.output.ok, ignored: steps.ignored.output.ignored }' },
  },
};
