import { WeftApiError } from '@weft/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

/*
 * Budgets and limits on the real pipeline (issue 12 §4), with small limits so that each is
 * reached cheaply: a step past a budget fails with budget_exceeded naming the node and the
 * limit's setting; a request past a value limit is a 400 naming it.
 */
let p: Platform;
beforeAll(async () => {
  p = await startPlatform({
    limits: {
      evaluation: { maxValueBytes: 20_000, maxValueDepth: 16, maxStringChars: 5_000, maxArrayElements: 1_000 },
      maxForEachItems: 50,
      maxIterationsPerRun: 60,
      maxLoopDepth: 2,
      maxSubWorkflowDepth: 3,
    },
  });
});
afterAll(async () => {
  await p?.stop();
});

type Def = { nodes: unknown[]; edges: unknown[]; settings?: unknown };
async function publish(name: string, definition: Def) {
  const wf = await p.client.createWorkflow({ name, definition });
  await p.client.publishVersion(wf.id);
  return wf.id;
}
async function run(workflowId: string, inputs: Record<string, unknown> = {}, timeoutMs = 60_000) {
  const { runId } = await p.client.createRun({ workflowId, inputs: inputs as never });
  return p.client.waitForRun(runId, { timeoutMs });
}
async function apiError(call: Promise<unknown>): Promise<WeftApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WeftApiError) return error;
    throw error;
  }
  throw new Error('expected an API error');
}
const t = { id: 't', type: 'trigger', config: {} };
const edge = (source: string, target: string) => ({ source, target });
const stepOf = (r: { steps: { nodeId: string; error: unknown }[] }, nodeId: string) => r.steps.find((s) => s.nodeId === nodeId)!;
const loop = (id: string, items: string, body: Def, concurrency = 10) => ({ id, type: 'for_each', config: { items, concurrency, body } });
/** A body that is not pure (a delay), so that every item is a durable iteration run. */
const durable = (...rest: unknown[]): Def => ({ nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'd', type: 'delay', config: { durationMs: 1 } }, ...rest], edges: [edge('s', 'd'), ...rest.map((n) => edge('d', (n as { id: string }).id))] });

describe('Run inputs and payloads past the value limits', () => {
  it('POST /v1/runs answers 400 budget_exceeded naming body.inputs, the size and WEFT_MAX_VALUE_BYTES', async () => {
    const workflowId = await publish('inputs', { nodes: [t], edges: [] });
    const e = await apiError(p.client.createRun({ workflowId, inputs: { s: 'x'.repeat(30_000) } }));
    expect(e.status).toBe(400);
    expect(e.problem.type).toBe('https://weft.dev/problems/budget-exceeded');
    expect(e.problem.detail).toBe('the run inputs is at least 30,008 bytes as JSON; the limit is 20,000 (WEFT_MAX_VALUE_BYTES)');
    expect(e.issues).toEqual([{ path: 'body.inputs', code: 'budget_exceeded', message: e.problem.detail }]);
  });

  it('POST /v1/runs answers 400 for inputs nested deeper than WEFT_MAX_VALUE_DEPTH', async () => {
    // 20 levels: a body the gateway parses (WEFT_MAX_BODY_DEPTH, 128), inputs past this platform's 16.
    const workflowId = await publish('deep-inputs', { nodes: [t], edges: [] });
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { a: deep };
    const e = await apiError(p.client.createRun({ workflowId, inputs: deep as never }));
    expect(e.status).toBe(400);
    expect(e.problem.detail).toBe('the run inputs nests arrays and objects more than 16 levels deep; the limit is 16 (WEFT_MAX_VALUE_DEPTH)');
    expect(e.issues[0]).toMatchObject({ path: 'body.inputs', code: 'budget_exceeded' });
  });

  it('resuming an approval with a payload past the limit answers 400 and leaves the run waiting', async () => {
    const workflowId = await publish('approval', { nodes: [t, { id: 'ok', type: 'wait_for_approval', config: { prompt: 'ok?' } }], edges: [edge('t', 'ok')] });
    const { runId } = await p.client.createRun({ workflowId, inputs: {} });
    for (let i = 0; i < 100 && (await p.client.getRun(runId)).status !== 'waiting'; i++) await new Promise((r) => setTimeout(r, 100));
    const e = await apiError(p.client.resumeRun(runId, { nodeId: 'ok', decision: 'approve', payload: { s: 'x'.repeat(30_000) } }));
    expect(e.status).toBe(400);
    expect(e.problem.detail).toMatch(/^the approval payload is at least [\d,]+ bytes as JSON; the limit is 20,000 \(WEFT_MAX_VALUE_BYTES\)$/);
    expect((await p.client.getRun(runId)).status).toBe('waiting');
  });
});

