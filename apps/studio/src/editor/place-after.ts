import { hasBody } from '@weft/workflow-schema/kinds';
import { NODE_H, NODE_W } from '../lib/graph';
import type { AppEdge, AppNode, Catalog } from '../lib/types';

const GAP_X = 80;
const GAP_Y = 40;

export interface Placement {
  position: { x: number; y: number };
  parentId?: string;
  from: { source: string; sourceHandle?: string };
}

const widthOf = (n: AppNode) => n.measured?.width ?? n.width ?? (typeof n.style?.width === 'number' ? n.style.width : NODE_W);

/**
 * Where a node added from the keyboard (or a palette click) goes when exactly one node is
 * selected: to its right, in the same group, clear of the nodes already there, and connected
 * after it (by its first output not yet used, for a branching node). Null when nothing or
 * several nodes are selected, or when the new node cannot follow (a trigger; a loop inside a loop body).
 */
export function placeAfter(doc: { nodes: AppNode[]; edges: AppEdge[] }, catalog: Catalog, type: string): Placement | null {
  if (type === 'trigger') return null;
  const selected = doc.nodes.filter((n) => n.selected);
  const sel = selected.length === 1 ? selected[0]! : undefined;
  if (!sel || (hasBody(type) && sel.parentId)) return null;
  const handles = catalog[sel.data.type]?.handles ?? [];
  const used = new Set(doc.edges.filter((e) => e.source === sel.id).map((e) => e.sourceHandle));
  const handle = handles.find((h) => !used.has(h)) ?? handles[0];
  const siblings = doc.nodes.filter((n) => n.parentId === sel.parentId && n.id !== sel.id);
  const position = { x: sel.position.x + widthOf(sel) + GAP_X, y: sel.position.y };
  const taken = (p: { x: number; y: number }) => siblings.some((n) => Math.abs(n.position.x - p.x) < NODE_W && Math.abs(n.position.y - p.y) < NODE_H + GAP_Y / 2);
  for (let i = 0; i < 50 && taken(position); i++) position.y += NODE_H + GAP_Y;
  return { position, ...(sel.parentId ? { parentId: sel.parentId } : {}), from: { source: sel.id, ...(handle ? { sourceHandle: handle } : {}) } };
}
