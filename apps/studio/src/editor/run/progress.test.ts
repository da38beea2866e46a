import { describe, expect, it } from 'vitest';
import { runProgress } from './progress';

const node = (localId: string, parentId?: string) => ({ data: { localId }, ...(parentId ? { parentId } : {}) });

describe('runProgress', () => {
  it('counts every top-level node in the total, and a node done when its latest step finished', () => {
    const nodes = [node('trigger'), node('fetch'), node('loop'), node('inner', 'loop'), node('after')];
    expect(runProgress({ nodes, stepsByNode: {} })).toEqual({ done: 0, total: 4 });
    expect(runProgress({ nodes, stepsByNode: { trigger: { status: 'succeeded' }, fetch: { status: 'running' }, inner: { status: 'succeeded' } } })).toEqual({ done: 1, total: 4 });
    expect(runProgress({ nodes, stepsByNode: { trigger: { status: 'succeeded' }, fetch: { status: 'failed' }, loop: { status: 'skipped' }, after: { status: 'cancelled' } } })).toEqual({ done: 4, total: 4 });
  });
});
