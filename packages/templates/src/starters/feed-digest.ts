import type { StarterTemplate } from './types';

export const feedDigest: StarterTemplate = {
  slug: 'json-feed-digest',
  name: 'RSS/JSON feed digest',
  summary: 'Reads a JSON Feed and posts a digest of its five newest items to Slack.',
  readme: '# JSON feed digest\n\nInputs `{ "feedUrl", "channel" }`. Reads a [JSON Feed](https://www.jsonfeed.org/version/1.1/) (most blogs and RSS bridges offer one; RSS XML is not parsed: expressions are JMESPath over JSON) and posts the five newest item titles with their links. Schedule it daily for a digest.\n\nCredentials: `SLACK_BOT_TOKEN`.',
  tags: ['rss', 'feed', 'digest', 'slack'],
  category: 'content',
  services: ['a JSON Feed', 'Slack'],
  credentials: { SLACK_BOT_TOKEN: { description: 'Slack bot token (xoxb-…) with chat:write', kind: 'slack_bot_token' } },
  trigger: { kind: 'api' },
  sampleInputs: { feedUrl: 'https://example.com/feed.json', channel: '#reading' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['feedUrl', 'channel'], properties: { feedUrl: { type: 'string' }, channel: { type: 'string' } } } } },
      { id: 'feed', type: 'http_request', name: 'Read feed', position: { x: 300, y: 0 }, config: { method: 'GET', url: '{{ input.feedUrl }}', headers: { accept: 'application/feed+json, application/json' } } },
      { id: 'newest', type: 'transform', name: 'Five newest', position: { x: 600, y: 0 }, config: { expression: 'reverse(sort_by(steps.feed.output.body.items, &date_published))[:5].{ title: title, url: url }' } },
      { id: 'digest', type: 'transform', name: 'Digest text', position: { x: 900, y: 0 }, config: { expression: "join('\n', steps.newest.output[].join(' ', ['•', title, url]))" } },
      { id: 'post', type: 'slack_message', name: 'Post digest', position: { x: 1200, y: 0 }, config: { token: '{{ secrets.SLACK_BOT_TOKEN }}', channel: '{{ input.channel }}', text: '{{ steps.feed.output.body.title }}: newest posts\n{{ steps.digest.output }}' } },
    ],
    edges: [
      { source: 'trigger', target: 'feed' },
      { source: 'feed', target: 'newest' },
      { source: 'newest', target: 'digest' },
      { source: 'digest', target: 'post' },
    ],
    settings: { output: '{ items: steps.newest.output, ts: steps.post.output.ts }' },
  },
};
