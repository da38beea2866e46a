import { describe, expect, it } from 'vitest';
import { fitInto, nextWorld, toCanvas, toMinimap, viewRect } from './geometry';

const nodes = { x: 0, y: 0, width: 1000, height: 500 };

describe('viewRect', () => {
  it('is what a React Flow transform shows, in canvas coordinates', () => {
    expect(viewRect([-100, 50, 0.5], 800, 600)).toEqual({ x: 200, y: -100, width: 1600, height: 1200 });
  });
});

describe('nextWorld', () => {
  it('holds the nodes and the view, with room around them', () => {
    const w = nextWorld(null, nodes, { x: 900, y: 400, width: 400, height: 300 });
    expect(w.x).toBeLessThan(0);
    expect(w.x + w.width).toBeGreaterThan(1300);
    expect(w.y + w.height).toBeGreaterThan(700);
  });

  it('stays the same while a pan keeps the view inside it: the nodes are not redrawn', () => {
    const first = nextWorld(null, nodes, { x: 100, y: 100, width: 400, height: 300 });
    expect(nextWorld(first, nodes, { x: 120, y: 90, width: 400, height: 300 })).toBe(first);
  });

  it('changes when the view leaves it, or when it is far bigger than needed', () => {
    const first = nextWorld(null, nodes, { x: 100, y: 100, width: 400, height: 300 });
    expect(nextWorld(first, nodes, { x: 5000, y: 100, width: 400, height: 300 })).not.toBe(first);
    const huge = nextWorld(null, nodes, { x: -20000, y: -20000, width: 40000, height: 40000 });
    expect(nextWorld(huge, nodes, { x: 100, y: 100, width: 400, height: 300 })).not.toBe(huge);
  });
});

describe('fitInto, toMinimap, toCanvas', () => {
  it('centre the world in the minimap and map points both ways', () => {
    const f = fitInto({ x: -100, y: 0, width: 400, height: 100 }, 200, 150);
    expect(f.scale).toBe(0.5);
    expect(toMinimap(f, { x: -100, y: 0, width: 400, height: 100 })).toEqual({ x: 0, y: 50, width: 200, height: 50 });
    expect(toCanvas(f, { x: 100, y: 75 })).toEqual({ x: 100, y: 50 });
  });
});
