import type { StarterTemplate } from './types';

export const fetchAndReshape: StarterTemplate = {
  slug: 'fetch-and-reshape',
  name: 'Fetch and reshape',
  summary: 'Call an HTTP API, then keep the fields you need with a JMESPath transform.',
  readme: '# Fetch and reshape\n\nInputs `{ "url" }`. Calls the URL and returns `{ status, body }`; edit the transform to keep only the fields you need. No credentials.',
  tags: ['http', 'jmespath', 'basics'],
  category: 'basics',
  services: ['any JSON API'],
  credentials: {},
  trigger: { kind: 'api' },
  sampleInputs: { url: 'https://api.github.com/repos/jmespath/jmespath.js' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['url'], properties: { url: { type: 'string', description: 'The URL to fetch' } } } } },
      { id: 'fetch', type: 'http_request', position: { x: 300, y: 0 }, config: { method: 'GET', url: '{{ input.url }}', headers: { accept: 'application/json' }, timeoutMs: 10000 } },
      { id: 'shape', type: 'transform', position: { x: 600, y: 0 }, config: { expression: '{ status: steps.fetch.output.status, body: steps.fetch.output.body }' } },
    ],
    edges: [
      { source: 'trigger', target: 'fetch' },
      { source: 'fetch', target: 'shape' },
    ],
    settings: { output: 'steps.shape.output' },
  },
};
