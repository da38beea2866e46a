import type { AppNode } from './types';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The box around the top-level nodes at their known sizes (lib/node-size.ts), in canvas
 * coordinates; null when there is none. Children of a loop lie inside it and are left out.
 */
export function nodesBounds(nodes: readonly AppNode[]): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of nodes) {
    if (n.parentId || n.hidden) continue;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + (n.measured?.width ?? 0));
    y1 = Math.max(y1, n.position.y + (n.measured?.height ?? 0));
  }
  return Number.isFinite(x0) ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** `r` grown by `margin` on every side, its edges then moved out to multiples of `step`. */
export function growToGrid(r: Rect, margin: number, step: number): Rect {
  const x = Math.floor((r.x - margin) / step) * step;
  const y = Math.floor((r.y - margin) / step) * step;
  return { x, y, width: Math.ceil((r.x + r.width + margin) / step) * step - x, height: Math.ceil((r.y + r.height + margin) / step) * step - y };
}

export const union = (a: Rect, b: Rect): Rect => {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
};

export const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

export const sameRect = (a: Rect | null, b: Rect | null) => a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);
