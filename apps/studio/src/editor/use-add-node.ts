import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { hasBody } from '@weft/workflow-schema/kinds';
import { NODE_H, NODE_W } from '../lib/graph';
import type { AppNode } from '../lib/types';
import { placeAfter } from './place-after';
import { useEditor } from './store';

/**
 * Adds a node centred on a canvas point (or on the middle of the view), inside a for_each group
 * when the point falls in one. Without a point (palette click or Enter) and with one node selected,
 * the new node goes beside it, in the same group, connected after it. Answers the new node's id.
 */
export function useAddNode() {
  const flow = useReactFlow<AppNode>();
  return useCallback(
    (type: string, at?: { x: number; y: number }) => {
      const state = useEditor.getState();
      if (!at) {
        const after = placeAfter(state, state.catalog, type);
        if (after) return state.addNode(type, after.position, after.parentId, after.from);
      }
      const point = at ?? viewCentre(flow.screenToFlowPosition);
      const loop =
        hasBody(type) ? undefined : flow.getIntersectingNodes({ x: point.x, y: point.y, width: 1, height: 1 }).filter((n) => n.type === 'loop').at(-1);
      const origin = loop ? flow.getInternalNode(loop.id)!.internals.positionAbsolute : { x: 0, y: 0 };
      const jitter = at ? 0 : (state.nodes.length % 5) * 24;
      const position = { x: Math.round(point.x - origin.x - NODE_W / 2 + jitter), y: Math.round(point.y - origin.y - NODE_H / 2 + jitter) };
      return state.addNode(type, position, loop?.id);
    },
    [flow],
  );
}

function viewCentre(toFlow: (p: { x: number; y: number }) => { x: number; y: number }) {
  const el = document.querySelector('.canvas');
  const r = el?.getBoundingClientRect() ?? { left: 0, top: 0, width: window.innerWidth, height: window.innerHeight };
  return toFlow({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
}
