'use client';
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type Edge } from '@xyflow/react';
import { useCallback, useRef, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { connectionProblem } from '../lib/connect';
import type { AppNode } from '../lib/types';
import { useTheme } from '../components/theme';
import { DRAG_MIME } from './Palette';
import { edgeTypes, nodeTypes } from './nodes';
import { useAddNode } from './use-add-node';
import { useEditor } from './store';

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
const minimapColor = (n: AppNode) => (n.type === 'loop' ? 'transparent' : 'var(--border-strong)');

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
    <div ref={wrapper} className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
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
        onMoveStart={() => {
          onMenu(null);
          wrapper.current?.classList.add('is-moving');
        }}
        onMoveEnd={() => wrapper.current?.classList.remove('is-moving')}
        snapToGrid={snapToGrid}
        snapGrid={SNAP}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        colorMode={theme}
        minZoom={0.1}
        maxZoom={2}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        onlyRenderVisibleElements={nodes.length > 200}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1.2} />
        <Controls showInteractive={false} position="bottom-left" aria-label="Zoom controls" />
        {showMinimap && <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeColor="var(--edge)" position="bottom-right" ariaLabel="Minimap" />}
      </ReactFlow>
    </div>
  );
}
