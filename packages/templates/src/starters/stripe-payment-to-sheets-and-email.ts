import type { StarterTemplate } from './types';

export const stripePaymentToSheetsAndEmail: StarterTemplate = {
  slug: 'stripe-payment-to-sheets-and-email',
  name: 'Stripe payment → Sheets + email',
  summary: 'Records each succeeded Stripe payment in a Google Sheet and emails the customer a thank-you.',
  readme: '# Stripe payment → Sheets + email\n\nAdd a webhook with the `stripe` scheme and register its URL in Stripe (Developers → Webhooks, event `payment_intent.succeeded`) with `?spreadsheetId=<id>` appended. Each succeeded payment becomes a row `[id, amount, currency, email]` in the sheet `Payments`, and `receipt_email` gets a thank-you email. Other event types are ignored.\n\nCredentials: `GOOGLE_SHEETS_TOKEN`, `SMTP_URL`.',
  tags: ['stripe', 'google-sheets', 'email', 'webhook'],
  category: 'ecommerce',
  services: ['Stripe (webhook)', 'Google Sheets', 'SMTP'],
  credentials: {
    GOOGLE_SHEETS_TOKEN: { description: 'Google OAuth access token with the spreadsheets scope', kind: 'google_oauth_token' },
    SMTP_URL: { description: 'SMTP URL with credentials (smtps://user:pass@host:465)', kind: 'smtp_url' },
  },
  trigger: { kind: 'webhook', scheme: 'stripe' },
  sampleInputs: { id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 4200, currency: 'eur', receipt_email: 'ada@example.com' } } },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: {} },
      { id: 'succeeded', type: 'branch', name: 'Payment succeeded?', position: { x: 300, y: 80 }, config: { condition: "input.body.type == 'payment_intent.succeeded'" } },
      { id: 'payment', type: 'transform', position: { x: 600, y: 0 }, config: { expression: '{ id: input.body.data.object.id, amount: input.body.data.object.amount / `100`, currency: upper(input.body.data.object.currency), email: input.body.data.object.receipt_email }' } },
      { id: 'record', type: 'google_sheets_append', name: 'Record payment', position: { x: 900, y: -60 }, config: { accessToken: '{{ secrets.GOOGLE_SHEETS_TOKEN }}', spreadsheetId: '{{ input.query.spreadsheetId }}', range: 'Payments!A:D', values: [['{{ steps.payment.output.id }}', '{{ steps.payment.output.amount }}', '{{ steps.payment.output.currency }}', '{{ steps.payment.output.email }}']] } },
      { id: 'thanks', type: 'send_email', name: 'Thank the customer', position: { x: 900, y: 60 }, config: { smtpUrl: '{{ secrets.SMTP_URL }}', from: 'billing@example.com', to: '{{ steps.payment.output.email }}', subject: 'Thank you for your payment', text: 'We received {{ steps.payment.output.amount }} {{ steps.payment.output.currency }} (payment {{ steps.payment.output.id }}).' } },
      { id: 'done', type: 'transform', position: { x: 1200, y: 0 }, config: { expression: '{ recorded: steps.record.output.updatedRange, emailed: steps.thanks.output.accepted }' } },
      { id: 'ignored', type: 'transform', position: { x: 600, y: 160 }, config: { expression: '{ ignored: input.body.type }' } },
    ],
    edges: [
      { source: 'trigger', target: 'succeeded' },
      { source: 'succeeded', target: 'payment', sourceHandle: 'true' },
      { source: 'succeeded', target: 'ignored', sourceHandle: 'false' },
      { source: 'payment', target: 'record' },
      { source: 'payment', target: 'thanks' },
      { source: 'record', target: 'done' },
      { source: 'thanks', target: 'done' },
    ],
    settings: { output: 'steps.done.output || steps.ignored.output' },
  },
};
