'use client';
import { Controls, ReactFlow, useReactFlow, useStore, type Connection, type Edge, type ReactFlowState, type Viewport } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { connectionProblem } from '../lib/connect';
import type { AppNode } from '../lib/types';
import { useTheme } from '../components/theme';
import { CanvasDots } from './canvas/CanvasDots';
import { GraphBackdrop } from './canvas/GraphBackdrop';
import { Minimap } from './minimap/Minimap';
import { DRAG_MIME } from './Palette';
import { edgeTypes, nodeTypes } from './nodes';
import { useAddNode } from './use-add-node';
import { useEditor } from './store';
import { FIT, fittedViewport, isFar } from './zoom';

export interface MenuRequest {
  x: number;
  y: number;
  /** Where the menu was opened, in canvas coordinates (new nodes go there). */
  flow: { x: number; y: number };
  nodeId?: string;
}

interface Props {
  onMenu(req: MenuRequest | null): void;
  onFile(file: File): void;
  showMinimap: boolean;
}

const SNAP: [number, number] = [16, 16];

/** The React Flow canvas, wired to the editor store. */
export function Canvas({ onMenu, onFile, showMinimap }: Props) {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const snapToGrid = useEditor((s) => s.snapToGrid);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const connect = useEditor((s) => s.connect);
  const checkpoint = useEditor((s) => s.checkpoint);
  const { theme } = useTheme();
  const flow = useReactFlow<AppNode>();
  const addNode = useAddNode();
  const wrapper = useRef<HTMLDivElement>(null);
  const far = useStore(isFar);
  // The opening view, fitted to the nodes (their sizes are known up front) once the canvas has its size.
  const [opening, setOpening] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const el = wrapper.current!;
    setOpening(fittedViewport(useEditor.getState().nodes, el.clientWidth, el.clientHeight));
  }, []);

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const s = useEditor.getState();
    return connectionProblem(s, c as Connection, s.catalog) === null;
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    const types = e.dataTransfer.types;
    if (types.includes(DRAG_MIME) || types.includes('Files')) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const file = e.dataTransfer.files?.[0];
      if (file) {
        e.preventDefault();
        return onFile(file);
      }
      const type = e.dataTransfer.getData(DRAG_MIME);
      if (!type) return;
      e.preventDefault();
      addNode(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [flow, onFile, addNode],
  );

  const openMenu = useCallback(
    (e: ReactMouseEvent | MouseEvent, nodeId?: string) => {
      e.preventDefault();
      onMenu({ x: e.clientX, y: e.clientY, flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }), ...(nodeId ? { nodeId } : {}) });
    },
    [flow, onMenu],
  );

  return (
    <div ref={wrapper} className={far ? 'canvas is-far' : 'canvas'} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      {opening && (
      <ReactFlow<AppNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        isValidConnection={isValidConnection}
        onNodeDragStart={() => checkpoint()}
        onSelectionDragStart={() => checkpoint()}
        onPaneContextMenu={(e) => openMenu(e)}
        onNodeContextMenu={(e, n) => openMenu(e, n.id)}
        onPaneClick={() => onMenu(null)}
        onMoveStart={(e) => {
          onMenu(null);
          if (isDragPan(e)) wrapper.current?.classList.add('is-panning');
        }}
        onMoveEnd={() => wrapper.current?.classList.remove('is-panning')}
        snapToGrid={snapToGrid}
        snapGrid={SNAP}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        colorMode={theme}
        minZoom={FIT.minZoom}
        maxZoom={2}
        defaultViewport={opening}
        // Culling pays off close up; zoomed far out nearly everything is in view anyway, and culling
        // would mount and unmount the nodes and edges crossing the border on every pan frame.
        onlyRenderVisibleElements={nodes.length > CULL_ABOVE && !far}
        proOptions={{ hideAttribution: true }}
      >
        <CanvasDots gap={16} size={1.2} />
        <GraphBackdrop />
        <Controls showInteractive={false} position="bottom-left" aria-label="Zoom controls" />
        <ReadyMark />
        {showMinimap && <Minimap />}
      </ReactFlow>
      )}
      <div className="pan-shield" aria-hidden />
    </div>
  );
}

/** A pan by dragging the pane with the mouse (not the wheel, a touch or a button). */
const isDragPan = (e: MouseEvent | TouchEvent | null) => e?.type === 'mousedown' || e?.type === 'pointerdown';

/** Workflows with more nodes than this render only the nodes and edges in view (when not far out). */
const CULL_ABOVE = 200;

/**
 * React Flow has its pan/zoom and the opening view, and every rendered node is measured, handles
 * included (so that its edges are drawn too).
 */
const isReady = (s: ReactFlowState) => {
  if (s.panZoom === null || !s.nodesInitialized || s.fitViewQueued) return false;
  for (const n of s.nodeLookup.values()) if (!n.hidden && !n.internals.handleBounds) return false;
  return true;
};

/**
 * Puts `weft:canvas-ready` in the page's Performance timeline (once per mount), at the first frame
 * after the canvas is ready: what bench/ (studio500) measures the opening of a workflow with.
 */
function ReadyMark() {
  const [done, setDone] = useState(false);
  return done ? null : <ReadyWatch onReady={() => setDone(true)} />;
}

/** Watches the store until the canvas is ready (then unmounts: isReady walks every node). */
function ReadyWatch({ onReady }: { onReady(): void }) {
  const ready = useStore(isReady);
  useEffect(() => {
    if (!ready) return;
    // The rAF callback runs before that frame paints; the task queued from it runs after.
    requestAnimationFrame(() => setTimeout(() => performance.mark('weft:canvas-ready'), 0));
    onReady();
  }, [ready, onReady]);
  return null;
}
