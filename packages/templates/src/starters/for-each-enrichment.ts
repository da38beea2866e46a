import type { StarterTemplate } from './types';

export const forEachEnrichment: StarterTemplate = {
  slug: 'for-each-enrichment',
  name: 'for_each enrichment of a list',
  summary: 'Looks up each record of a list in an API, four at a time, and returns the enriched list in order.',
  readme: '# for_each enrichment of a list\n\nInputs `{ "lookupUrl": "https://api.example.com/companies/", "records": [{ "id": "acme" }, …] }`. For each record, `GET lookupUrl + id` runs in a `for_each` body (concurrency 4, retried on 5xx); the output keeps the input order: `[{ id, name, employees, country }]`.\n\nCredentials: `LOOKUP_API_TOKEN`, sent as a bearer token.',
  tags: ['for_each', 'enrichment', 'http'],
  category: 'data',
  services: ['a lookup API'],
  credentials: { LOOKUP_API_TOKEN: { description: 'Bearer token of the lookup API', kind: 'api_key' } },
  trigger: { kind: 'api' },
  sampleInputs: { lookupUrl: 'https://api.example.com/companies/', records: [{ id: 'acme' }, { id: 'globex' }] },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { inputSchema: { type: 'object', required: ['lookupUrl', 'records'], properties: { lookupUrl: { type: 'string' }, records: { type: 'array', maxItems: 500, items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } } } } },
      {
        id: 'enrich', type: 'for_each', name: 'Enrich each record', position: { x: 300, y: 0 },
        config: {
          items: 'let $base = input.lookupUrl in input.records[].merge(@, { lookupUrl: $base })',
          concurrency: 4,
          body: {
            nodes: [
              { id: 'start', position: { x: 24, y: 56 }, type: 'trigger', config: {} },
              { id: 'lookup', position: { x: 324, y: 56 }, type: 'http_request', config: { method: 'GET', url: '{{ input.item.lookupUrl }}{{ input.item.id }}', headers: { authorization: 'Bearer {{ secrets.LOOKUP_API_TOKEN }}', accept: 'application/json' }, retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 500, maxDelayMs: 5000 } } },
              { id: 'merge', position: { x: 624, y: 56 }, type: 'transform', config: { expression: '{ id: input.item.id, name: steps.lookup.output.body.name, employees: steps.lookup.output.body.employees, country: steps.lookup.output.body.country }' } },
            ],
            edges: [{ source: 'start', target: 'lookup' }, { source: 'lookup', target: 'merge' }],
          },
        },
      },
    ],
    edges: [{ source: 'trigger', target: 'enrich' }],
    settings: { output: 'steps.enrich.output' },
  },
};
