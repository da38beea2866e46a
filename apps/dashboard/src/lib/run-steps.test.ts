import type { Step } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { formatDuration, nodeRows, waitingApprovals } from './run-steps';

const step = (nodeId: string, attempt: number, status: Step['status'], extra: Partial<Step> = {}): Step => ({
  id: `${nodeId}-${attempt}`, nodeId, attempt, status, startedAt: null, finishedAt: null, durationMs: null, output: null, error: null, ...extra,
});

describe('the steps of a run', () => {
  it('group attempts by node; the last attempt gives the status and durations add up', () => {
    const rows = nodeRows([step('fetch', 2, 'succeeded', { durationMs: 30 }), step('start', 1, 'succeeded', { durationMs: 1 }), step('fetch', 1, 'failed', { durationMs: 12 })]);
    expect(rows.map((r) => [r.nodeId, r.status, r.attempts.map((a) => a.attempt), r.durationMs])).toEqual([
      ['fetch', 'succeeded', [1, 2], 42],
      ['start', 'succeeded', [1], 1],
    ]);
  });

  it('a waiting step with a prompt is an approval; a waiting delay is not', () => {
    const run = { id: 'r', steps: [step('approve', 1, 'waiting', { input: { prompt: 'Refund 40 EUR?' } }), step('pause', 1, 'waiting', { input: { wakeAt: 'x' } }), step('done', 1, 'succeeded', { input: { prompt: 'old' } })] };
    expect(waitingApprovals(run)).toEqual([{ runId: 'r', nodeId: 'approve', prompt: 'Refund 40 EUR?', since: null }]);
  });

  it('durations read as people say them', () => {
    expect([formatDuration(null), formatDuration(340), formatDuration(2400), formatDuration(185_000)]).toEqual(['—', '340 ms', '2.4 s', '3 min 5 s']);
  });
});
