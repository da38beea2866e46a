import type { StarterTemplate } from './types';

export const routeByCondition: StarterTemplate = {
  slug: 'route-by-condition',
  name: 'Route by condition',
  summary: 'Send large orders to review and let small ones through, then join the two paths.',
  readme: '# Route by condition\n\nInputs `{ "amount", "customer" }`. A branch sends orders above 100 to `review` and the others to `fast track`; the summary joins both paths. No credentials, no outside calls.',
  tags: ['branch', 'basics'],
  category: 'basics',
  services: [],
  credentials: {},
  trigger: { kind: 'api' },
  sampleInputs: { amount: 250, customer: 'Ada' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number', description: 'Order amount in EUR' }, customer: { type: 'string' } } } } },
      { id: 'is_large', type: 'branch', name: 'Large order?', position: { x: 300, y: 80 }, config: { condition: 'input.amount > `100`' } },
      { id: 'review', type: 'transform', position: { x: 600, y: 0 }, config: { expression: "{ route: 'review', amount: input.amount }" } },
      { id: 'fast_track', type: 'transform', position: { x: 600, y: 160 }, config: { expression: "{ route: 'fast track', amount: input.amount }" } },
      { id: 'summary', type: 'transform', position: { x: 900, y: 80 }, config: { expression: '{ customer: input.customer, decision: steps.review.output || steps.fast_track.output }' } },
    ],
    edges: [
      { source: 'trigger', target: 'is_large' },
      { source: 'is_large', target: 'review', sourceHandle: 'true' },
      { source: 'is_large', target: 'fast_track', sourceHandle: 'false' },
      { source: 'review', target: 'summary' },
      { source: 'fast_track', target: 'summary' },
    ],
    settings: { output: 'steps.summary.output' },
  },
};
