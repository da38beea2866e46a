import type { StarterTemplate } from './types';

export const slackAlertOnFailedHttpCheck: StarterTemplate = {
  slug: 'slack-alert-on-failed-http-check',
  name: 'Slack alert on a failed HTTP check',
  summary: 'Checks a URL and posts to a Slack channel when it answers with an error or does not answer.',
  readme: '# Slack alert on a failed HTTP check\n\nCalls `url` once. A 2xx or 3xx answer ends the run as `healthy`; an HTTP error (or no answer) takes the `error` edge and posts the status to `channel` with your Slack bot token.\n\nRun it from a schedule (every 5 minutes: `*/5 * * * *`) with inputs `{ "url": "https://example.com/health", "channel": "#ops" }`.\n\nCredentials: `SLACK_BOT_TOKEN`, a bot token (`xoxb-…`) with the `chat:write` scope.',
  tags: ['monitoring', 'slack', 'http'],
  category: 'monitoring',
  services: ['the checked URL', 'Slack'],
  credentials: { SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' } },
  trigger: { kind: 'api' },
  sampleInputs: { url: 'https://example.com/health', channel: '#ops' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['url', 'channel'], properties: { url: { type: 'string', description: 'The URL to check' }, channel: { type: 'string', description: 'Slack channel for alerts' } } } } },
      { id: 'check', type: 'http_request', name: 'HTTP check', position: { x: 300, y: 80 }, config: { method: 'GET', url: '{{ input.url }}', timeoutMs: 10000, retry: { maxAttempts: 1 } } },
      { id: 'healthy', type: 'transform', position: { x: 600, y: 0 }, config: { expression: '{ healthy: `true`, status: steps.check.output.status }' } },
      { id: 'alert', type: 'slack_message', name: 'Alert on Slack', position: { x: 600, y: 160 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '{{ input.channel }}', text: ':red_circle: Check failed for {{ input.url }}: {{ steps.check.output.message }}' } },
      { id: 'alerted', type: 'transform', position: { x: 900, y: 160 }, config: { expression: '{ healthy: `false`, error: steps.check.output.code, status: steps.check.output.details.status, alertTs: steps.alert.output.ts }' } },
    ],
    edges: [
      { source: 'trigger', target: 'check' },
      { source: 'check', target: 'healthy' },
      { source: 'check', target: 'alert', sourceHandle: 'error' },
      { source: 'alert', target: 'alerted' },
    ],
    settings: { output: 'steps.healthy.output || steps.alerted.output' },
  },
};
