import { describe, expect, it } from 'vitest';
import { PATTERN_WORK_BUDGET, PatternBudgetExceeded, withPatternBudget } from './budget';
import { MAX_INSTRUCTIONS, compileLinear, patternProblem } from './engine';

describe('How much matching one validation may do', () => {
  it('lets a validation check about a million characters against a simple pattern', () => {
    const re = compileLinear('^\\S+$');
    expect(withPatternBudget(() => re.test('x'.repeat(PATTERN_WORK_BUDGET / 100)))).toBe(true);
  });

  it('stops the check that goes over the budget, and every later one of that validation', () => {
    const re = compileLinear('^\\S+$');
    const big = 'x'.repeat(600_000);
    withPatternBudget(() => {
      expect(re.test(big)).toBe(true);
      expect(() => re.test(big)).toThrow(PatternBudgetExceeded);
      expect(() => re.test('x')).toThrow(/more text than the input schema's patterns may check in one request/);
    });
  });

  it('charges larger patterns more per character', () => {
    const large = compileLinear('^[a-z]{500}$'); // ~500 instructions: 5 times the floor
    expect(() => withPatternBudget(() => large.test('x'.repeat(250_000)))).toThrow(PatternBudgetExceeded);
    expect(withPatternBudget(() => large.test('x'.repeat(150_000)))).toBe(false);
  });

  it('starts afresh with each validation and does not limit code outside one', () => {
    const re = compileLinear('x');
    for (let i = 0; i < 3; i++) expect(withPatternBudget(() => re.test('x'.repeat(900_000)))).toBe(true);
    expect(re.test('y'.repeat(2_000_000))).toBe(false);
  });

  it(`refuses at compile a pattern larger than ${MAX_INSTRUCTIONS} instructions`, () => {
    expect(patternProblem('^.{900}$')).toBeUndefined();
    expect(patternProblem('^\\d{600}-\\d{600}$')).toMatch(/^pattern is too large for the linear-time engine: 1,2\d\d instructions, at most 1,000/);
  });
});
