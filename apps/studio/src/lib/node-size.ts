import { NODE_H, NODE_W } from './graph';
import type { AppNode, Catalog } from './types';

/** Height of a step with several outputs: a 24 px row per output (nodes.css, StepNodeView). */
export const stepHeight = (outputs: number) => (outputs > 1 ? 28 + outputs * 24 : NODE_H);

/**
 * Gives every node the size it will be drawn at (nodes.css: steps are 220 px wide and as tall as
 * their outputs need, loops their style size) as React Flow's `measured`. React Flow then knows the
 * graph's bounds without waiting for the DOM, and measuring each node finds nothing to change: no
 * second pass over hundreds of nodes on open. A node drawn at another size is simply re-measured.
 */
export function withKnownSizes(nodes: AppNode[], catalog: Catalog): AppNode[] {
  return nodes.map((n) => {
    if (n.measured) return n;
    if (n.type === 'loop') {
      const { width, height } = n.style ?? {};
      return typeof width === 'number' && typeof height === 'number' ? { ...n, measured: { width, height } } : n;
    }
    const entry = catalog[n.data.type];
    return entry ? { ...n, measured: { width: NODE_W, height: stepHeight(entry.handles.length) } } : n;
  });
}
