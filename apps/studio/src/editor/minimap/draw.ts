import type { AppNode } from '../../lib/types';
import { toMinimap, type MinimapFit } from './geometry';

export interface MinimapColors {
  /** Steps are filled boxes. */
  step: string;
  /** Loops are outlines (their body's steps are drawn inside). */
  loop: string;
}

/** Where each node is on the canvas: positions of nodes inside a loop are relative to it. */
export function absolutePositions(nodes: readonly AppNode[]): Map<string, { x: number; y: number }> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, { x: number; y: number }>();
  const place = (n: AppNode, depth: number): { x: number; y: number } => {
    const known = out.get(n.id);
    if (known) return known;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    const origin = parent && depth < 16 ? place(parent, depth + 1) : { x: 0, y: 0 };
    const p = { x: origin.x + n.position.x, y: origin.y + n.position.y };
    out.set(n.id, p);
    return p;
  };
  for (const n of nodes) place(n, 0);
  return out;
}

/** Draws every node as a box into the minimap's canvas, cleared first; `ratio` = device pixels per CSS pixel. */
export function drawNodes(canvas: HTMLCanvasElement, nodes: readonly AppNode[], fit: MinimapFit, colors: MinimapColors, ratio: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, canvas.width / ratio, canvas.height / ratio);
  const at = absolutePositions(nodes);
  ctx.fillStyle = colors.step;
  ctx.strokeStyle = colors.loop;
  ctx.lineWidth = 1;
  for (const n of nodes) {
    if (n.hidden) continue;
    const p = at.get(n.id)!;
    const r = toMinimap(fit, { ...p, width: n.measured?.width ?? n.width ?? 0, height: n.measured?.height ?? n.height ?? 0 });
    // At least a pixel: a 500-node graph shrinks its boxes to a few pixels.
    const w = Math.max(r.width, 1);
    const h = Math.max(r.height, 1);
    if (n.type === 'loop') ctx.strokeRect(r.x + 0.5, r.y + 0.5, w - 1, h - 1);
    else ctx.fillRect(r.x, r.y, w, h);
  }
}
