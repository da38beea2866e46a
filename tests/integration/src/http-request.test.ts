import { startEchoServer, type EchoServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './platform';

let p: Platform;
let echo: EchoServer;
beforeAll(async () => {
  [p, echo] = await Promise.all([startPlatform({ breakerFailures: 3 }), startEchoServer()]);
});
afterAll(async () => {
  await p?.stop();
  await echo?.close();
});

async function call(config: Record<string, unknown>, inputs: Record<string, unknown> = {}) {
  const wf = await p.client.createWorkflow({
    name: 'http',
    definition: { nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'h', type: 'http_request', config }], edges: [{ source: 't', target: 'h' }] },
  });
  await p.client.publishVersion(wf.id);
  const run = await p.client.waitForRun((await p.client.createRun({ workflowId: wf.id, inputs: inputs as never })).runId);
  return run.steps.findLast((s) => s.nodeId === 'h')!;
}

describe('http_request', () => {
  it('sends JSON, form and text bodies with matching content types', async () => {
    const json = await call({ method: 'POST', url: `${echo.url}/j`, body: { n: '{{ input.n }}' } }, { n: 3 });
    expect((json.output as { body: { body: unknown; headers: Record<string, string> } }).body).toMatchObject({ body: { n: 3 }, headers: { 'content-type': 'application/json' } });
    const form = await call({ method: 'POST', url: `${echo.url}/f`, bodyType: 'form', body: { name: '{{ input.name }}', tags: ['a', 'b'] } }, { name: 'Ada L' });
    expect((form.output as { body: { body: unknown; headers: Record<string, string> } }).body).toMatchObject({ body: 'name=Ada+L&tags=%5B%22a%22%2C%22b%22%5D', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const text = await call({ method: 'PUT', url: `${echo.url}/t`, bodyType: 'text', body: 'hello {{ input.name }}' }, { name: 'Bo' });
    expect((text.output as { body: { body: unknown; method: string } }).body).toMatchObject({ body: 'hello Bo', method: 'PUT' });
  });

  it('follows up to 5 redirects and refuses more', async () => {
    const target = `${echo.url}/landed`;
    let url = target;
    for (let i = 0; i < 5; i++) url = `${echo.url}/redirect?to=${encodeURIComponent(url)}`;
    const ok = await call({ url });
    expect((ok.output as { body: { path: string } }).body.path).toBe('/landed');
    const tooMany = await call({ url: `${echo.url}/redirect?to=${encodeURIComponent(url)}` });
    expect(tooMany.error).toMatchObject({ code: 'too_many_redirects', retryable: false });
  });

  it('caps the response size', async () => {
    const big = await call({ url: `${echo.url}/big/${2 * 1024 * 1024}` });
    expect(big.error).toMatchObject({ code: 'response_too_large', retryable: false });
  });

  it('opens the circuit of a failing host and fails fast with its state in the error', async () => {
    const before = echo.requests.length;
    for (let i = 0; i < 3; i++) expect((await call({ url: `${echo.url}/status/503` })).error).toMatchObject({ code: 'http_error', retryable: true });
    const fast = await call({ url: `${echo.url}/status/503` });
    expect(fast.error).toMatchObject({ code: 'circuit_open', retryable: true, details: { circuit: 'open', failures: 3 } });
    expect(echo.requests.length - before).toBe(3);
    await new Promise((r) => setTimeout(r, 600)); // the platform's cool-down is 500 ms
    const trial = await call({ url: `${echo.url}/items` });
    expect(trial.status).toBe('succeeded');
  });
});
