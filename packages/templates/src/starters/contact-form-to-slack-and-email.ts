import type { StarterTemplate } from './types';

export const contactFormToSlackAndEmail: StarterTemplate = {
  slug: 'contact-form-to-slack-and-email',
  name: 'Contact form → Slack + auto-reply',
  summary: 'A website contact form posts to a webhook; the team sees it in Slack and the sender gets an automatic reply.',
  readme: '# Contact form → Slack + auto-reply\n\nAdd a webhook with the `header` scheme (header `x-form-secret`) and have your form backend POST `{ "name", "email", "message" }` with the shared secret in that header. The message is posted to `#leads` and `email` receives an acknowledgement, in parallel.\n\nCredentials: `SLACK_BOT_TOKEN`, `SMTP_URL`.',
  tags: ['forms', 'slack', 'email', 'webhook'],
  category: 'sales',
  services: ['Slack', 'SMTP'],
  credentials: {
    SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' },
    SMTP_URL: { description: 'SMTP URL with credentials (smtps://user:pass@host:465)', kind: 'smtp_url' },
  },
  trigger: { kind: 'webhook', scheme: 'header', header: 'x-form-secret' },
  sampleInputs: { name: 'Ada', email: 'ada@example.com', message: 'Do you offer a team plan?' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['body'], properties: { body: { type: 'object', required: ['email', 'message'], properties: { name: { type: 'string' }, email: { type: 'string' }, message: { type: 'string', maxLength: 5000 } } } } } } },
      { id: 'notify', type: 'slack_message', name: 'Post lead', position: { x: 300, y: 0 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '#leads', text: 'New message from {{ input.body.name }} <{{ input.body.email }}>:\n{{ input.body.message }}' } },
      { id: 'reply', type: 'send_email', name: 'Auto-reply', position: { x: 300, y: 160 }, config: { smtpUrl: '{{ secrets.SMTP_URL }}', from: 'hello@example.com', to: '{{ input.body.email }}', subject: 'Thanks for getting in touch', text: 'Hi {{ input.body.name }},\n\nthanks for your message; we will answer within one working day.\n' } },
    ],
    edges: [
      { source: 'trigger', target: 'notify' },
      { source: 'trigger', target: 'reply' },
    ],
    settings: { output: '{ posted: steps.notify.output.ok, replied: steps.reply.output.accepted }' },
  },
};
