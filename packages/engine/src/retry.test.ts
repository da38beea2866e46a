import type { RetryPolicy, StepError } from '@weft/workflow-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldRetry } from './retry';

const exponential = (initialDelayMs: number, maxDelayMs: number, maxAttempts = 5): RetryPolicy => ({
  maxAttempts,
  backoff: 'exponential',
  initialDelayMs,
  maxDelayMs,
});
const error = (retryable: boolean, details?: Record<string, unknown>): StepError => ({
  code: 'x',
  message: 'x',
  retryable,
  ...(details ? { details } : {}),
});

const policyArb = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 100 }),
  backoff: fc.constantFrom('exponential' as const, 'fixed' as const),
  initialDelayMs: fc.integer({ min: 0, max: 3_600_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 86_400_000 }),
});
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retryDelayMs', () => {
  it('draws an exponential delay uniformly in [0, min(max, initial·2^(n-2))] (full jitter)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 2, max: 100 }), randomArb, (policy, attempt, random) => {
        const p = { ...policy, backoff: 'exponential' as const };
        const delay = retryDelayMs(p, attempt, random);
        const cap = Math.min(p.maxDelayMs, p.initialDelayMs * 2 ** (attempt - 2));
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(cap);
      }),
    );
  });

  it('doubles the ceiling with every attempt until maxDelayMs', () => {
    const p = exponential(100, 1000);
    const almostOne = 0.9999999;
    expect([2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(p, n, almostOne))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(retryDelayMs(p, 2, 0)).toBe(0);
    expect(retryDelayMs(p, 3, 0.5)).toBe(100);
  });

  it('gives the same delay for the same random draw, so a replay is exact', () => {
    const p = exponential(250, 30_000);
    expect(retryDelayMs(p, 4, 0.3)).toBe(retryDelayMs(p, 4, 0.3));
  });

  it('waits exactly initialDelayMs with fixed backoff, bounded by maxDelayMs, whatever the draw', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 2, max: 100 }), randomArb, (policy, attempt, random) => {
        const p = { ...policy, backoff: 'fixed' as const };
        expect(retryDelayMs(p, attempt, random)).toBe(Math.min(p.initialDelayMs, p.maxDelayMs));
      }),
    );
  });

  it('waits at least the Retry-After of the failure, but never past maxDelayMs', () => {
    const p = exponential(100, 10_000);
    expect(retryDelayMs(p, 2, 0, error(true, { retryAfterMs: 3000 }))).toBe(3000);
    expect(retryDelayMs(p, 2, 0, error(true, { retryAfterMs: 60_000 }))).toBe(10_000);
    expect(retryDelayMs(exponential(100_000, 200_000), 2, 0.5, error(true, { retryAfterMs: 10 }))).toBe(50_000);
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 2, max: 100 }), randomArb, fc.integer({ min: 1, max: 10 ** 9 }), (policy, attempt, random, after) => {
        const delay = retryDelayMs(policy, attempt, random, error(true, { retryAfterMs: after }));
        expect(delay).toBeGreaterThanOrEqual(Math.min(after, policy.maxDelayMs));
        expect(delay).toBeLessThanOrEqual(Math.max(policy.maxDelayMs, retryDelayMs(policy, attempt, random)));
      }),
    );
  });

  it('ignores a Retry-After that is not a positive number', () => {
    const p = exponential(100, 10_000);
    for (const retryAfterMs of [0, -5, 'soon', null, Number.NaN]) {
      expect(retryDelayMs(p, 2, 0.5, error(true, { retryAfterMs }))).toBe(50);
    }
  });
});

describe('shouldRetry', () => {
  it('retries a retryable error while attempts remain', () => {
    const p = exponential(10, 100, 3);
    expect(shouldRetry(p, 1, error(true))).toBe(true);
    expect(shouldRetry(p, 2, error(true))).toBe(true);
    expect(shouldRetry(p, 3, error(true))).toBe(false);
  });

  it('never retries a non-retryable error or a node without a policy', () => {
    expect(shouldRetry(exponential(10, 100, 3), 1, error(false))).toBe(false);
    expect(shouldRetry(undefined, 1, error(true))).toBe(false);
  });
});
