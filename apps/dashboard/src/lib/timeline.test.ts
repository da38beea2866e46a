import type { Step } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { ticks, timeline, totals } from './timeline';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const step = (p: Partial<Step> & Pick<Step, 'nodeId' | 'attempt' | 'status'>): Step => ({
  id: `${p.nodeId}-${p.attempt}`, startedAt: null, finishedAt: null, durationMs: null, output: null, error: null, ...p,
});

describe('the run timeline', () => {
  it('splits each attempt into retry delay, queue wait and execution, from the run start', () => {
    const t = timeline({
      createdAt: iso(0),
      startedAt: iso(5),
      steps: [
        step({ nodeId: 'call', attempt: 1, status: 'failed', queuedAt: iso(10), availableAt: iso(10), startedAt: iso(30), finishedAt: iso(130) }),
        step({ nodeId: 'call', attempt: 2, status: 'succeeded', queuedAt: iso(130), availableAt: iso(330), startedAt: iso(340), finishedAt: iso(400) }),
      ],
    }, T0 + 10_000);
    expect(t.origin).toBe(iso(0));
    expect(t.span).toBe(400);
    expect(t.bars.map((b) => [b.delay, b.wait, b.run])).toEqual([
      [null, [10, 30], [30, 130]],
      [[130, 330], [330, 340], [340, 400]],
    ]);
    // The legend's sums: queue wait and execution of both attempts, apart.
    expect(totals(t)).toEqual({ delay: 200, wait: 30, run: 160 });
  });

  it('draws a running attempt to now and a queued one waiting until now; a pending one has no bar', () => {
    const t = timeline({
      createdAt: iso(0),
      startedAt: iso(0),
      steps: [
        step({ nodeId: 'a', attempt: 1, status: 'running', queuedAt: iso(0), availableAt: iso(0), startedAt: iso(20) }),
        step({ nodeId: 'b', attempt: 1, status: 'queued', queuedAt: iso(50), availableAt: iso(50) }),
        step({ nodeId: 'c', attempt: 1, status: 'pending' }),
      ],
    }, T0 + 500);
    expect(t.bars.map((b) => [b.wait, b.run])).toEqual([[[0, 20], [20, 500]], [[50, 500], null], [null, null]]);
  });

  it('ticks are round numbers covering the span', () => {
    expect(ticks(400)).toEqual([0, 100, 200, 300, 400]);
    expect(ticks(9_000)).toEqual([0, 2000, 4000, 6000, 8000]);
  });
});
