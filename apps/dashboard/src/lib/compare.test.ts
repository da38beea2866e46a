import type { Step } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { compareRuns, outputChanges } from './compare';

const step = (nodeId: string, attempt: number, status: Step['status'], output: unknown, durationMs: number | null = 10, error: string | null = null): Step => ({
  id: `${nodeId}-${attempt}`, nodeId, attempt, status, startedAt: null, finishedAt: null, durationMs, output, error: error ? { code: 'x', message: error, retryable: false } : null,
});

describe('comparing two runs', () => {
  it('lines the nodes up, says which differ and how their outputs changed', () => {
    const a = { steps: [step('start', 1, 'succeeded', {}), step('call', 1, 'failed', null, 100, 'HTTP 503'), step('call', 2, 'failed', null, 120, 'HTTP 503')] };
    const b = { steps: [step('start', 1, 'succeeded', {}), step('call', 1, 'succeeded', { status: 200 }, 40), step('out', 1, 'succeeded', { ok: 200 }, 5)] };
    const rows = compareRuns(a, b);
    expect(rows.map((r) => [r.nodeId, r.a.status, r.b.status, r.same])).toEqual([
      ['start', 'succeeded', 'succeeded', true],
      ['call', 'failed', 'succeeded', false],
      ['out', 'not-reached', 'succeeded', false],
    ]);
    expect(rows[1]!.a).toMatchObject({ attempts: 2, durationMs: 220, error: 'HTTP 503' });
    expect(rows[1]!.durationDelta).toBe(40 - 220);
    expect(rows[1]!.outputChanges).toEqual([{ path: '', kind: 'changed', before: null, after: { status: 200 } }]);
  });

  it('diffs outputs field by field', () => {
    expect(outputChanges({ total: 10, items: [1, 2], gone: true }, { total: 12, items: [1, 2, 3], added: 'x' })).toEqual([
      { path: 'total', kind: 'changed', before: 10, after: 12 },
      { path: 'items.2', kind: 'added', after: 3 },
      { path: 'gone', kind: 'removed', before: true },
      { path: 'added', kind: 'added', after: 'x' },
    ]);
    expect(outputChanges({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
