import { contains, union, type Rect } from '../../lib/bounds';

/** How the minimap maps canvas coordinates to its own pixels: `p * scale + (dx, dy)`. */
export interface MinimapFit {
  scale: number;
  dx: number;
  dy: number;
}

/** The canvas rectangle that a React Flow transform `[x, y, zoom]` shows in a `width` × `height` pane. */
export function viewRect([x, y, zoom]: readonly [number, number, number], width: number, height: number): Rect {
  return { x: -x / zoom, y: -y / zoom, width: width / zoom, height: height / zoom };
}

const area = (r: Rect) => r.width * r.height;
const grow = (r: Rect, by: number): Rect => {
  const w = Math.max(r.width, 1);
  const h = Math.max(r.height, 1);
  return { x: r.x - w * by, y: r.y - h * by, width: w * (1 + 2 * by), height: h * (1 + 2 * by) };
};

/**
 * The part of the canvas the minimap shows: the nodes and the view, with room around them. The
 * previous one is kept while it still holds both and is not much bigger than needed, so that a pan
 * moves only the view rectangle and the nodes are not redrawn on every frame.
 */
export function nextWorld(prev: Rect | null, nodes: Rect | null, view: Rect): Rect {
  const need = nodes ? union(nodes, view) : view;
  if (prev && contains(prev, need) && area(prev) <= 4 * area(need)) return prev;
  return grow(need, 0.15);
}

/** `world` scaled to fit a `width` × `height` minimap, centred. */
export function fitInto(world: Rect, width: number, height: number): MinimapFit {
  const scale = Math.min(width / Math.max(world.width, 1), height / Math.max(world.height, 1));
  return { scale, dx: (width - world.width * scale) / 2 - world.x * scale, dy: (height - world.height * scale) / 2 - world.y * scale };
}

/** A canvas rectangle in minimap pixels. */
export const toMinimap = (f: MinimapFit, r: Rect): Rect => ({ x: r.x * f.scale + f.dx, y: r.y * f.scale + f.dy, width: r.width * f.scale, height: r.height * f.scale });

/** A minimap pixel in canvas coordinates. */
export const toCanvas = (f: MinimapFit, p: { x: number; y: number }) => ({ x: (p.x - f.dx) / f.scale, y: (p.y - f.dy) / f.scale });
