import type { Edge as DefEdge, Node as DefNode } from '@weft/workflow-schema';
import { edgeId, toCanvasScoped, collectScope } from './graph';
import { uniqueId } from './ids';
import { SCOPE_SEP, type AppEdge, type AppNode, type Doc } from './types';

/** Copied nodes, as put on the clipboard (plain definition JSON, so it pastes into any editor). */
export interface Fragment {
  weft: 'fragment';
  scope: string | null;
  nodes: DefNode[];
  edges: DefEdge[];
}

export function isFragment(v: unknown): v is Fragment {
  return typeof v === 'object' && v !== null && (v as Fragment).weft === 'fragment' && Array.isArray((v as Fragment).nodes);
}

/** The selected nodes of one scope (the first selected node's) with the edges between them. */
export function fragmentOf(doc: Doc, ids: ReadonlySet<string>): Fragment | null {
  const first = doc.nodes.find((n) => ids.has(n.id));
  if (!first) return null;
  const scope = first.parentId;
  const picked = new Set(doc.nodes.filter((n) => ids.has(n.id) && n.parentId === scope).map((n) => n.id));
  const sub: Doc = { nodes: doc.nodes.filter((n) => picked.has(n.id) || [...picked].some((p) => n.id.startsWith(p + SCOPE_SEP))), edges: doc.edges, settings: {} };
  const graph = collectScope(sub, scope);
  return { weft: 'fragment', scope: scope ?? null, nodes: graph.nodes, edges: graph.edges };
}

/** Canvas nodes and edges for a fragment pasted into `scope`, ids made unique there, moved by `offset`. */
export function pasteFragment(doc: Doc, fragment: Fragment, offset: { x: number; y: number }): { nodes: AppNode[]; edges: AppEdge[] } {
  const scope = fragment.scope && doc.nodes.some((n) => n.id === fragment.scope) ? fragment.scope : undefined;
  const siblings = doc.nodes.filter((n) => n.parentId === scope);
  const taken = new Set(siblings.map((n) => n.data.localId));
  // A graph has exactly one trigger: pasted triggers are left out where there is one already.
  const hasTrigger = siblings.some((n) => n.data.type === 'trigger');
  const rename = new Map<string, string>();
  for (const n of fragment.nodes) {
    if (n.type === 'trigger' && hasTrigger) continue;
    const id = uniqueId(n.id, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const nodes = fragment.nodes.filter((n) => rename.has(n.id)).map((n) => ({
    ...n,
    id: rename.get(n.id)!,
    position: { x: (n.position?.x ?? 0) + offset.x, y: (n.position?.y ?? 0) + offset.y },
  }));
  const edges = fragment.edges
    .filter((e) => rename.has(e.source) && rename.has(e.target))
    .map(({ id: _id, ...e }) => ({ ...e, source: rename.get(e.source)!, target: rename.get(e.target)! }));
  const out = toCanvasScoped({ nodes, edges }, scope ?? '');
  for (const n of out.nodes) n.selected = !n.parentId || n.parentId === scope;
  return out;
}

/** Renames a node (its definition id); edges, children and their ids follow. */
export function renameNode(doc: Doc, id: string, newLocal: string): Doc {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) return doc;
  const newId = node.parentId ? `${node.parentId}${SCOPE_SEP}${newLocal}` : newLocal;
  const map = (x: string) => (x === id ? newId : x.startsWith(id + SCOPE_SEP) ? newId + x.slice(id.length) : x);
  const nodes = doc.nodes.map((n) => {
    if (n.id === id) return { ...n, id: newId, data: { ...n.data, localId: newLocal } } as AppNode;
    if (!n.id.startsWith(id + SCOPE_SEP)) return n;
    return { ...n, id: map(n.id), parentId: n.parentId ? map(n.parentId) : n.parentId } as AppNode;
  });
  const edges = doc.edges.map((e) => {
    if (e.source !== id && e.target !== id && !e.source.startsWith(id + SCOPE_SEP)) return e;
    const source = map(e.source);
    const target = map(e.target);
    return { ...e, id: edgeId(source, target, e.sourceHandle), source, target };
  });
  return { ...doc, nodes, edges };
}

/** Removes nodes (with their loop bodies) and every edge that touches them. */
export function removeNodes(doc: Doc, ids: ReadonlySet<string>): Doc {
  const gone = (id: string) => ids.has(id) || [...ids].some((r) => id.startsWith(r + SCOPE_SEP));
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone(n.id)),
    edges: doc.edges.filter((e) => !gone(e.source) && !gone(e.target)),
  };
}

/** Ids of the nodes upstream of `id` (in its own scope, then the scopes around it). */
export function ancestorsOf(doc: Pick<Doc, 'edges'>, id: string): string[] {
  const incoming = new Map<string, string[]>();
  for (const e of doc.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  const seen = new Set<string>();
  const order: string[] = [];
  let frontier = [id];
  while (frontier.length) {
    const next: string[] = [];
    for (const n of frontier)
      for (const s of incoming.get(n) ?? [])
        if (!seen.has(s)) {
          seen.add(s);
          order.push(s);
          next.push(s);
        }
    frontier = next;
  }
  return order;
}