describe('Steps past their budget fail with budget_exceeded, naming the node and the limit', () => {
  it('an inline transform whose output passes the value limit fails, and so does the run', async () => {
    const workflowId = await publish('big-output', { nodes: [t, { id: 'twice', type: 'transform', config: { expression: '[input.s, input.s]' } }], edges: [edge('t', 'twice')] });
    const r = await run(workflowId, { s: 'x'.repeat(15_000) });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'budget_exceeded', nodeId: 'twice' });
    expect(stepOf(r, 'twice').error).toMatchObject({
      code: 'budget_exceeded',
      message: 'the output of node "twice" is at least 30,007 bytes as JSON; the limit is 20,000 (WEFT_MAX_VALUE_BYTES)',
      details: { limit: 'WEFT_MAX_VALUE_BYTES', max: 20_000 },
    });
  });

  it('a terminate message past the value limit is not stored: the run ends saying the message could not be rendered', async () => {
    const workflowId = await publish('big-message', { nodes: [t, { id: 'stop', type: 'terminate', config: { status: 'failed', message: '{{ [input.s, input.s] }}' } }], edges: [edge('t', 'stop')] });
    const r = await run(workflowId, { s: 'x'.repeat(15_000) });
    expect(r.status).toBe('failed');
    expect(JSON.stringify(r.error)).toContain('could not be rendered');
    expect(JSON.stringify(r.error)).toContain('WEFT_MAX_VALUE_BYTES');
    expect(JSON.stringify(stepOf(r, 'stop')).length).toBeLessThan(5_000);
    expect(JSON.stringify(r.error).length).toBeLessThan(5_000);
  });

  it('an inline transform past the string limit fails with the function named', async () => {
    const workflowId = await publish('pad', { nodes: [t, { id: 'pad', type: 'transform', config: { expression: "pad_left('a', `100000000`, 'x')" } }], edges: [edge('t', 'pad')] });
    const r = await run(workflowId);
    expect(r.error).toMatchObject({ code: 'budget_exceeded', nodeId: 'pad', message: 'node "pad" failed: pad_left() would build a string of 100,000,000 characters; the limit is 5,000 (WEFT_MAX_STRING_CHARS)' });
  });

  it('a template of an executor step past the string limit fails that step in the executor, locating the field', async () => {
    const workflowId = await publish('url', {
      nodes: [t, { id: 'call', type: 'http_request', config: { method: 'GET', url: "http://127.0.0.1:1/{{ join('', [input.s, input.s]) }}" } }],
      edges: [edge('t', 'call')],
    });
    const r = await run(workflowId, { s: 'x'.repeat(3_000) });
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'call').error).toMatchObject({
      code: 'budget_exceeded',
      retryable: false,
      message: 'join() would build a string of 6,000 characters; the limit is 5,000 (WEFT_MAX_STRING_CHARS)',
      details: { limit: 'WEFT_MAX_STRING_CHARS', max: 5_000, actual: 6_000 },
    });
  });
});

