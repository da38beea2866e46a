import { describe, expect, it } from 'vitest';
import { dayTotal, lastDays, successRates } from './run-days';

describe('lastDays', () => {
  it('gives n consecutive local days ending with today, oldest first, each bounded by local midnights', () => {
    const days = lastDays(new Date(2026, 11, 5, 13, 30), 7);
    expect(days.map((d) => d.day)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']);
    expect(days[6]!.since).toBe(new Date(2026, 11, 5).toISOString());
    expect(days[6]!.until).toBe(new Date(2026, 11, 6).toISOString());
    for (let i = 1; i < days.length; i++) expect(days[i]!.since).toBe(days[i - 1]!.until);
  });
  it('crosses a year boundary', () => {
    expect(lastDays(new Date(2027, 0, 1, 8), 2).map((d) => d.day)).toEqual(['2026-12-31', '2027-01-01']);
  });
});

describe('dayTotal and successRates', () => {
  it('adds every status', () => {
    expect(dayTotal({ queued: 1, running: 2, waiting: 3, succeeded: 4, failed: 5, cancelled: 6 })).toBe(21);
  });
  it('is succeeded over finished, null when nothing finished', () => {
    expect(successRates([{ succeeded: 3, failed: 1 }, { succeeded: 0, failed: 0 }, { succeeded: 0, failed: 2 }])).toEqual([0.75, null, 0]);
  });
});
