import { describe, expect, it } from 'vitest';
import { BULK_BATCH, BULK_MAX, BULK_ROUNDS, actOnMatching, appliesTo, matchingSentence } from './bulk';

describe('bulk actions over every matching run', () => {
  it('calls again while more match, counting every run taken, and reports progress', async () => {
    const answers = [{ runIds: ['a', 'b'], more: true }, { runIds: ['c'], more: false }];
    const limits: number[] = [];
    const progress: number[] = [];
    const r = await actOnMatching(async (limit) => (limits.push(limit), answers.shift()!), (n) => progress.push(n));
    expect(r).toEqual({ done: 3, more: false });
    expect(limits).toEqual([BULK_BATCH, BULK_BATCH]);
    expect(progress).toEqual([2, 3]);
  });

  it('stops at its cap, or when a call takes nothing although more match', async () => {
    let calls = 0;
    expect(await actOnMatching(async () => (calls++, { runIds: ['x'], more: true }))).toEqual({ done: BULK_ROUNDS, more: true });
    expect(calls).toBe(BULK_ROUNDS);
    expect(await actOnMatching(async () => ({ runIds: [], more: true }))).toEqual({ done: 0, more: true });
  });

  it('offers an action only for a status it applies to, and says what it did', () => {
    expect([appliesTo('retry', undefined), appliesTo('retry', 'failed'), appliesTo('retry', 'running')]).toEqual([true, true, false]);
    expect([appliesTo('cancel', 'waiting'), appliesTo('cancel', 'succeeded')]).toEqual([true, false]);
    expect(matchingSentence('retry', 1, false)).toBe('Retried 1 matching run');
    expect(matchingSentence('cancel', BULK_MAX, true)).toContain(`Cancelled ${BULK_MAX} matching runs; more match`);
  });
});
