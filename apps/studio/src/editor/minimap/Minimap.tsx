'use client';
import { Panel, useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef, type PointerEvent } from 'react';
import { useTheme } from '@weft/ui/theme';
import { nodesBounds, type Rect } from '../../lib/bounds';
import type { AppNode } from '../../lib/types';
import { drawNodes } from './draw';
import { fitInto, nextWorld, toCanvas, toMinimap, viewRect, type MinimapFit } from './geometry';

const WIDTH = 200;
const HEIGHT = 150;
/** A press that moves less than this (px) is a click: the view centres there. */
const CLICK_SLOP = 3;

interface Drag {
  pointer: number;
  x: number;
  y: number;
  viewport: { x: number; y: number; zoom: number };
  scale: number;
  moved: boolean;
}

/**
 * The canvas in small, bottom right: drag to pan, click to centre the view there, wheel to zoom.
 * Unlike React Flow's `<MiniMap>` (an SVG rectangle per node, repainted on every pan frame, and a
 * store subscription per node), the nodes are drawn once into a `<canvas>` and only the view
 * rectangle moves while panning, by a compositor-only transform (bench/ studio500).
 */
export function Minimap() {
  const store = useStoreApi<AppNode>();
  const flow = useReactFlow<AppNode>();
  const { theme } = useTheme();
  const body = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<HTMLDivElement>(null);
  const fit = useRef<MinimapFit>(fitInto({ x: 0, y: 0, width: 1, height: 1 }, WIDTH, HEIGHT));
  const drag = useRef<Drag | null>(null);

  // Follows React Flow's store as its viewport does: DOM writes, no React render per frame.
  useLayoutEffect(() => {
    const el = canvas.current!;
    const ratio = window.devicePixelRatio || 1;
    el.width = WIDTH * ratio;
    el.height = HEIGHT * ratio;
    const css = getComputedStyle(el);
    const colors = { step: css.getPropertyValue('--border-strong').trim() || 'gray', loop: css.getPropertyValue('--edge').trim() || 'gray' };
    let nodes: AppNode[] | null = null;
    let box: Rect | null = null;
    let world: Rect | null = null;
    let placed = '';
    const update = () => {
      const s = store.getState();
      const seen = viewRect(s.transform, s.width, s.height);
      const nodesChanged = s.nodes !== nodes;
      if (nodesChanged) {
        nodes = s.nodes;
        box = nodesBounds(nodes);
      }
      const next = nextWorld(world, box, seen);
      if (nodesChanged || next !== world) {
        world = next;
        fit.current = fitInto(world, WIDTH, HEIGHT);
        drawNodes(el, s.nodes, fit.current, colors, ratio);
      }
      const r = toMinimap(fit.current, seen);
      const size = `${r.width}px ${r.height}px`;
      const v = view.current!;
      if (size !== placed) {
        v.style.width = `${r.width}px`;
        v.style.height = `${r.height}px`;
        placed = size;
      }
      v.style.transform = `translate(${r.x}px, ${r.y}px)`;
    };
    update();
    return store.subscribe(update);
  }, [store, theme]);

  // React's onWheel is passive: the page must not scroll while the minimap zooms.
  useEffect(() => {
    const el = body.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const perUnit = e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002;
      void flow.zoomTo(flow.getZoom() * 2 ** (-e.deltaY * perUnit));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [flow]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointer: e.pointerId, x: e.clientX, y: e.clientY, viewport: flow.getViewport(), scale: fit.current.scale, moved: false };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
    d.moved = true;
    // The view rectangle follows the pointer: minimap pixels → canvas units → screen pixels.
    const { x, y, zoom } = d.viewport;
    void flow.setViewport({ x: x - (dx / d.scale) * zoom, y: y - (dy / d.scale) * zoom, zoom });
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.pointer !== e.pointerId || d.moved) return;
    const box = e.currentTarget.getBoundingClientRect();
    const at = toCanvas(fit.current, { x: e.clientX - box.left, y: e.clientY - box.top });
    void flow.setCenter(at.x, at.y, { zoom: d.viewport.zoom, duration: 200 });
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap minimap">
      <div
        ref={body}
        className="minimap-body"
        role="img"
        aria-label="Minimap"
        data-testid="minimap"
        style={{ width: WIDTH, height: HEIGHT }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (drag.current = null)}
      >
        <canvas ref={canvas} style={{ width: WIDTH, height: HEIGHT }} />
        <div ref={view} className="minimap-view" data-testid="minimap-view" />
      </div>
    </Panel>
  );
}
