import type { StarterTemplate } from './types';

export const retryBackoffApiSync: StarterTemplate = {
  slug: 'retry-backoff-api-sync',
  name: 'Retry-with-backoff API sync',
  summary: 'Copies records from a source API to a target API; both calls retry 5xx and 429 answers with exponential backoff.',
  readme: '# Retry-with-backoff API sync\n\nInputs `{ "sourceUrl", "targetUrl" }`. Reads `{ "items": [...] }` from `sourceUrl` and POSTs `{ items, runId }` to `targetUrl` with your bearer token. Both steps retry up to 5 attempts (exponential backoff with jitter, 500 ms doubling up to 10 s, honouring `Retry-After`); the target receives the same `Idempotency-Key` on every attempt so it can apply the write once.\n\nCredentials: `TARGET_API_TOKEN`.',
  tags: ['sync', 'retry', 'http'],
  category: 'data',
  services: ['a source API', 'a target API'],
  credentials: { TARGET_API_TOKEN: { description: 'Bearer token of the target API', kind: 'api_key' } },
  trigger: { kind: 'api' },
  sampleInputs: { sourceUrl: 'https://source.example.com/items', targetUrl: 'https://target.example.com/import' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['sourceUrl', 'targetUrl'], properties: { sourceUrl: { type: 'string' }, targetUrl: { type: 'string' } } } } },
      { id: 'read', type: 'http_request', name: 'Read source', position: { x: 300, y: 0 }, config: { method: 'GET', url: '{{ input.sourceUrl }}', headers: { accept: 'application/json' }, retry: { maxAttempts: 5, backoff: 'exponential', initialDelayMs: 500, maxDelayMs: 10000 } } },
      { id: 'write', type: 'http_request', name: 'Write target', position: { x: 600, y: 0 }, config: { method: 'POST', url: '{{ input.targetUrl }}', headers: { authorization: 'Bearer {{ secrets.TARGET_API_TOKEN }}' }, body: { items: '{{ steps.read.output.body.items }}', runId: '{{ run.id }}' }, retry: { maxAttempts: 5, backoff: 'exponential', initialDelayMs: 500, maxDelayMs: 10000 } } },
    ],
    edges: [
      { source: 'trigger', target: 'read' },
      { source: 'read', target: 'write' },
    ],
    settings: { output: '{ synced: length(steps.read.output.body.items), targetStatus: steps.write.output.status }' },
  },
};
