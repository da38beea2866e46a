import { describe, expect, it } from 'vitest';
import { loopItems, runProgress } from './progress';

const node = (localId: string, parentId?: string) => ({ data: { localId }, ...(parentId ? { parentId } : {}) });

describe('runProgress', () => {
  it('counts every top-level node in the total, and a node done when its latest step finished', () => {
    const nodes = [node('trigger'), node('fetch'), node('loop'), node('inner', 'loop'), node('after')];
    expect(runProgress({ nodes, stepsByNode: {} })).toEqual({ done: 0, total: 4 });
    expect(runProgress({ nodes, stepsByNode: { trigger: { status: 'succeeded' }, fetch: { status: 'running' }, inner: { status: 'succeeded' } } })).toEqual({ done: 1, total: 4 });
    expect(runProgress({ nodes, stepsByNode: { trigger: { status: 'succeeded' }, fetch: { status: 'failed' }, loop: { status: 'skipped' }, after: { status: 'cancelled' } } })).toEqual({ done: 4, total: 4 });
  });
});

describe('loopItems', () => {
  const items = { total: 3, started: 3, done: 2, failed: 1 };
  it("shows an iterating loop's counters, and a loop run in place as all done once it succeeded", () => {
    expect(loopItems({ status: 'running', items })).toBe(items);
    expect(loopItems({ status: 'succeeded', input: { count: 3, inPlace: true }, items: { total: 3, started: 0, done: 0, failed: 0 } })).toMatchObject({ total: 3, done: 3 });
    expect(loopItems({ status: 'succeeded' })).toBeUndefined();
  });
});
