import type { WeftClient } from '@weft/sdk';
import type { Run } from '@weft/workflow-schema';

/** The runs a test starts from, one per status a person acts on, each of its own workflow. */
export interface Seeded {
  workflows: { flaky: string; approval: string; quick: string };
  failed: Run;
  succeeded: Run;
  waiting: Run;
  cancelled: Run;
}

/** trigger → call (503 twice per run, then 200: fails with its 2 attempts, succeeds when retried) → out. */
const flaky = (echoUrl: string) => ({
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'call', type: 'http_request', name: 'Charge card', position: { x: 260, y: 0 }, config: { method: 'POST', url: `${echoUrl}/flaky/2`, retry: { maxAttempts: 2, backoff: 'fixed', initialDelayMs: 20, maxDelayMs: 20 } } },
    { id: 'out', type: 'transform', position: { x: 520, y: 0 }, config: { expression: '{ ok: steps.call.output.status }' } },
  ],
  edges: [{ source: 'start', target: 'call' }, { source: 'call', target: 'out' }],
});

const approval = {
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 0, y: 80 }, config: { inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, reason: { type: 'string' } } } } },
    { id: 'approve', type: 'wait_for_approval', name: 'Manager approval', position: { x: 260, y: 80 }, config: { prompt: 'Refund {{ input.amount }} EUR ({{ input.reason }})?' } },
    { id: 'refund', type: 'transform', position: { x: 520, y: 0 }, config: { expression: '{ refunded: `true` }' } },
    { id: 'decline', type: 'transform', position: { x: 520, y: 160 }, config: { expression: '{ refunded: `false` }' } },
  ],
  edges: [
    { source: 'trigger', target: 'approve' },
    { source: 'approve', target: 'refund', sourceHandle: 'approved' },
    { source: 'approve', target: 'decline', sourceHandle: 'rejected' },
  ],
};

const quick = {
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'greet', type: 'transform', position: { x: 260, y: 0 }, config: { expression: "join(' ', ['Hello', input.name])" } },
  ],
  edges: [{ source: 'start', target: 'greet' }],
};

async function published(api: WeftClient, name: string, definition: object): Promise<string> {
  const wf = await api.createWorkflow({ name, definition: definition as Record<string, unknown> });
  await api.publishVersion(wf.id);
  return wf.id;
}

/** Polls the run until `done` holds (the API's state, through the API). */
export async function runUntil(api: WeftClient, id: string, done: (r: Run) => boolean, timeoutMs = 30_000): Promise<Run> {
  for (const until = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 100))) {
    const run = await api.getRun(id);
    if (done(run)) return run;
    if (Date.now() > until) throw new Error(`run ${id} is still ${run.status}`);
  }
}

/** Workflows named after `tag` and a run of each status, started through the API and waited for. */
export async function seedRuns(api: WeftClient, echoUrl: string, tag: string): Promise<Seeded> {
  const workflows = {
    flaky: await published(api, `Charge customer ${tag}`, flaky(echoUrl)),
    approval: await published(api, `Refund approval ${tag}`, approval),
    quick: await published(api, `Greeting ${tag}`, quick),
  };
  const start = async (workflowId: string, inputs: Record<string, unknown> = {}) => (await api.createRun({ workflowId, inputs: inputs as never })).runId;
  const [failedId, succeededId, waitingId, cancelledId] = [
    await start(workflows.flaky),
    await start(workflows.quick, { name: 'Ada' }),
    await start(workflows.approval, { amount: 40, reason: `Damaged parcel ${tag}` }),
    await start(workflows.approval, { amount: 99, reason: 'Changed mind' }),
  ];
  await runUntil(api, cancelledId, (r) => r.status === 'waiting');
  await api.cancelRun(cancelledId);
  return {
    workflows,
    failed: await runUntil(api, failedId, (r) => r.status === 'failed'),
    succeeded: await runUntil(api, succeededId, (r) => r.status === 'succeeded'),
    waiting: await runUntil(api, waitingId, (r) => r.status === 'waiting'),
    cancelled: await runUntil(api, cancelledId, (r) => r.status === 'cancelled'),
  };
}
