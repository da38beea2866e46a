import { describe, expect, it } from 'vitest';
import { barPair, daysBetween, formatMicros, formatQuantity, humanDuration, monthSoFar, monthStart, shareOf } from './usage';

describe('usage card helpers', () => {
  it('starts months in local time, across a year end', () => {
    const now = new Date(2027, 0, 15, 10, 30);
    expect(new Date(monthStart(now)).getTime()).toBe(new Date(2027, 0, 1).getTime());
    expect(new Date(monthStart(now, -1)).getTime()).toBe(new Date(2026, 11, 1).getTime());
    expect(new Date(monthStart(now, 1)).getTime()).toBe(new Date(2027, 1, 1).getTime());
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
    expect(monthSoFar(new Date('2026-12-05T10:00:00Z'))).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });
  it('measures a quota', () => {
    expect(shareOf(5, null)).toBe(0);
    expect(shareOf(5, 10)).toBe(0.5);
    expect(shareOf(50, 10)).toBe(1);
  });
});
