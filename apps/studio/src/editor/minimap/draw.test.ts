import { describe, expect, it } from 'vitest';
import type { AppNode } from '../../lib/types';
import { absolutePositions } from './draw';

const at = (id: string, x: number, y: number, parentId?: string): AppNode =>
  ({ id, type: 'step', position: { x, y }, ...(parentId ? { parentId } : {}), data: { type: 'transform', config: {}, localId: id } }) as AppNode;

describe('absolutePositions', () => {
  it('places nodes inside a loop relative to it, whatever the order', () => {
    const p = absolutePositions([at('child', 10, 20, 'loop'), at('loop', 100, 200), at('free', 5, 5)]);
    expect(p.get('child')).toEqual({ x: 110, y: 220 });
    expect(p.get('loop')).toEqual({ x: 100, y: 200 });
    expect(p.get('free')).toEqual({ x: 5, y: 5 });
  });
});