describe('Loops and sub-workflows are held to the run shape limits', () => {
  it('a for_each over more items than WEFT_MAX_FOREACH_ITEMS fails before starting any iteration', async () => {
    const workflowId = await publish('many-items', { nodes: [t, loop('each', 'input.xs', durable())], edges: [edge('t', 'each')] });
    const r = await run(workflowId, { xs: Array.from({ length: 51 }, (_, i) => i) });
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'each').error).toMatchObject({ code: 'budget_exceeded', message: 'the items of for_each "each" are 51; the limit is 50 (WEFT_MAX_FOREACH_ITEMS)' });
    const { rows } = await p.db.pool.query(`SELECT count(*)::int AS n FROM runs WHERE parent_run_id = $1`, [r.id]);
    expect(rows[0].n).toBe(0);
  });

  it('nested loops count once per item of the loops around them: 10 × 5 iterations run, 10 × 10 pass WEFT_MAX_ITERATIONS_PER_RUN', async () => {
    const nested = (inner: number) => ({
      nodes: [t, loop('outer', 'input.xs', durable(loop('inner', `[${Array.from({ length: inner }, (_, i) => `\`${i}\``).join(', ')}]`, durable())), 10)],
      edges: [edge('t', 'outer')],
    });
    const xs = Array.from({ length: 10 }, (_, i) => i);
    const fits = await run(await publish('nested-fits', nested(5)), { xs }, 120_000);
    expect(fits.status).toBe('succeeded');
    const over = await run(await publish('nested-over', nested(10)), { xs }, 120_000);
    expect(over.status).toBe('failed');
    expect(stepOf(over, 'outer').error).toMatchObject({ code: 'item_failed' });
    expect((stepOf(over, 'outer').error as { message: string }).message).toMatch(
      /node "inner" failed: for_each "inner" would bring the run to 100 iterations \(10 items × 10 iterations of the loops around this run\); the limit is 60 \(WEFT_MAX_ITERATIONS_PER_RUN\)/,
    );
  });

  it('a for_each nested deeper than WEFT_MAX_LOOP_DEPTH fails', async () => {
    const innermost = loop('third', '[`1`]', durable());
    const workflowId = await publish('deep-loops', { nodes: [t, loop('first', '[`1`]', durable(loop('second', '[`1`]', durable(innermost))))], edges: [edge('t', 'first')] });
    const r = await run(workflowId, {}, 120_000);
    expect(r.status).toBe('failed');
    expect((stepOf(r, 'first').error as { message: string }).message).toMatch(/for_each "third" would nest loops 3 levels deep; the limit is 2 \(WEFT_MAX_LOOP_DEPTH\)/);
  });

  it('a sub-workflow calling itself stops at WEFT_MAX_SUBWORKFLOW_DEPTH with budget_exceeded', async () => {
    const wf = await p.client.createWorkflow({ name: 'recursive', definition: { nodes: [t], edges: [] } });
    await p.client.publishVersion(wf.id, { nodes: [t, { id: 'again', type: 'sub_workflow', config: { workflowId: wf.id } }], edges: [edge('t', 'again')] });
    const r = await run(wf.id, {}, 60_000);
    expect(r.status).toBe('failed');
    const { rows } = await p.db.pool.query<{ error: { code: string; message: string } }>(
      `SELECT error FROM run_steps WHERE node_id = 'again' AND error->>'code' = 'budget_exceeded' AND org_id = $1`,
      [p.orgId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.error.message).toBe('node "again" would nest runs 4 levels deep (a sub-workflow calling itself?); the limit is 3 (WEFT_MAX_SUBWORKFLOW_DEPTH)');
  });

  it('an in-place loop whose outputs together pass the value limit fails with budget_exceeded', async () => {
    const body = { nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'pad', type: 'transform', config: { expression: "pad_left('a', `1000`, 'x')" } }], edges: [edge('s', 'pad')] };
    const workflowId = await publish('in-place-big', { nodes: [t, loop('each', 'input.xs', body)], edges: [edge('t', 'each')] });
    const r = await run(workflowId, { xs: Array.from({ length: 40 }, (_, i) => i) });
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'each').error).toMatchObject({ code: 'budget_exceeded', details: { limit: 'WEFT_MAX_VALUE_BYTES' } });
  });

  it('a durable loop whose items\' outputs together pass the value limit fails with budget_exceeded', async () => {
    const body = durable({ id: 'pad', type: 'transform', config: { expression: "pad_left('a', `1000`, 'x')" } });
    const workflowId = await publish('durable-big', { nodes: [t, loop('each', 'input.xs', body, 30)], edges: [edge('t', 'each')] });
    const r = await run(workflowId, { xs: Array.from({ length: 30 }, (_, i) => i) }, 120_000);
    expect(r.status).toBe('failed');
    expect(stepOf(r, 'each').error).toMatchObject({ code: 'budget_exceeded', details: { limit: 'WEFT_MAX_VALUE_BYTES', max: 20_000 } });
    expect((stepOf(r, 'each').error as { message: string }).message).toMatch(/^the output of for_each "each" \(its 30 items' outputs\) is [\d,]+ bytes as JSON; the limit is 20,000 \(WEFT_MAX_VALUE_BYTES\)$/);
  });
});
