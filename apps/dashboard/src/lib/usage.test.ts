import { describe, expect, it } from 'vitest';
import { barPair, humanDuration, monthStart } from './usage';

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
