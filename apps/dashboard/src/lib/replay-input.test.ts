import type { Step } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { parseReplayInput, replayInput, replayableNodes, upstreamOf } from './replay-input';

const def = {
  nodes: [
    { id: 't', type: 'trigger' },
    { id: 'fetch', type: 'http_request', name: 'Fetch' },
    { id: 'wait', type: 'delay' },
    { id: 'shape', type: 'transform' },
    { id: 'side', type: 'http_request' },
  ],
  edges: [{ source: 't', target: 'fetch' }, { source: 'fetch', target: 'wait' }, { source: 'wait', target: 'shape' }, { source: 't', target: 'side' }],
};
const step = (nodeId: string, status: Step['status'], output: unknown, attempt = 1) => ({ id: `${nodeId}-${attempt}`, nodeId, status, attempt, output, startedAt: null, finishedAt: null, durationMs: null, error: null }) as Step;

describe('replay input', () => {
  it('lists every node but the trigger as a place to replay from', () => {
    expect(replayableNodes(def).map((n) => n.id)).toEqual(['fetch', 'wait', 'shape', 'side']);
    expect(replayableNodes(def)[0]!.label).toBe('Fetch (fetch)');
  });

  it('walks the edges back to every upstream node', () => {
    expect([...upstreamOf(def, 'shape')].sort()).toEqual(['fetch', 't', 'wait']);
    expect([...upstreamOf(def, 'side')]).toEqual(['t']);
  });

  it('fills the input with the latest succeeded output of each upstream node a replay reuses', () => {
    const steps = [step('fetch', 'failed', null, 1), step('fetch', 'succeeded', { n: 1 }, 2), step('wait', 'succeeded', { resumedAt: 'x' }), step('side', 'succeeded', { s: 1 })];
    expect(replayInput(def, steps, 'shape')).toEqual({ fetch: { n: 1 } }); // the delay runs again; the trigger is the run's inputs
    expect(replayInput(def, steps, 'fetch')).toEqual({});
  });

  it('accepts a JSON object only, saying why otherwise', () => {
    expect(parseReplayInput('{"fetch": {"n": 2}}')).toEqual({ ok: true, value: { fetch: { n: 2 } } });
    expect(parseReplayInput('[1]')).toMatchObject({ ok: false, message: expect.stringContaining('JSON object') });
    expect(parseReplayInput('{nope')).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
  });
});
