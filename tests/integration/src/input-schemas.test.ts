import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ workers: false });
});
afterAll(async () => {
  await p?.stop();
});

async function http(method: string, path: string, body?: unknown) {
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${p.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

const withInputSchema = (inputSchema: object) => ({
  nodes: [
    { id: 'start', type: 'trigger', config: { inputSchema } },
    { id: 'echo', type: 'transform', config: { expression: 'input' } },
  ],
  edges: [{ source: 'start', target: 'echo' }],
});

const LOOKAHEAD = 'pattern uses a lookahead, which the linear-time engine does not support';

describe('Patterns of input schemas the linear-time engine cannot run are refused at publish', () => {
  const lookahead = withInputSchema({ type: 'object', properties: { email: { type: 'string', pattern: '^(?=.*@).+$' } } });

  it('answers 400 naming the node, the path of the pattern and why', async () => {
    const wf = await p.client.createWorkflow({ name: 'lookahead' });
    const r = await http('POST', `/v1/workflows/${wf.id}/versions`, { definition: lookahead });
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.errors).toEqual([{ path: 'nodes[0].config.inputSchema.properties.email.pattern', code: 'unsupported_pattern', message: LOOKAHEAD, nodeId: 'start' }]);
  });

  it('reports the same problem from validate and in the draft problems', async () => {
    const v = await http('POST', '/v1/workflows/validate', { definition: lookahead });
    expect(v.status).toBe(200);
    expect(v.body).toEqual({ valid: false, errors: [expect.objectContaining({ path: 'nodes[0].config.inputSchema.properties.email.pattern', nodeId: 'start', message: LOOKAHEAD })] });
    const wf = await p.client.createWorkflow({ name: 'draft' });
    const draft = await p.client.saveDraft(wf.id, lookahead);
    expect(draft.problems).toEqual([expect.objectContaining({ path: 'nodes[0].config.inputSchema.properties.email.pattern', code: 'unsupported_pattern' })]);
  });

  it('refuses backreferences, lookbehinds and patternProperties keys too, each at its own path', async () => {
    const wf = await p.client.createWorkflow({ name: 'several' });
    const r = await http('POST', `/v1/workflows/${wf.id}/versions`, {
      definition: withInputSchema({
        type: 'object',
        properties: { twice: { type: 'string', pattern: '^(a)\\1$' }, tags: { type: 'array', items: { type: 'string', pattern: '(?<=#)\\w+' } } },
        patternProperties: { '^(?!x-)': { type: 'string' } },
      }),
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`).sort()).toEqual([
      'nodes[0].config.inputSchema.patternProperties["^(?!x-)"]: pattern uses a lookahead, which the linear-time engine does not support',
      'nodes[0].config.inputSchema.properties.tags.items.pattern: pattern uses a lookbehind, which the linear-time engine does not support',
      'nodes[0].config.inputSchema.properties.twice.pattern: pattern uses a backreference (\\1), which the linear-time engine does not support',
    ]);
  });

  it("checks the triggers of for_each bodies, at any depth, naming the outer for_each node", async () => {
    const inner = {
      nodes: [{ id: 'deep', type: 'trigger', config: { inputSchema: { type: 'string', pattern: '(.)\\1' } } }, { id: 'echo', type: 'transform', config: { expression: 'input' } }],
      edges: [{ source: 'deep', target: 'echo' }],
    };
    const body = {
      nodes: [
        { id: 'item', type: 'trigger', config: { inputSchema: { type: 'string', pattern: '^(?=x)' } } },
        { id: 'nested', type: 'for_each', config: { items: '[`1`]', body: inner } },
      ],
      edges: [{ source: 'item', target: 'nested' }],
    };
    const r = await http('POST', '/v1/workflows/validate', {
      definition: { nodes: [{ id: 't', type: 'trigger' }, { id: 'loop', type: 'for_each', config: { items: '[`1`]', body } }], edges: [{ source: 't', target: 'loop' }] },
    });
    expect(r.body.valid).toBe(false);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'nodes[1].config.body.nodes[0].config.inputSchema.pattern', nodeId: 'loop', message: LOOKAHEAD }),
        expect.objectContaining({ path: 'nodes[1].config.body.nodes[1].config.body.nodes[0].config.inputSchema.pattern', nodeId: 'loop', code: 'unsupported_pattern' }),
      ]),
    );
  });

  it('refuses a run of a version published before the check with a 400 that names the pattern, not a 500', async () => {
    // As stored by an older gateway, which compiled the lookahead natively.
    const wf = await p.client.createWorkflow({ name: 'legacy' });
    const v = await p.client.publishVersion(wf.id, withInputSchema({ type: 'object' }));
    await p.db.pool.query(`UPDATE workflow_versions SET definition = $1::jsonb WHERE id = $2`, [JSON.stringify(lookahead), v.id]);
    const r = await http('POST', '/v1/runs', { workflowVersionId: v.id, inputs: { email: 'a@b' } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'nodes[0].config.inputSchema.properties.email.pattern', nodeId: 'start', message: LOOKAHEAD })]);
  });
});

describe('Ordinary patterns check run inputs as JavaScript would', () => {
  it('accepts and refuses the same inputs as before, Unicode and whitespace included', async () => {
    const wf = await p.client.createWorkflow({ name: 'ordinary' });
    await p.client.publishVersion(
      wf.id,
      withInputSchema({
        type: 'object',
        properties: { repo: { type: 'string', pattern: '^[\\w.-]+/[\\w.-]+$' }, name: { type: 'string', pattern: '^\\p{L}[\\p{L} ]*$' }, token: { type: 'string', pattern: '^\\S+$' } },
        patternProperties: { '^x-\\d+$': { type: 'integer' } },
      }),
    );
    const run = (inputs: object) => http('POST', '/v1/runs', { workflowId: wf.id, inputs });
    expect((await run({ repo: 'jmespath/jmespath.js', name: 'Zoë Ångström', token: 'abc', 'x-1': 5 })).status).toBe(202);
    const refused = await run({ repo: 'a b/c', name: 'R2-D2', token: 'no\u00a0break', 'x-2': 'five' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual(['inputs.name pattern', 'inputs.repo pattern', 'inputs.token pattern', 'inputs.x-2 type']);
  });
});

describe('Pattern matching has a budget per request', () => {
  it('refuses at publish a pattern too large for the engine, and a run whose strings would take too long to check', async () => {
    const wf = await p.client.createWorkflow({ name: 'budget' });
    const huge = await http('POST', `/v1/workflows/${wf.id}/versions`, { definition: withInputSchema({ type: 'string', pattern: '^\\d{600}-\\d{600}$' }) });
    expect(huge.status).toBe(400);
    expect(huge.body.errors).toEqual([expect.objectContaining({ path: 'nodes[0].config.inputSchema.pattern', code: 'unsupported_pattern', message: expect.stringMatching(/^pattern is too large for the linear-time engine/) })]);

    await p.client.publishVersion(wf.id, withInputSchema({ type: 'object', properties: { lines: { type: 'array', items: { type: 'string', pattern: '^\\S+$' } } } }));
    const line = 'x'.repeat(400_000);
    expect((await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { lines: [line, line] } })).status).toBe(202);
    const tooMuch = await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { lines: [line, line, line] } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toEqual([expect.objectContaining({ path: 'inputs', code: 'pattern_budget_exceeded', nodeId: 'start' })]);
  });
});

describe('A run by workflowId checks its inputs against the version it will run', () => {
  it('accepts inputs a newly published, looser version allows, right after a stricter one refused them', async () => {
    const wf = await p.client.createWorkflow({ name: 'stale' });
    await p.client.publishVersion(wf.id, withInputSchema({ type: 'object', properties: { code: { type: 'string', pattern: '^[0-9]+$' } } }));
    const strict = await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { code: 'A1' } });
    expect(strict.status).toBe(400);
    const looser = await p.client.publishVersion(wf.id, withInputSchema({ type: 'object', properties: { code: { type: 'string', pattern: '^[0-9A-Z]+$' } } }));
    const r = await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { code: 'A1' } });
    expect(r.status).toBe(202);
    expect((await p.client.getRun(r.body.runId)).workflowVersionId).toBe(looser.id);
  });
});

describe("One org's input schema is invisible to every other org's", () => {
  const owned = { $id: 'urn:weft-test:owned', type: 'object', properties: { code: { enum: ['hidden-value-of-org-a'] } }, required: ['code'] };

  it('refuses a schema that $refs the $id of another org\'s schema, without revealing it', async () => {
    const a = await p.client.createWorkflow({ name: 'owner', definition: withInputSchema(owned) });
    await p.client.publishVersion(a.id);
    const b = await p.newOrgClient();
    const wf = await b.createWorkflow({ name: 'borrower', definition: withInputSchema({ $ref: 'urn:weft-test:owned' }) });
    const refused = await b.publishVersion(wf.id).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeDefined();
    expect(JSON.stringify(refused)).not.toContain('hidden-value-of-org-a');
  });

  it('compiles the same $id again and again: validate, publish and run', async () => {
    const definition = withInputSchema(owned);
    for (let i = 0; i < 2; i++) expect((await http('POST', '/v1/workflows/validate', { definition })).body).toMatchObject({ valid: true });
    const wf = await p.client.createWorkflow({ name: 'same id', definition });
    await p.client.publishVersion(wf.id);
    await p.client.publishVersion(wf.id);
    expect((await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { code: 'hidden-value-of-org-a' } })).status).toBe(202);
    expect((await http('POST', '/v1/runs', { workflowId: wf.id, inputs: { code: 'other' } })).status).toBe(400);
  });
});
