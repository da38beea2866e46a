import { describe, expect, it } from 'vitest';
import { daysBetween, formatMicros, formatQuantity, monthSoFar, shareOf } from './usage';

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
