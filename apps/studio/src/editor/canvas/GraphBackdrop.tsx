'use client';
import { useStore, ViewportPortal, type ReactFlowState } from '@xyflow/react';
import { useMemo } from 'react';
import { growToGrid, nodesBounds } from '../../lib/bounds';
import type { AppNode } from '../../lib/types';

/** Room around the nodes for edges curving out of their box (px, canvas coordinates). */
const MARGIN = 400;
/** The box snaps out to this grid, so moving a node rarely changes it. */
const STEP = 512;

const nodesOf = (s: ReactFlowState) => s.nodes as AppNode[];

/**
 * An invisible box under the whole graph, in the moving viewport (which is its own compositor layer,
 * nodes.css). Why: Chromium puts paint that a merge would leave mostly empty into separate layers
 * (PaintArtifactCompositor's sparsity rule), so a graph's ranks and edges ended up in a dozen layers,
 * and layerizing thousands of nodes' paint chunks against them cost ~20 ms a pan frame. Painted
 * first, this box makes the layer dense: everything merges into it. It has to paint something to
 * count, hence the transparent gradient.
 */
export function GraphBackdrop() {
  const nodes = useStore(nodesOf);
  const box = useMemo(() => {
    const b = nodesBounds(nodes);
    return b && growToGrid(b, MARGIN, STEP);
  }, [nodes]);
  if (!box) return null;
  return (
    <ViewportPortal>
      <div className="graph-backdrop" aria-hidden style={{ left: box.x, top: box.y, width: box.width, height: box.height }} />
    </ViewportPortal>
  );
}
