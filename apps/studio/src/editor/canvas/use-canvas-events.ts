import { useReactFlow, type Connection, type Edge, type ReactFlowProps } from '@xyflow/react';
import { useCallback, useMemo, useRef, type MouseEvent as ReactMouseEvent, type RefObject } from 'react';
import { connectionProblem } from '../../lib/connect';
import type { AppEdge, AppNode } from '../../lib/types';
import { useEditor } from '../store';

export interface MenuRequest {
  x: number;
  y: number;
  /** Where the menu was opened, in canvas coordinates (new nodes go there). */
  flow: { x: number; y: number };
  nodeId?: string;
}

/** A pan by dragging the pane with the mouse (not the wheel, a touch or a button). */
const isDragPan = (e: MouseEvent | TouchEvent | null) => e?.type === 'mousedown' || e?.type === 'pointerdown';

/**
 * Chromium keeps the raster scale of a will-change layer when it is zoomed (nodes.css: the
 * viewport), so after zooming out it drew the graph downscaled from a finer raster: aliased, and
 * slow to composite in software. Without will-change for a frame, it is rastered anew at the new zoom.
 */
function rasterAtNewZoom(canvas: HTMLElement) {
  canvas.classList.add('is-rescaling');
  requestAnimationFrame(() => requestAnimationFrame(() => canvas.classList.remove('is-rescaling')));
}

const isValidConnection = (c: Connection | Edge) => {
  const s = useEditor.getState();
  return connectionProblem(s, c as Connection, s.catalog) === null;
};

/**
 * The canvas's event handlers for `<ReactFlow>`: menus, undo checkpoints, the pan shield. They are
 * stable on purpose: React Flow copies every handler prop that changed into its store (each copy
 * runs every node's and edge's store subscription) and hands some to every node, so inline arrows,
 * new on each render of the canvas, i.e. on every change of the nodes, cost a click on one of 500
 * nodes ~60 ms (bench/ studio500).
 */
export function useCanvasEvents(wrapper: RefObject<HTMLDivElement | null>, onMenu: (req: MenuRequest | null) => void) {
  const flow = useReactFlow<AppNode>();
  const checkpoint = useEditor((s) => s.checkpoint);
  const zoomAtStart = useRef(0);
  const openMenu = useCallback(
    (e: ReactMouseEvent | MouseEvent, nodeId?: string) => {
      e.preventDefault();
      onMenu({ x: e.clientX, y: e.clientY, flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }), ...(nodeId ? { nodeId } : {}) });
    },
    [flow, onMenu],
  );
  return useMemo(
    () =>
      ({
        isValidConnection,
        onNodeDragStart: () => checkpoint(),
        onSelectionDragStart: () => checkpoint(),
        onPaneContextMenu: (e) => openMenu(e),
        onNodeContextMenu: (e, n) => openMenu(e, n.id),
        onPaneClick: () => onMenu(null),
        onMoveStart: (e, viewport) => {
          onMenu(null);
          zoomAtStart.current = viewport.zoom;
          if (isDragPan(e)) wrapper.current?.classList.add('is-panning');
        },
        onMoveEnd: (_, viewport) => {
          wrapper.current?.classList.remove('is-panning');
          if (wrapper.current && viewport.zoom !== zoomAtStart.current) rasterAtNewZoom(wrapper.current);
        },
      }) satisfies Partial<ReactFlowProps<AppNode, AppEdge>>,
    [checkpoint, openMenu, onMenu, wrapper],
  );
}
