import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => {
  await p?.stop();
});

/** Raw HTTP, to see exactly what a user's curl sees. */
async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${p.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

const simple = {
  nodes: [
    { id: 't', type: 'trigger', config: { inputSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 1 } } } } },
    { id: 'x', type: 'transform', config: { expression: 'input.n' } },
  ],
  edges: [{ source: 't', target: 'x' }],
};

describe('The API answers bad input with precise RFC 9457 problems', () => {
  it('rejects a cycle at publish and names every node in it', async () => {
    const wf = await p.client.createWorkflow({ name: 'cyclic' });
    const r = await http('POST', `/v1/workflows/${wf.id}/versions`, {
      definition: {
        nodes: [{ id: 't', type: 'trigger' }, { id: 'a', type: 'transform', config: { expression: 'a' } }, { id: 'b', type: 'transform', config: { expression: 'b' } }, { id: 'c', type: 'transform', config: { expression: 'c' } }],
        edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'c', target: 'a' }],
      },
    });
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 400, title: expect.any(String), type: expect.stringContaining('invalid-definition') });
    const cycle = r.body.errors.find((e: { code: string }) => e.code === 'cycle');
    expect(cycle.message).toBe('cycle: a → b → c → a');
    expect(cycle.nodeId).toBe('a');
  });

  it('names the node and field of a bad JMESPath expression', async () => {
    const wf = await p.client.createWorkflow({ name: 'bad-jmespath' });
    const r = await http('POST', `/v1/workflows/${wf.id}/versions`, {
      definition: {
        nodes: [{ id: 't', type: 'trigger' }, { id: 'shape', type: 'transform', config: { expression: 'foo[?bar ==' } }, { id: 'call', type: 'http_request', config: { url: 'https://example.com/{{ input.[ }}' } }],
        edges: [{ source: 't', target: 'shape' }, { source: 'shape', target: 'call' }],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'nodes[1].config.expression', code: 'invalid_expression', nodeId: 'shape' }),
        expect.objectContaining({ path: 'nodes[2].config.url', code: 'invalid_expression', nodeId: 'call' }),
      ]),
    );
  });

  it('reports a bad config with the path inside the config and an unknown node type', async () => {
    const r = await http('POST', '/v1/workflows/validate', {
      definition: {
        nodes: [{ id: 't', type: 'trigger' }, { id: 'h', type: 'http_request', config: { method: 'FETCH', url: 'https://x.y' } }, { id: 'q', type: 'teleport' }],
        edges: [{ source: 't', target: 'h' }, { source: 'h', target: 'q' }, { source: 'h', target: 'ghost' }],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.valid).toBe(false);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'nodes[1].config.method', nodeId: 'h' }),
        expect.objectContaining({ path: 'nodes[2].type', code: 'unknown_node_type', nodeId: 'q' }),
        expect.objectContaining({ path: 'edges[2].target', code: 'dangling_edge' }),
      ]),
    );
  });

  it('rejects run inputs that fail the trigger input schema with the input path', async () => {
    const wf = await p.client.createWorkflow({ name: 'inputs', definition: simple });
    await p.client.publishVersion(wf.id);
    const r = await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { n: 0 } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ path: 'inputs.n', code: 'minimum', nodeId: 't' });
    const missing = await http('POST', '/v1/runs', { workflowId: wf.id, inputs: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toContain('n');
  });

  it('answers 400 for malformed JSON, wrong body types and bad ids, never 500', async () => {
    const cases = [
      await http('POST', '/v1/workflows', '{"name": ', {}),
      await http('POST', '/v1/workflows', { name: 42 }),
      await http('POST', '/v1/runs', { workflowId: 'not-a-uuid' }),
      await http('POST', '/v1/runs', {}),
      await http('GET', '/v1/runs/not-a-uuid'),
      await http('GET', '/v1/runs?limit=100000'),
      await http('GET', '/v1/runs?status=exploded'),
      await http('PUT', `/v1/workflows/${crypto.randomUUID()}/draft`, { definition: 'nope' }),
    ];
    for (const r of cases) {
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail).toBeTruthy();
    }
    expect(cases[1]!.body.errors[0].path).toBe('body.name');
  });

  it('answers 409 when the workflow has no published version', async () => {
    const wf = await p.client.createWorkflow({ name: 'unpublished', definition: simple });
    const r = await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { n: 1 } });
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('publish');
  });

  it('keeps orgs apart: another org gets 404 for every id of this one', async () => {
    const wf = await p.client.createWorkflow({ name: 'private', definition: simple });
    const v = await p.client.publishVersion(wf.id);
    const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { n: 2 } });
    await p.client.waitForRun(runId);
    const other = await p.newOrgClient();
    for (const call of [
      () => other.getRun(runId),
      () => other.runEvents(runId),
      () => other.getWorkflow(wf.id),
      () => other.getVersion(v.id),
      () => other.listVersions(wf.id),
      () => other.createRun({ workflowId: wf.id, inputs: { n: 2 } }),
      () => other.createRun({ workflowVersionId: v.id, inputs: { n: 2 } }),
      () => other.saveDraft(wf.id, simple),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 404 });
    }
    expect((await other.listRuns()).items).toEqual([]);
    expect((await other.listWorkflows()).items).toEqual([]);
  });

  it('answers 401 without a valid key and 404 for unknown routes', async () => {
    const none = await fetch(`${p.url}/v1/workflows`);
    expect(none.status).toBe(401);
    const bad = await http('GET', '/v1/workflows', undefined, { authorization: 'Bearer weft_nope' });
    expect(bad.status).toBe(401);
    const unknown = await http('GET', '/v1/teleporters');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
  });

  it('serves OpenAPI 3.1, docs, health and readiness', async () => {
    const spec = (await (await fetch(`${p.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/runs', '/v1/runs/{id}', '/v1/workflows/{id}/versions', '/v1/catalog/nodes']));
    expect((await fetch(`${p.url}/docs/`)).status).toBe(200);
    expect(await (await fetch(`${p.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${p.url}/readyz`)).json()).toMatchObject({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
    const catalog = await p.client.catalogNodes();
    const http_request = catalog.find((c) => c.type === 'http_request')!;
    expect(http_request.configSchema).toMatchObject({ type: 'object', properties: { url: { type: 'string' } } });
    expect(catalog.find((c) => c.type === 'branch')!.handles).toEqual(['true', 'false']);
  });

  it('saves incomplete drafts and lists their problems', async () => {
    const wf = await p.client.createWorkflow({ name: 'draft' });
    const saved = await p.client.saveDraft(wf.id, { nodes: [{ id: 't', type: 'trigger' }, { id: 'lonely', type: 'transform', config: {} }], edges: [] });
    expect(saved.problems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'lonely' })]));
    expect((await p.client.getWorkflow(wf.id)).draft).toMatchObject({ nodes: [{ id: 't' }, { id: 'lonely' }] });
  });
});
