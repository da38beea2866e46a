import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoneGateway, type LoneGateway } from './lone-gateway';

// Publishing a very large definition (bench fanout100k, ~20 MB) answered 500: the publish ran in a
// Prisma transaction with the default 5 s limit. Validation now runs before the transaction, the
// limit grows with the size, and an expired transaction is a 503 problem, never a 500.

const LIMIT = 8 * 1024 * 1024;
let gw: LoneGateway;
beforeAll(async () => {
  gw = await startLoneGateway({ listen: false, app: { maxBodyBytes: LIMIT } });
  // A route whose transaction always outlives its limit: the real error Prisma raises, through the gateway's error handler.
  gw.app.get('/test/expired-transaction', { config: { access: 'public' } }, async () =>
    gw.db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_sleep(0.3)::text`;
      return tx.$queryRaw`SELECT 1`;
    }, { timeout: 1 }),
  );
});
afterAll(async () => {
  await gw?.stop();
});

/** trigger → b0 … b{width-1} (transforms) → join, as bench fanout100k builds it. */
const fanout = (width: number) => {
  const branches = Array.from({ length: width }, (_, i) => `b${i}`);
  return {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {} },
      ...branches.map((id) => ({ id, type: 'transform', config: { expression: 'input.n' } })),
      { id: 'join', type: 'transform', config: { expression: 'length(keys(steps))', join: 'all' } },
    ],
    edges: [...branches.map((b) => ({ source: 'trigger', target: b })), ...branches.map((b) => ({ source: b, target: 'join' }))],
  };
};

const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
  gw.app.inject({ method, url, headers: { authorization: `Bearer ${gw.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });

describe('Publishing a very large definition', () => {
  it('publishes a 20,000-node definition and serves it back whole', async () => {
    const definition = fanout(20_000);
    expect(JSON.stringify({ definition }).length).toBeGreaterThan(2 * 1024 * 1024);
    const wf = (await call('POST', '/v1/workflows', { name: 'wide fan-out' })).json() as { id: string };
    const published = await call('POST', `/v1/workflows/${wf.id}/versions`, { definition });
    expect(published.statusCode, published.body.slice(0, 500)).toBe(201);
    const version = published.json() as { id: string; version: number; definition: { nodes: { id: string }[] } };
    expect(version.version).toBe(1);
    expect(version.definition.nodes).toHaveLength(20_002);
    const stored = (await call('GET', `/v1/workflow-versions/${version.id}`)).json() as { definition: { nodes: { id: string }[]; edges: unknown[] } };
    expect(stored.definition.nodes.map((n) => n.id)).toEqual(version.definition.nodes.map((n) => n.id));
    expect(stored.definition.edges).toHaveLength(40_000);
    const audit = await gw.db.pool.query(`SELECT data->>'version' AS version FROM audit_logs WHERE action = 'workflow.version_published' AND target_id = $1`, [wf.id]);
    expect(audit.rows).toEqual([{ version: '1' }]);
  }, 180_000); // validating 20,000 nodes takes seconds, and far longer on the shared 2-core machine

  it('refuses a definition over the body limit with 413 naming the limit and the setting that raises it', async () => {
    const definition = fanout(60_000);
    expect(JSON.stringify({ definition }).length).toBeGreaterThan(LIMIT);
    const wf = (await call('POST', '/v1/workflows', { name: 'too wide' })).json() as { id: string };
    const refused = await call('POST', `/v1/workflows/${wf.id}/versions`, { definition });
    expect(refused.statusCode).toBe(413);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 413, detail: `the body is larger than ${LIMIT} bytes (8 MiB), the most the gateway accepts (WEFT_MAX_BODY_BYTES)` });
    expect((await call('GET', `/v1/workflows/${wf.id}/versions`)).json()).toMatchObject({ items: [] });
  });
});

describe('A database transaction that outlives its limit', () => {
  it('answers 503 with a problem that says nothing was written, never 500', async () => {
    const r = await gw.app.inject({ method: 'GET', url: '/test/expired-transaction' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ status: 503, title: 'Service unavailable', detail: expect.stringMatching(/^the database did not finish the request's transaction in time \(\d+ ms for a limit of 1 ms\): nothing was written; retry shortly$/) });
  });
});
