import { describe, expect, it } from 'vitest';
import { CircuitBreakers } from './circuit-breaker';

describe('CircuitBreakers', () => {
  it('opens after N consecutive failures, fails fast, half-opens after the cool-down and closes on success', () => {
    let now = 0;
    const b = new CircuitBreakers(3, 1000, () => now);
    for (let i = 0; i < 2; i++) b.failure('api.example.com');
    expect(() => b.before('api.example.com')).not.toThrow();
    b.failure('api.example.com');
    expect(b.state('api.example.com')).toBe('open');
    expect(() => b.before('api.example.com')).toThrow(expect.objectContaining({ code: 'circuit_open', retryable: true }));
    expect(() => b.before('other.example.com')).not.toThrow();
    now = 1000;
    expect(() => b.before('api.example.com')).not.toThrow(); // the trial
    expect(() => b.before('api.example.com')).toThrow(expect.objectContaining({ details: expect.objectContaining({ circuit: 'half-open' }) }));
    b.success('api.example.com');
    expect(b.state('api.example.com')).toBe('closed');
  });

  it('re-opens when the half-open trial fails, and a success resets the count', () => {
    let now = 0;
    const b = new CircuitBreakers(2, 500, () => now);
    b.failure('h');
    b.success('h');
    b.failure('h');
    expect(b.state('h')).toBe('closed');
    b.failure('h');
    expect(b.state('h')).toBe('open');
    now = 600;
    b.before('h');
    b.failure('h');
    expect(b.state('h')).toBe('open');
    expect(() => b.before('h')).toThrow();
  });
});
