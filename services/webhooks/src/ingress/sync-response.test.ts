import { describe, expect, it } from 'vitest';
import { syncResponse } from './sync-response';

describe('The answer of a sync delivery', () => {
  it("is the output's webhookResponse when it has one", () => {
    const r = syncResponse('r1', { status: 'succeeded', error: null, output: { webhookResponse: { status: 201, headers: { 'X-Thing': 'a', 'content-length': '1', bad: 3, 'x-split': 'a\r\nb' }, body: 'created' } } });
    expect(r).toEqual({ status: 201, headers: { 'x-thing': 'a' }, body: 'created' });
  });

  it('is found in the output of a final node too (outputs are keyed by final node id)', () => {
    const r = syncResponse('r1', { status: 'succeeded', error: null, output: { other: { a: 1 }, reply: { webhookResponse: { status: 202, body: { ok: true } } } } });
    expect(r).toEqual({ status: 202, headers: {}, body: { ok: true } });
  });

  it('ignores a status outside 200–599', () => {
    expect(syncResponse('r1', { status: 'succeeded', error: null, output: { webhookResponse: { status: 101 } } }).status).toBe(200);
    expect(syncResponse('r1', { status: 'succeeded', error: null, output: { webhookResponse: { status: 700 } } }).status).toBe(200);
  });

  it('is 200 with the output otherwise, and 502 for a failed run', () => {
    expect(syncResponse('r1', { status: 'succeeded', error: null, output: { a: 1 } })).toEqual({ status: 200, headers: {}, body: { runId: 'r1', status: 'succeeded', output: { a: 1 } } });
    expect(syncResponse('r1', { status: 'failed', error: { code: 'x' }, output: null })).toMatchObject({ status: 502, body: { runId: 'r1', status: 'failed' } });
  });
});
