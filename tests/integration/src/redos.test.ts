import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';

// The gateway runs in its own process: with the native engine this pattern backtracks for hours on
// 50 characters (20 s at 30), blocking that process's event loop. In the test's process the hang
// would stop the test's own timers too; this way the test simply times out and fails.
let gw: GatewayProcess;
beforeAll(async () => {
  gw = await startGatewayProcess();
});
afterAll(async () => {
  await gw?.stop();
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { runId?: string; errors?: { path: string; code: string }[] } };
}

describe('A pattern written to backtrack cannot freeze the gateway', () => {
  it('checks 50 characters against ^(x+x+)+y$ through POST /v1/runs and keeps answering everyone', async () => {
    const wf = await gw.client.createWorkflow({
      name: 'redos',
      definition: {
        nodes: [
          { id: 'start', type: 'trigger', config: { inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^(x+x+)+y$' } } } } },
          { id: 'echo', type: 'transform', config: { expression: 'input.s' } },
        ],
        edges: [{ source: 'start', target: 'echo' }],
      },
    });
    await gw.client.publishVersion(wf.id);
    const evil = post('/v1/runs', { workflowId: wf.id, inputs: { s: 'x'.repeat(50) } });
    // Sent while the evil input is being checked: answered too (before the fix, neither ever was).
    const other = fetch(`${gw.url}/healthz`).then((r) => r.status);
    const [refused, health] = await Promise.all([evil, other]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'inputs.s', code: 'pattern' })]);
    expect(health).toBe(200);
    const accepted = await post('/v1/runs', { workflowId: wf.id, inputs: { s: `${'x'.repeat(50)}y` } });
    expect(accepted.status).toBe(202);
  });
});
