import { describe, expect, it } from 'vitest';
import { planFires } from './plan';
import { overlapDecision } from './policies';
import { CronSchedule } from './spec';

const everyMinute = new CronSchedule('* * * * *', 'UTC');
const limits = { misfireGraceMs: 10_000, windowMs: 3_600_000, maxFires: 100 };
const at = (s: string) => new Date(`2026-05-01T${s}Z`);
const iso = (ds: Date[]) => ds.map((d) => d.toISOString().slice(11, 19));

describe('which fires are due', () => {
  it('an on-time fire starts, and the next one is after now', () => {
    const plan = planFires(everyMinute, at('10:00:00'), at('10:00:03'), 'latest', limits);
    expect(iso(plan.fire)).toEqual(['10:00:00']);
    expect(plan.next?.toISOString()).toBe('2026-05-01T10:01:00.000Z');
    expect(plan.dropped).toBe(0);
  });

  it('nothing is due before next_run_at', () => {
    expect(planFires(everyMinute, at('10:01:00'), at('10:00:30'), 'all', limits)).toMatchObject({ fire: [], dropped: 0 });
  });

  it('after a downtime, catchup latest starts only the newest missed fire', () => {
    const plan = planFires(everyMinute, at('10:00:00'), at('10:30:30'), 'latest', limits);
    expect(iso(plan.fire)).toEqual(['10:30:00']);
    expect(plan.dropped).toBe(30);
  });

  it('catchup latest with a fire on time starts that one and drops the missed ones', () => {
    const plan = planFires(everyMinute, at('10:00:00'), at('10:30:05'), 'latest', limits);
    expect(iso(plan.fire)).toEqual(['10:30:00']);
    expect(plan.dropped).toBe(30);
  });

  it('catchup skip starts none of the missed fires', () => {
    const plan = planFires(everyMinute, at('10:00:00'), at('10:30:30'), 'skip', limits);
    expect(plan.fire).toEqual([]);
    expect(plan.next?.toISOString()).toBe('2026-05-01T10:31:00.000Z');
  });

  it('catchup all starts every missed fire in order, within the window and the cap', () => {
    expect(iso(planFires(everyMinute, at('10:00:00'), at('10:03:30'), 'all', limits).fire)).toEqual(['10:00:00', '10:01:00', '10:02:00', '10:03:00']);
    const windowed = planFires(everyMinute, at('08:00:00'), at('10:00:30'), 'all', limits);
    expect(windowed.fire).toHaveLength(60); // 09:00:30 is the window's start
    expect(iso(windowed.fire).slice(0, 2)).toEqual(['09:01:00', '09:02:00']);
    const capped = planFires(everyMinute, at('10:00:00'), at('10:30:30'), 'all', { ...limits, maxFires: 5 });
    expect(iso(capped.fire)).toEqual(['10:26:00', '10:27:00', '10:28:00', '10:29:00', '10:30:00']);
    expect(capped.dropped).toBeGreaterThanOrEqual(1);
  });
});

describe('overlap decisions', () => {
  it('skip, buffer_one and allow', () => {
    expect(overlapDecision('skip', false, false)).toBe('start');
    expect(overlapDecision('skip', true, false)).toBe('skip');
    expect(overlapDecision('buffer_one', true, false)).toBe('buffer');
    expect(overlapDecision('buffer_one', true, true)).toBe('skip');
    expect(overlapDecision('allow', true, true)).toBe('start');
  });
});
