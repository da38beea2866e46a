import type { WorkflowDefinition } from '@weft/workflow-schema';

export interface Starter {
  key: string;
  name: string;
  description: string;
  definition: WorkflowDefinition;
  sampleInputs: Record<string, unknown>;
}

/** The three workflows offered on an empty list or canvas; each one runs as it is. */
export const STARTERS: Starter[] = [
  {
    key: 'fetch',
    name: 'Fetch and reshape',
    description: 'Call an HTTP API, then keep the fields you need with a JMESPath transform.',
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
  },
  {
    key: 'route',
    name: 'Route by condition',
    description: 'Send large orders to review and let small ones through, then join the two paths.',
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
  },
  {
    key: 'approval',
    name: 'Approval gate',
    description: 'Pause until a person approves or rejects a refund, then take the matching path.',
    sampleInputs: { amount: 40, reason: 'Damaged parcel' },
    definition: {
      nodes: [
        { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, reason: { type: 'string' } } } } },
        { id: 'approve', type: 'wait_for_approval', name: 'Manager approval', position: { x: 300, y: 80 }, config: { prompt: 'Refund {{ input.amount }} EUR ({{ input.reason }})?', timeoutMs: 86400000 } },
        { id: 'refund', type: 'transform', position: { x: 600, y: 0 }, config: { expression: "{ refunded: `true`, amount: input.amount }" } },
        { id: 'decline', type: 'transform', position: { x: 600, y: 160 }, config: { expression: "{ refunded: `false`, reason: 'declined' }" } },
      ],
      edges: [
        { source: 'trigger', target: 'approve' },
        { source: 'approve', target: 'refund', sourceHandle: 'approved' },
        { source: 'approve', target: 'decline', sourceHandle: 'rejected' },
      ],
    },
  },
];
