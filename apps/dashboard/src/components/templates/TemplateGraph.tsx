'use client';
import { Background, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';

interface GraphLike {
  nodes?: Array<{ id: string; type: string; name?: string; position?: { x: number; y: number } }>;
  edges?: Array<{ id?: string; source: string; target: string; sourceHandle?: string }>;
}

/** A read-only preview of a template's graph: its nodes (name and type) and edges, laid out as the creator drew them. */
export function TemplateGraph({ definition }: { definition: unknown }) {
  const { nodes, edges } = useMemo(() => {
    const def = (definition ?? {}) as GraphLike;
    const nodes: Node[] = (def.nodes ?? []).map((n, i) => ({
      id: n.id,
      position: n.position ?? { x: i * 220, y: 0 },
      data: { label: n.name ? `${n.name} · ${n.type}` : `${n.id} · ${n.type}` },
      className: 'graph-node',
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      ariaLabel: `${n.name || n.id} (${n.type})`,
    }));
    const edges: Edge[] = (def.edges ?? []).map((e, i) => ({ id: e.id ?? `e${i}`, source: e.source, target: e.target, ...(e.sourceHandle ? { label: e.sourceHandle } : {}) }));
    return { nodes, edges };
  }, [definition]);
  return (
    <div className="graph" data-testid="template-graph">
      <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} proOptions={{ hideAttribution: true }} colorMode="system">
        <Background gap={20} size={1} />
      </ReactFlow>
    </div>
  );
}
