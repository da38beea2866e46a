import type { RunEvent } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { frameAt } from './replay';

let seq = 0;
const ev = (type: string, nodeId: string | null = null, data: unknown = {}): RunEvent => ({ seq: ++seq, type, nodeId, stepId: null, data, createdAt: '2026-12-05T10:00:00.000Z' });

const history = [
  ev('run.created'),
  ev('run.started'),
  ev('step.dispatched', 'start'),
  ev('step.succeeded', 'start'),
  ev('step.dispatched', 'call'),
  ev('step.failed', 'call'),
  ev('step.dispatched', 'call', { attempt: 2, delayMs: 20 }),
  ev('step.failed', 'call'),
  ev('steps.cancelled', null, { nodeIds: ['side'] }),
  ev('run.failed'),
];

describe('replaying a run history', () => {
  it('starts with nothing reached', () => {
    const f = frameAt(history, 0);
    expect(f.run).toBe('queued');
    expect([...f.nodes]).toEqual([]);
  });

  it('colours each node by its last event up to the point', () => {
    expect(Object.fromEntries(frameAt(history, 5).nodes)).toEqual({ start: 'succeeded', call: 'queued' });
    expect(Object.fromEntries(frameAt(history, 6).nodes)).toEqual({ start: 'succeeded', call: 'failed' });
    expect(frameAt(history, 7).nodes.get('call')).toBe('queued');
    expect(frameAt(history, 7).run).toBe('running');
  });

  it('ends where the run ended, cancelled nodes included', () => {
    const f = frameAt(history, history.length);
    expect(f.run).toBe('failed');
    expect(Object.fromEntries(f.nodes)).toEqual({ start: 'succeeded', call: 'failed', side: 'cancelled' });
  });
});
