import type { StarterTemplate } from './types';

export const webhookEmailReceipt: StarterTemplate = {
  slug: 'webhook-email-receipt',
  name: 'Webhook → email receipt',
  summary: 'Emails a receipt for every signed order webhook.',
  readme: '# Webhook → email receipt\n\nAdd a webhook (Standard Webhooks) to the installed workflow. A delivery `{ "orderId", "email", "total", "currency" }` sends a plain-text receipt to `email` over your SMTP server.\n\nCredentials: `SMTP_URL`, e.g. `smtps://user:password@smtp.example.com:465`.',
  tags: ['email', 'webhook', 'ecommerce'],
  category: 'ecommerce',
  services: ['SMTP'],
  credentials: { SMTP_URL: { description: 'SMTP URL with credentials (smtps://user:pass@host:465)', kind: 'smtp_url' } },
  trigger: { kind: 'webhook', scheme: 'standard-webhooks' },
  sampleInputs: { orderId: 'A-1001', email: 'ada@example.com', total: 42.5, currency: 'EUR' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['body'], properties: { body: { type: 'object', required: ['orderId', 'email', 'total'], properties: { orderId: { type: 'string' }, email: { type: 'string' }, total: { type: 'number' }, currency: { type: 'string' } } } } } } },
      { id: 'receipt', type: 'send_email', name: 'Send receipt', position: { x: 300, y: 0 }, config: { smtpUrl: '{{ secrets.SMTP_URL }}', from: 'receipts@example.com', to: '{{ input.body.email }}', subject: 'Your receipt for order {{ input.body.orderId }}', text: 'Thank you for your order {{ input.body.orderId }}.\nTotal: {{ input.body.total }} {{ input.body.currency }}\n' } },
    ],
    edges: [{ source: 'trigger', target: 'receipt' }],
    settings: { output: '{ orderId: input.body.orderId, sentTo: steps.receipt.output.accepted }' },
  },
};
