import { describe, expect, it } from 'vitest';
import { withKnownSizes } from './node-size';
import type { AppNode, Catalog } from './types';

const catalog = { transform: { handles: [] }, branch: { handles: ['true', 'false'] } } as unknown as Catalog;
const step = (id: string, type: string): AppNode => ({ id, type: 'step', position: { x: 0, y: 0 }, data: { type, config: {}, localId: id } });

describe('withKnownSizes', () => {
  it('sizes steps by their outputs and loops by their style', () => {
    const loop: AppNode = { id: 'l', type: 'loop', position: { x: 0, y: 0 }, style: { width: 500, height: 300 }, data: { type: 'for_each', config: {}, localId: 'l' } };
    const [a, b, c] = withKnownSizes([step('a', 'transform'), step('b', 'branch'), loop], catalog);
    expect(a!.measured).toEqual({ width: 220, height: 64 });
    expect(b!.measured).toEqual({ width: 220, height: 76 });
    expect(c!.measured).toEqual({ width: 500, height: 300 });
  });

  it('leaves measured nodes and unknown types to React Flow', () => {
    const measured = { ...step('a', 'transform'), measured: { width: 1, height: 2 } };
    const [a, b] = withKnownSizes([measured, step('b', 'nope')], catalog);
    expect(a).toBe(measured);
    expect(b!.measured).toBeUndefined();
  });
});
