import { describe, expect, it } from 'vitest';
import { contains, growToGrid, nodesBounds, union } from './bounds';
import type { AppNode } from './types';

const at = (id: string, x: number, y: number, extra: Partial<AppNode> = {}): AppNode =>
  ({ id, type: 'step', position: { x, y }, measured: { width: 220, height: 64 }, data: { type: 'transform', config: {}, localId: id }, ...extra }) as AppNode;

describe('nodesBounds', () => {
  it('is the box around the top-level nodes at their known sizes', () => {
    expect(nodesBounds([at('a', 0, 0), at('b', 300, -50), at('c', 5, 5, { parentId: 'a' }), at('d', 9000, 9000, { hidden: true })])).toEqual({ x: 0, y: -50, width: 520, height: 114 });
  });

  it('is null without nodes', () => {
    expect(nodesBounds([])).toBeNull();
  });
});

describe('growToGrid', () => {
  it('grows a box by the margin and moves its edges out to the grid', () => {
    expect(growToGrid({ x: 10, y: -10, width: 100, height: 20 }, 50, 64)).toEqual({ x: -64, y: -64, width: 256, height: 128 });
  });

  it('does not change for small moves inside the same grid cells', () => {
    expect(growToGrid({ x: 12, y: 0, width: 100, height: 20 }, 50, 64)).toEqual(growToGrid({ x: 20, y: 4, width: 100, height: 20 }, 50, 64));
  });
});

describe('union and contains', () => {
  it('join two boxes and tell whether one holds another', () => {
    const u = union({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: -5, width: 10, height: 5 });
    expect(u).toEqual({ x: 0, y: -5, width: 15, height: 15 });
    expect(contains(u, { x: 1, y: 1, width: 2, height: 2 })).toBe(true);
    expect(contains(u, { x: 14, y: 0, width: 2, height: 2 })).toBe(false);
  });
});
