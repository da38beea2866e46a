import { describe, expect, it } from 'vitest';
import { EmptyBuckets } from './empty-buckets';

describe('EmptyBuckets', () => {
  it('knows a bucket is empty until the time it was given, and forgets it after', () => {
    const empty = new EmptyBuckets();
    empty.set('k', 1500, 3000, 1000);
    expect(empty.get('k', 1499)).toEqual({ until: 1500, fullAt: 3000 });
    expect(empty.get('k', 1500)).toBeUndefined();
    expect(empty.get('k', 1499)).toBeUndefined();
  });

  it('keeps at most its size: expired entries go first, then the oldest', () => {
    const empty = new EmptyBuckets(2);
    empty.set('old', 10, 10, 0);
    empty.set('a', 100, 100, 0);
    empty.set('b', 100, 100, 20);
    expect(empty.get('old', 5)).toBeUndefined();
    expect(empty.get('a', 20)).toBeDefined();
    empty.set('c', 100, 100, 20);
    expect(empty.get('a', 20)).toBeUndefined();
    expect(empty.get('b', 20)).toBeDefined();
    expect(empty.get('c', 20)).toBeDefined();
  });
});
