import { describe, expect, it } from 'vitest';
import { utcMonth } from '@weft/workflow-schema';
import { barPair, daysBetween, formatMicros, formatQuantity, humanDuration, shareOf, utcMonthDays } from './usage';

describe('usage card helpers', () => {
  it('counts months in UTC, the way billing does, across a year end and whatever the local time zone', () => {
    // 23:30 on 31 December in UTC is already January in UTC+1 and still December in UTC-5: UTC decides.
    const now = new Date('2026-12-31T23:30:00Z');
    expect(utcMonthDays(now)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(utcMonthDays(now, -1)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    const jan = new Date('2027-01-01T00:10:00Z');
    expect(utcMonthDays(jan)).toEqual({ from: '2027-01-01', to: '2027-01-01' });
    expect(utcMonthDays(jan, -1)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(utcMonthDays(new Date('2028-03-10T12:00:00Z'), -1)).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    // The same month as billing's quota month (its resetsAt is utcMonth(now).end).
    expect(utcMonthDays(now).from).toBe(utcMonth(now).start.toISOString().slice(0, 10));
  });

  it('says a duration in the largest units that read well', () => {
    expect(humanDuration(850)).toBe('850 ms');
    expect(humanDuration(12_400)).toBe('12.4 s');
    expect(humanDuration(425_000)).toBe('7 min 5 s');
    expect(humanDuration(11_520_000)).toBe('3 h 12 min');
  });

  it('scales two bars to the larger one, and both to nothing when both are 0', () => {
    expect(barPair(50, 100)).toEqual([50, 100]);
    expect(barPair(40, 10)).toEqual([100, 25]);
    expect(barPair(0, 0)).toEqual([0, 0]);
  });
});

describe('usage helpers', () => {
  it('formats micro-units exactly', () => {
    expect(formatMicros('15281', 'USD')).toBe('USD 0.015281');
    expect(formatMicros('0', 'USD')).toBe('USD 0.000000');
    expect(formatMicros('123456789012', 'USD')).toBe('USD 123456.789012');
  });
  it('reads quantities by kind', () => {
    expect(formatQuantity('step_ms', 1500)).toBe('1.5 s');
    expect(formatQuantity('http_bytes', 2048)).toBe('2.0 KB');
    expect(formatQuantity('run', 12000)).toBe('12,000');
  });
  it('spans the month so far and every day of a range', () => {
    expect(utcMonthDays(new Date('2026-12-05T10:00:00Z'))).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });
  it('measures a quota', () => {
    expect(shareOf(5, null)).toBe(0);
    expect(shareOf(5, 10)).toBe(0.5);
    expect(shareOf(50, 10)).toBe(1);
  });
});
