import { describe, expect, it } from 'vitest';
import { limitField, policyField, retryAfterSeconds } from './headers';
import type { BucketCheck } from './token-buckets';

const key: BucketCheck = { name: 'key', partition: 'api_key:k1', policy: { rate: 5000, burst: 10000 } };
const runs: BucketCheck = { name: 'org-runs', partition: 'o1', policy: { rate: 0.5, burst: 3 } };

describe('RateLimit header fields', () => {
  it('states each policy as a quoted name with its quota and the seconds an empty bucket takes to fill', () => {
    expect(policyField([key, runs])).toBe('"key";q=10000;w=2, "org-runs";q=3;w=6');
  });

  it('gives every window at least one second, since the field is whole seconds', () => {
    expect(policyField([{ ...key, policy: { rate: 1000, burst: 10 } }])).toBe('"key";q=10;w=1');
  });

  it('states what is left of each policy and the seconds until it is full again, rounded up', () => {
    const states = [{ remaining: 9999, resetMs: 1, retryMs: 0 }, { remaining: 0, resetMs: 4100, retryMs: 1100 }];
    expect(limitField([key, runs], states)).toBe('"key";r=9999;t=1, "org-runs";r=0;t=5');
  });

  it('retries after the slowest refused bucket holds a token again, never sooner than one second', () => {
    expect(retryAfterSeconds([{ remaining: 5, resetMs: 10, retryMs: 0 }, { remaining: 0, resetMs: 4000, retryMs: 1100 }])).toBe(2);
    expect(retryAfterSeconds([{ remaining: 0, resetMs: 10, retryMs: 1 }])).toBe(1);
  });
});
