import type { StarterTemplate } from './types';

export const multiUrlUptimeCheck: StarterTemplate = {
  slug: 'multi-url-uptime-check',
  name: 'Uptime check of many URLs',
  summary: 'Checks a list of URLs in parallel and posts the ones that are down to Slack in one message.',
  readme: '# Uptime check of many URLs\n\nInputs `{ "urls": [...], "channel" }`. Each URL is requested in a `for_each` body (concurrency 5); a failed request is recorded, not fatal. When any URL is down, one Slack message lists them; otherwise nothing is posted. Schedule it every few minutes.\n\nCredentials: `SLACK_BOT_TOKEN`.',
  tags: ['monitoring', 'for_each', 'slack'],
  category: 'monitoring',
  services: ['the checked URLs', 'Slack'],
  credentials: { SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' } },
  trigger: { kind: 'api' },
  sampleInputs: { urls: ['https://example.com/', 'https://example.org/'], channel: '#ops' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['urls', 'channel'], properties: { urls: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string' } }, channel: { type: 'string' } } } } },
      {
        id: 'checks', type: 'for_each', name: 'Check each URL', position: { x: 300, y: 80 },
        config: {
          items: 'input.urls',
          concurrency: 5,
          body: {
            nodes: [
              { id: 'start', position: { x: 24, y: 56 }, type: 'trigger', config: {} },
              { id: 'get', position: { x: 324, y: 56 }, type: 'http_request', config: { method: 'GET', url: '{{ input.item }}', timeoutMs: 10000, retry: { maxAttempts: 1 }, continueOnFail: true } },
              { id: 'verdict', position: { x: 624, y: 56 }, type: 'transform', config: { expression: "{ url: input.item, up: type(steps.get.output.status) == 'number', status: steps.get.output.status || steps.get.output.details.status }" } },
            ],
            edges: [{ source: 'start', target: 'get' }, { source: 'get', target: 'verdict' }],
          },
        },
      },
      { id: 'down', type: 'transform', name: 'Down ones', position: { x: 600, y: 80 }, config: { expression: 'steps.checks.output[?up == `false`]' } },
      { id: 'any_down', type: 'branch', name: 'Any down?', position: { x: 900, y: 80 }, config: { condition: 'length(steps.down.output) > `0`' } },
      { id: 'alert', type: 'slack_message', name: 'Alert', position: { x: 1200, y: 0 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '{{ input.channel }}', text: ":red_circle: Down: {{ join(', ', steps.down.output[].url) }}" } },
    ],
    edges: [
      { source: 'trigger', target: 'checks' },
      { source: 'checks', target: 'down' },
      { source: 'down', target: 'any_down' },
      { source: 'any_down', target: 'alert', sourceHandle: 'true' },
    ],
    settings: { output: '{ checked: length(steps.checks.output), down: steps.down.output[].url }' },
  },
};
