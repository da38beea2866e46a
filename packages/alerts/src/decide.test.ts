import { AlertConditionSchema, type AlertCondition } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { conditionHolds, decideAlert, type FinishedRun } from './decide';

const now = new Date('2026-12-13T12:00:00Z');
let n = 0;
/** Runs newest first from a string such as "FFS" (F failed, S succeeded), one minute apart. */
const runs = (pattern: string, minutesApart = 1): FinishedRun[] =>
  [...pattern].map((c, i) => ({ id: `r${n++}`, status: c === 'F' ? 'failed' : 'succeeded', createdAt: new Date(now.getTime() - i * minutesApart * 60_000) }));
const cond = (c: unknown): AlertCondition => AlertConditionSchema.parse(c);

describe('conditions', () => {
  it('failure holds when the latest finished run failed', () => {
    expect(conditionHolds(cond({ type: 'failure' }), runs('F'), now)).toBe(true);
    expect(conditionHolds(cond({ type: 'failure' }), runs('SF'), now)).toBe(false);
    expect(conditionHolds(cond({ type: 'failure' }), [], now)).toBe(false);
  });

  it('consecutive failures hold only with N failed runs in a row, newest first', () => {
    const c = cond({ type: 'consecutive_failures', count: 3 });
    expect(conditionHolds(c, runs('FFFS'), now)).toBe(true);
    expect(conditionHolds(c, runs('FFSF'), now)).toBe(false);
    expect(conditionHolds(c, runs('FF'), now)).toBe(false);
  });

  it('a rate over the last N runs needs the minimum count and the threshold', () => {
    const c = cond({ type: 'failure_rate', threshold: 0.5, windowRuns: 4, minRuns: 4 });
    expect(conditionHolds(c, runs('FSFS'), now)).toBe(true);
    expect(conditionHolds(c, runs('FSSS'), now)).toBe(false);
    expect(conditionHolds(c, runs('FFF'), now)).toBe(false);
    // Only the window counts: older failures do not.
    expect(conditionHolds(c, runs('SSSFFFFF'), now)).toBe(false);
  });

  it('a rate over a time window counts the runs started inside it', () => {
    const c = cond({ type: 'failure_rate', threshold: 0.5, windowMinutes: 60, minRuns: 2 });
    // 30 minutes apart: the first three are inside the hour (0, 30, 60 minutes ago), the rest outside.
    expect(conditionHolds(c, runs('SFFSSSS', 30), now)).toBe(true);
    expect(conditionHolds(c, runs('SSFFFFF', 30), now)).toBe(false);
  });

  it('a rate window needs exactly one of windowRuns and windowMinutes', () => {
    expect(AlertConditionSchema.safeParse({ type: 'failure_rate', threshold: 0.5 }).success).toBe(false);
    expect(AlertConditionSchema.safeParse({ type: 'failure_rate', threshold: 0.5, windowRuns: 3, windowMinutes: 3 }).success).toBe(false);
    expect(AlertConditionSchema.safeParse({ type: 'failure_rate', threshold: 1.5, windowRuns: 3 }).success).toBe(false);
  });
});

describe('decisions', () => {
  it('opens an incident when the condition holds and none is open', () => {
    expect(decideAlert(cond({ type: 'failure' }), runs('F'), false, now)).toEqual({ action: 'open' });
  });

  it('only counts further failures while the incident is open (one alert per incident)', () => {
    expect(decideAlert(cond({ type: 'failure' }), runs('FF'), true, now)).toEqual({ action: 'count' });
  });

  it('resolves on the first success once the condition no longer holds', () => {
    expect(decideAlert(cond({ type: 'consecutive_failures', count: 2 }), runs('SFF'), true, now)).toEqual({ action: 'resolve' });
  });

  it('keeps a rate incident open on a success while the rate is still over the threshold', () => {
    expect(decideAlert(cond({ type: 'failure_rate', threshold: 0.5, windowRuns: 4 }), runs('SFFF'), true, now)).toEqual({ action: 'count' });
    expect(decideAlert(cond({ type: 'failure_rate', threshold: 0.5, windowRuns: 4 }), runs('SSFS'), true, now)).toEqual({ action: 'resolve' });
  });

  it('does nothing when nothing is wrong and nothing is open', () => {
    expect(decideAlert(cond({ type: 'consecutive_failures', count: 2 }), runs('FS'), false, now)).toEqual({ action: 'none' });
  });
});
