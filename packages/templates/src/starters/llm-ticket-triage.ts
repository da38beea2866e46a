import type { StarterTemplate } from './types';

export const llmTicketTriage: StarterTemplate = {
  slug: 'llm-ticket-triage-with-approval',
  name: 'LLM ticket triage with approval',
  summary: 'A model classifies a support ticket and drafts a reply; a person approves before it is posted to Slack.',
  readme: '# LLM ticket triage with approval\n\nInputs `{ "subject", "body", "customer" }`. The model answers JSON `{ category, priority, reply }`; the run then waits for an approval (`POST /v1/runs/:id/resume` with `decision: approve` or the dashboard). Approved: the triage and the drafted reply are posted to `#support`. Rejected: nothing is posted.\n\nCredentials: `OPENAI_API_KEY`, `SLACK_BOT_TOKEN`.',
  tags: ['llm', 'support', 'approval', 'slack'],
  category: 'ai',
  services: ['OpenAI', 'Slack'],
  credentials: {
    OPENAI_API_KEY: { description: 'OpenAI API key', kind: 'openai_api_key' },
    SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' },
  },
  trigger: { kind: 'api' },
  sampleInputs: { subject: 'Cannot log in', body: 'Since this morning the login page says my password is wrong.', customer: 'ada@example.com' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['subject', 'body'], properties: { subject: { type: 'string' }, body: { type: 'string' }, customer: { type: 'string' } } } } },
      { id: 'triage', type: 'llm_completion', name: 'Triage', position: { x: 300, y: 80 }, config: { provider: 'openai', apiKey: '{{ secrets.OPENAI_API_KEY }}', model: 'gpt-4o-mini', system: 'You triage support tickets. Answer JSON {"category": "billing"|"bug"|"account"|"other", "priority": "low"|"normal"|"urgent", "reply": "<a short reply to the customer>"}.', prompt: 'Subject: {{ input.subject }}\nFrom: {{ input.customer }}\n\n{{ input.body }}', json: true, temperature: 0 } },
      { id: 'approve', type: 'wait_for_approval', name: 'Approve the reply', position: { x: 600, y: 80 }, config: { prompt: 'Post the triage of "{{ input.subject }}" ({{ steps.triage.output.json.priority }}, {{ steps.triage.output.json.category }})?', timeoutMs: 86400000 } },
      { id: 'post', type: 'slack_message', name: 'Post to #support', position: { x: 900, y: 0 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '#support', text: '[{{ steps.triage.output.json.priority }}] {{ steps.triage.output.json.category }}: {{ input.subject }} ({{ input.customer }})\nReply: {{ steps.triage.output.json.reply }}' } },
      { id: 'posted', type: 'transform', position: { x: 1200, y: 0 }, config: { expression: '{ posted: `true`, triage: steps.triage.output.json, ts: steps.post.output.ts }' } },
      { id: 'dropped', type: 'transform', position: { x: 900, y: 160 }, config: { expression: '{ posted: `false`, triage: steps.triage.output.json }' } },
    ],
    edges: [
      { source: 'trigger', target: 'triage' },
      { source: 'triage', target: 'approve' },
      { source: 'approve', target: 'post', sourceHandle: 'approved' },
      { source: 'post', target: 'posted' },
      { source: 'approve', target: 'dropped', sourceHandle: 'rejected' },
    ],
    settings: { output: 'steps.posted.output || steps.dropped.output' },
  },
};
