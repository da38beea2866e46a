'use client';
import { Controls, ReactFlow, useReactFlow, useStore, type Viewport } from '@xyflow/react';
import { useCallback, useLayoutEffect, useRef, useState, type DragEvent } from 'react';
import type { AppNode } from '../lib/types';
import { useTheme } from '@weft/ui/theme';
import { CanvasDots } from './canvas/CanvasDots';
import { GraphBackdrop } from './canvas/GraphBackdrop';
import { ReadyMark } from './canvas/ReadyMark';
import { useCanvasEvents, type MenuRequest } from './canvas/use-canvas-events';
import { Minimap } from './minimap/Minimap';
import { DRAG_MIME } from './Palette';
import { edgeTypes, nodeTypes } from './nodes';
import { useAddNode } from './use-add-node';
import { useEditor } from './store';
import { FarContext, FIT, fittedViewport, isFar } from './zoom';

interface Props {
  onMenu(req: MenuRequest | null): void;
  onFile(file: File): void;
  showMinimap: boolean;
}

const SNAP: [number, number] = [16, 16];
// Props React Flow compares by identity: module constants, not literals made on every render.
const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift'];
const PRO_OPTIONS = { hideAttribution: true };

/** The React Flow canvas, wired to the editor store. */
export function Canvas({ onMenu, onFile, showMinimap }: Props) {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const snapToGrid = useEditor((s) => s.snapToGrid);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const connect = useEditor((s) => s.connect);
  const { theme } = useTheme();
  const flow = useReactFlow<AppNode>();
  const addNode = useAddNode();
  const wrapper = useRef<HTMLDivElement>(null);
  const events = useCanvasEvents(wrapper, onMenu);
  const far = useStore(isFar);
  // The opening view, fitted to the nodes (their sizes are known up front) once the canvas has its size.
  const [opening, setOpening] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const el = wrapper.current!;
    setOpening(fittedViewport(useEditor.getState().nodes, el.clientWidth, el.clientHeight));
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

  return (
    <div ref={wrapper} className={far ? 'canvas is-far' : 'canvas'} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      {opening && (
        <FarContext value={far}>
          <ReactFlow<AppNode>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={connect}
            {...events}
            snapToGrid={snapToGrid}
            snapGrid={SNAP}
            deleteKeyCode={null}
            multiSelectionKeyCode={MULTI_SELECT_KEYS}
            selectionKeyCode="Shift"
            colorMode={theme}
            minZoom={FIT.minZoom}
            maxZoom={2}
            defaultViewport={opening}
            // Culling pays off close up; zoomed far out nearly everything is in view anyway, and culling
            // would mount and unmount the nodes and edges crossing the border on every pan frame.
            onlyRenderVisibleElements={nodes.length > CULL_ABOVE && !far}
            proOptions={PRO_OPTIONS}
          >
            <CanvasDots gap={16} size={1.2} />
            <GraphBackdrop />
            <Controls showInteractive={false} position="bottom-left" aria-label="Zoom controls" />
            <ReadyMark />
            {showMinimap && <Minimap />}
          </ReactFlow>
        </FarContext>
      )}
      <div className="pan-shield" aria-hidden />
    </div>
  );
}

/** Workflows with more nodes than this render only the nodes and edges in view (when not far out). */
const CULL_ABOVE = 200;
