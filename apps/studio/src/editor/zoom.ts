import { getViewportForBounds, type ReactFlowState, type Viewport } from '@xyflow/react';
import { createContext } from 'react';
import { nodesBounds } from '../lib/bounds';
import type { AppNode } from '../lib/types';

/**
 * Below this zoom a node's text is under ~4.5 px: unreadable, and the costliest part to build and
 * paint. Nodes are drawn as their box there (StepNodeView, LoopNodeView; nodes.css `is-far`).
 */
export const FAR_ZOOM = 0.35;
/** A boolean selector: its users re-render when the zoom crosses FAR_ZOOM, not on every pan or zoom frame. */
export const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;
/**
 * `isFar`, for the node views: the canvas subscribes once and passes it down, instead of every node
 * subscribing to React Flow's store (each subscription runs on every store update: pan frames, clicks).
 */
export const FarContext = createContext(false);

/** How the canvas opens: as React Flow's fitView would place the nodes (Canvas.tsx passes the same bounds). */
export const FIT = { padding: 0.2, minZoom: 0.1, maxZoom: 1 };

/**
 * The viewport fitting `nodes` (with known sizes: lib/node-size.ts) into a `width` × `height` canvas.
 * Given to React Flow as its starting viewport, nodes are placed and sized right in the first render
 * instead of being rendered at 100 % first and fitted after they are measured.
 */
export function fittedViewport(nodes: AppNode[], width: number, height: number): Viewport {
  const box = nodesBounds(nodes);
  if (!box || !width || !height) return { x: 0, y: 0, zoom: 1 };
  return getViewportForBounds(box, width, height, FIT.minZoom, FIT.maxZoom, FIT.padding);
}
