import { LOOP_BODY_ORIGIN, NODE_H, NODE_W } from './graph';
import { layoutGraph } from './layout';
import type { AppNode, Doc } from './types';

const PAD = 24;

/** Lays out every scope (loop bodies first, so that groups get their size), left to right. */
export function autoLayout(doc: Doc): Doc {
  const byParent = new Map<string | undefined, AppNode[]>();
  for (const n of doc.nodes) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n]);
  const size = new Map<string, { width: number; height: number }>();
  const pos = new Map<string, { x: number; y: number }>();
  const style = new Map<string, { width: number; height: number }>();

  const sizeOf = (n: AppNode) => size.get(n.id) ?? { width: n.measured?.width ?? NODE_W, height: n.measured?.height ?? NODE_H };
  const place = (scope: string | undefined) => {
    const members = byParent.get(scope) ?? [];
    for (const m of members) if (m.type === 'loop') place(m.id);
    const ids = new Set(members.map((m) => m.id));
    const laid = layoutGraph(
      members.map((m) => ({ id: m.id, ...sizeOf(m) })),
      doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    );
    const origin = scope ? LOOP_BODY_ORIGIN : { x: 0, y: 0 };
    let maxX = 0;
    let maxY = 0;
    for (const m of members) {
      const p = laid.get(m.id)!;
      const at = { x: p.x + origin.x, y: p.y + origin.y };
      pos.set(m.id, at);
      maxX = Math.max(maxX, at.x + sizeOf(m).width);
      maxY = Math.max(maxY, at.y + sizeOf(m).height);
    }
    if (scope) {
      const box = { width: Math.max(maxX + PAD, NODE_W + 2 * PAD), height: Math.max(maxY + PAD, LOOP_BODY_ORIGIN.y + NODE_H + PAD) };
      size.set(scope, box);
      style.set(scope, box);
    }
  };
  place(undefined);
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = pos.get(n.id);
      const s = style.get(n.id);
      if (!p) return n;
      return { ...n, position: p, ...(s ? { style: { ...n.style, ...s }, width: s.width, height: s.height } : {}) } as AppNode;
    }),
  };
}
