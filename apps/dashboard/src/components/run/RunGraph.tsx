'use client';
import type { Step, WorkflowVersion } from '@weft/workflow-schema';
import { Background, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { useTheme } from '@weft/ui/theme';
import { api } from '../../lib/api';
import { statusByNode } from '../../lib/run-steps';

/**
 * The run's workflow (its version's top-level graph) read-only, each node coloured by the status of
 * its last attempt (or by `override`: the history replayed to a point). A for_each body is drawn as
 * its node only (its iterations are runs of their own).
 */
export function RunGraph({ versionId, steps, override }: { versionId: string; steps: Step[]; override?: ReadonlyMap<string, Step['status']> | undefined }) {
  const { theme } = useTheme();
  const [version, setVersion] = useState<WorkflowVersion | null>(null);
  useEffect(() => {
    let live = true;
    api.getVersion(versionId).then((v) => live && setVersion(v), () => undefined);
    return () => {
      live = false;
    };
  }, [versionId]);
  const statuses = useMemo(() => override ?? statusByNode(steps), [steps, override]);
  const { nodes, edges } = useMemo(() => {
    if (!version) return { nodes: [], edges: [] };
    const def = version.definition;
    const nodes: Node[] = def.nodes.map((n, i) => {
      const status = statuses.get(n.id) ?? 'not-reached';
      return {
        id: n.id,
        position: n.position ?? { x: i * 220, y: 0 },
        data: { label: `${n.name || n.id} · ${status.replace('-', ' ')}` },
        className: `graph-node graph-${status}`,
        // Workflows are drawn left to right (the studio's layout).
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
        ariaLabel: `${n.name || n.id}: ${status}`,
      };
    });
    // Named outputs (true/false, approved/rejected) become labels: the plain nodes have one output handle.
    const edges: Edge[] = def.edges.map((e, i) => ({ id: e.id ?? `e${i}`, source: e.source, target: e.target, ...(e.sourceHandle ? { label: e.sourceHandle } : {}) }));
    return { nodes, edges };
  }, [version, statuses]);
  if (!version) return <div className="graph skeleton" aria-label="Loading the workflow graph" />;
  return (
    <div className="graph" data-testid="run-graph">
      <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} proOptions={{ hideAttribution: true }} colorMode={theme}>
        <Background gap={20} size={1} />
      </ReactFlow>
    </div>
  );
}
