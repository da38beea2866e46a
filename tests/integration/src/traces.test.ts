import { createLogger } from '@weft/logger';
import { SpanKind } from '@weft/telemetry';
import { startMemoryTracing, type ReadableSpan } from '@weft/telemetry/testing';
import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allLeakForms, scanText } from './leak-scan';
import { startPlatform, type Platform } from './platform';

/**
 * Tracing (docs/operating/traces.md) and logs (docs/operating/logs.md) of one run through the real
 * gateway, orchestrator and executor (in this process, on real Postgres and Redis), spans kept by
 * an in-memory exporter: a run is ONE connected trace rooted at its `POST /v1/runs` request, and
 * neither a span nor a log line holds a secret or a payload.
 */
const SECRET = `trace-secret-${crypto.randomUUID()}`;
const PAYLOAD = `payload-marker-${crypto.randomUUID()}`;

let tracing: Awaited<ReturnType<typeof startMemoryTracing>>;
let p: Platform;
let echo: EchoServer;
const lines: string[] = [];

beforeAll(async () => {
  tracing = await startMemoryTracing();
  echo = await startEchoServer();
  const logger = createLogger({ service: 'test', level: 'info', destination: { write: (l: string) => void lines.push(l) } });
  // Pure steps through the queue: the branch and the loop's body run as executor steps too.
  p = await startPlatform({ logger, inlinePureSteps: false });
}, 120_000);
afterAll(async () => {
  await p?.stop();
  await echo?.close();
  await tracing?.shutdown();
});

const attr = (s: ReadableSpan, name: string) => s.attributes[name];
const spanId = (s: ReadableSpan) => s.spanContext().spanId;
const parentId = (s: ReadableSpan) => s.parentSpanContext?.spanId;

async function runTracedWorkflow() {
  await p.client.createSecret({ name: 'TRACE_TOKEN', value: SECRET });
  const wf = await p.client.createWorkflow({
    name: 'traced',
    definition: {
      nodes: [
        { id: 't', type: 'trigger', config: {} },
        {
          id: 'call',
          type: 'http_request',
          config: {
            method: 'POST',
            url: `${echo.url}/echo/{{ input.payload }}?token={{ secrets.TRACE_TOKEN }}`,
            headers: { authorization: 'Bearer {{ secrets.TRACE_TOKEN }}' },
            body: { payload: '{{ input.payload }}', password: '{{ secrets.TRACE_TOKEN }}' },
          },
        },
        { id: 'gate', type: 'branch', config: { condition: 'input.go' } },
        {
          id: 'each',
          type: 'for_each',
          config: {
            items: 'input.items',
            concurrency: 2,
            body: { nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'double', type: 'transform', config: { expression: 'item' } }], edges: [{ source: 's', target: 'double' }] },
          },
        },
        { id: 'skipped', type: 'transform', config: { expression: 'input.go' } },
      ],
      edges: [
        { source: 't', target: 'call' },
        { source: 'call', target: 'gate' },
        { source: 'gate', target: 'each', sourceHandle: 'true' },
        { source: 'gate', target: 'skipped', sourceHandle: 'false' },
      ],
    },
  });
  await p.client.publishVersion(wf.id);
  const { runId } = await p.client.createRun({ workflowId: wf.id, inputs: { go: true, items: [1, 2, 3], payload: PAYLOAD } as never });
  const run = await p.client.waitForRun(runId, { timeoutMs: 60_000 });
  const loop = run.steps.find((s) => s.nodeId === 'each')!;
  const iterations = (await p.client.stepIterations(run.id, loop.id, { limit: 10 })).items.map((i) => i.runId);
  return { run, iterations };
}

/** The spans of the run's trace once its last transition's span has ended (spans end after the writes the API shows). */
async function spansOfRun(runId: string): Promise<ReadableSpan[]> {
  for (let i = 0; i < 200; i++) {
    const done = tracing.spans().some((s) => s.name === 'weft.run.transition' && attr(s, 'weft.run_id') === runId && attr(s, 'weft.status') === 'succeeded');
    if (done) break;
    await tracing.flush();
    await new Promise((r) => setTimeout(r, 50));
  }
  await tracing.flush();
  return tracing.spans();
}

