import type { StarterTemplate } from './types';

export const approvalGate: StarterTemplate = {
  slug: 'approval-gate',
  name: 'Approval gate',
  summary: 'Pause until a person approves or rejects a refund, then take the matching path.',
  readme: '# Approval gate\n\nInputs `{ "amount", "reason" }`. The run waits (up to a day) for a decision in the dashboard or `POST /v1/runs/:id/resume`; approved: `{ refunded: true }`, rejected or timed out: `{ refunded: false }`. No credentials.',
  tags: ['approval', 'basics'],
  category: 'basics',
  services: [],
  credentials: {},
  trigger: { kind: 'api' },
  sampleInputs: { amount: 40, reason: 'Damaged parcel' },
  definition: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, reason: { type: 'string' } } } } },
      { id: 'approve', type: 'wait_for_approval', name: 'Manager approval', position: { x: 300, y: 80 }, config: { prompt: 'Refund {{ input.amount }} EUR ({{ input.reason }})?', timeoutMs: 86400000 } },
      { id: 'refund', type: 'transform', position: { x: 600, y: 0 }, config: { expression: '{ refunded: `true`, amount: input.amount }' } },
      { id: 'decline', type: 'transform', position: { x: 600, y: 160 }, config: { expression: "{ refunded: `false`, reason: 'declined' }" } },
    ],
    edges: [
      { source: 'trigger', target: 'approve' },
      { source: 'approve', target: 'refund', sourceHandle: 'approved' },
      { source: 'approve', target: 'decline', sourceHandle: 'rejected' },
    ],
  },
};
