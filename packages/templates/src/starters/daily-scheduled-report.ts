import type { StarterTemplate } from './types';

export const dailyScheduledReport: StarterTemplate = {
  slug: 'daily-scheduled-report',
  name: 'Daily scheduled report',
  summary: 'Every morning, reads yesterday\'s numbers from a JSON API and posts a short report to Slack.',
  readme: '# Daily scheduled report\n\nAdd a schedule (`0 8 * * *`, your timezone) with inputs `{ "metricsUrl": "https://…/metrics.json", "channel": "#daily" }`. The metrics endpoint answers `{ "signups", "orders", "revenue" }`; the report is posted to `channel`.\n\nCredentials: `SLACK_BOT_TOKEN`.',
  tags: ['schedule', 'report', 'slack'],
  category: 'reporting',
  services: ['a JSON metrics API', 'Slack'],
  credentials: { SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' } },
  trigger: { kind: 'schedule', cron: '0 8 * * *', timezone: 'UTC' },
  sampleInputs: { metricsUrl: 'https://example.com/metrics.json', channel: '#daily' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['metricsUrl', 'channel'], properties: { metricsUrl: { type: 'string' }, channel: { type: 'string' } } } } },
      { id: 'metrics', type: 'http_request', name: 'Read metrics', position: { x: 300, y: 0 }, config: { method: 'GET', url: '{{ input.metricsUrl }}', headers: { accept: 'application/json' }, retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 10000 } } },
      { id: 'report', type: 'transform', name: 'Compose report', position: { x: 600, y: 0 }, config: { expression: "join('', ['Daily report: ', to_string(steps.metrics.output.body.signups), ' signups, ', to_string(steps.metrics.output.body.orders), ' orders, revenue ', to_string(steps.metrics.output.body.revenue)])" } },
      { id: 'post', type: 'slack_message', name: 'Post report', position: { x: 900, y: 0 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '{{ input.channel }}', text: '{{ steps.report.output }}' } },
    ],
    edges: [
      { source: 'trigger', target: 'metrics' },
      { source: 'metrics', target: 'report' },
      { source: 'report', target: 'post' },
    ],
    settings: { output: '{ report: steps.report.output, ts: steps.post.output.ts }' },
  },
};