describe('A run with a branch, a for_each and an HTTP step', () => {
  it('is one connected trace from POST /v1/runs through transitions, steps and the outgoing call, and its step-end log lines carry the ids', async () => {
    const { run, iterations } = await runTracedWorkflow();
    expect(run.status).toBe('succeeded');
    expect(iterations).toHaveLength(3);
    const all = await spansOfRun(run.id);

    const root = all.find((s) => s.name === 'POST /v1/runs')!;
    expect(root).toBeDefined();
    expect(root.kind).toBe(SpanKind.SERVER);
    const traceId = root.spanContext().traceId;
    const trace = all.filter((s) => s.spanContext().traceId === traceId);
    const runIds = new Set([run.id, ...iterations]);

    // Every span of the run and its iterations is in this trace, and nothing else is.
    const ofRun = all.filter((s) => runIds.has(String(attr(s, 'weft.run_id'))));
    expect(ofRun.length).toBeGreaterThan(0);
    for (const s of ofRun) expect(s.spanContext().traceId, s.name).toBe(traceId);
    // Connected: one root, every other span's parent is in the trace.
    const ids = new Set(trace.map(spanId));
    expect(trace.filter((s) => !parentId(s))).toEqual([root]);
    for (const s of trace) if (s !== root) expect(ids.has(parentId(s)!), `${s.name} has its parent in the trace`).toBe(true);

    // Every executor step hangs off the root: the HTTP call, the branch, and the loop body's transform of each item.
    const steps = trace.filter((s) => s.name.startsWith('step '));
    const stepOf = (runId: string, nodeId: string) => steps.filter((s) => attr(s, 'weft.run_id') === runId && attr(s, 'weft.node_id') === nodeId);
    for (const s of steps) expect(parentId(s)).toBe(spanId(root));

    // Transitions of the run and of each iteration: the orchestrator's hang off the root, those
    // written where a step ran (settled in place) off that step; all with their run and org ids.
    const transitions = trace.filter((s) => s.name === 'weft.run.transition');
    for (const id of runIds) expect(transitions.some((s) => attr(s, 'weft.run_id') === id), `a transition of ${id}`).toBe(true);
    const stepIds = new Set(steps.map(spanId));
    for (const s of transitions) {
      if (attr(s, 'weft.settled_here')) expect(stepIds.has(parentId(s)!)).toBe(true);
      else expect(parentId(s)).toBe(spanId(root));
      expect(attr(s, 'weft.org_id')).toBe(p.orgId);
    }
    expect(transitions.some((s) => attr(s, 'weft.run_id') === run.id && attr(s, 'weft.status') === 'succeeded')).toBe(true);
    const [call] = stepOf(run.id, 'call');
    expect(call).toBeDefined();
    expect(call!.name).toBe('step http_request');
    expect(call!.attributes).toMatchObject({ 'weft.node_type': 'http_request', 'weft.attempt': 1, 'weft.org_id': p.orgId, 'weft.status': 'succeeded', 'weft.step_id': run.steps.find((s) => s.nodeId === 'call')!.id });
    expect(stepOf(run.id, 'gate')).toHaveLength(1);
    expect(stepOf(run.id, 'gate')[0]!.name).toBe('step branch');
    expect(stepOf(run.id, 'skipped')).toHaveLength(0);
    for (const it of iterations) expect(stepOf(it, 'double').map((s) => s.name)).toEqual(['step transform']);

    // The outgoing call is the HTTP step's child: method, host, port and status only.
    const http = trace.filter((s) => s.name === 'HTTP POST');
    expect(http).toHaveLength(1);
    expect(http[0]!.kind).toBe(SpanKind.CLIENT);
    expect(parentId(http[0]!)).toBe(spanId(call!));
    expect(http[0]!.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'http.response.status_code': 200 });
    expect(echo.requests.some((r) => r.path.includes(PAYLOAD))).toBe(true); // the payload really went out

    // No span holds the secret (in any encoded form) or the payload: not in names, attributes, events or status.
    const spanText = all.map((s) => JSON.stringify({ name: s.name, attributes: s.attributes, events: s.events, status: s.status }));
    expect(scanText('spans', spanText, [...allLeakForms(SECRET), PAYLOAD])).toEqual([]);

    // One log line per step end, with the step's ids, its span's ids, status, duration, type and attempt.
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const callEnd = parsed.find((l) => l.msg === 'step ended' && l.node_id === 'call')!;
    expect(callEnd).toMatchObject({
      level: 30,
      run_id: run.id,
      step_id: call!.attributes['weft.step_id'],
      org_id: p.orgId,
      trace_id: traceId,
      span_id: spanId(call!),
      status: 'succeeded',
      node_type: 'http_request',
      attempt: 1,
    });
    expect(typeof callEnd.duration_ms).toBe('number');
    expect(parsed.filter((l) => l.msg === 'step ended' && l.node_id === 'double')).toHaveLength(3);
    // One line per request, with its request id and the ids of its span.
    const createLine = parsed.find((l) => l.msg === 'request completed' && l.route === '/v1/runs' && l.method === 'POST')!;
    expect(createLine).toMatchObject({ status: 202, org_id: p.orgId, trace_id: traceId, span_id: spanId(root) });
    expect(typeof createLine.request_id).toBe('string');
    // The secret never reaches the log output, nor does the payload.
    expect(scanText('logs', lines, [...allLeakForms(SECRET), PAYLOAD])).toEqual([]);
  }, 120_000);
});
