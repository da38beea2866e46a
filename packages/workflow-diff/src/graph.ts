import type { FieldChange, GraphDiff, NodeChange } from '@weft/workflow-schema';
import { fieldChanges } from './fields';

/** A node as found in a definition or draft (drafts may be incomplete: every field is optional). */
interface LooseNode {
  id?: unknown;
  type?: unknown;
  name?: unknown;
  config?: unknown;
}
interface LooseEdge {
  source?: unknown;
  target?: unknown;
  sourceHandle?: unknown;
}
type Edge = { source: string; target: string; sourceHandle?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function nodesById(graph: unknown): Map<string, LooseNode> {
  const map = new Map<string, LooseNode>();
  for (const n of listOf(isObject(graph) ? graph.nodes : undefined)) {
    if (isObject(n) && typeof n.id === 'string') map.set(n.id, n);
  }
  return map;
}

/** Edges by meaning (source, target, handle): an edge's own `id` is a canvas detail. */
function edgesByKey(graph: unknown): Map<string, Edge> {
  const map = new Map<string, Edge>();
  for (const e of listOf(isObject(graph) ? graph.edges : undefined) as LooseEdge[]) {
    if (!isObject(e) || typeof e.source !== 'string' || typeof e.target !== 'string') continue;
    const handle = typeof e.sourceHandle === 'string' ? e.sourceHandle : undefined;
    map.set(JSON.stringify([e.source, e.target, handle ?? null]), { source: e.source, target: e.target, ...(handle ? { sourceHandle: handle } : {}) });
  }
  return map;
}

const named = (n: LooseNode) => (n.name === undefined ? {} : { name: n.name });
const typeOf = (n: LooseNode) => (typeof n.type === 'string' ? n.type : 'unknown');
const configOf = (n: LooseNode) => (isObject(n.config) ? n.config : {});
/** An inline sub-graph (a for_each `body`), diffed as a graph rather than as arrays by index. */
const hasGraph = (v: unknown) => isObject(v) && Array.isArray(v.nodes);

function nodeChange(id: string, a: LooseNode, b: LooseNode): NodeChange | undefined {
  const ca = configOf(a);
  const cb = configOf(b);
  const bodies = hasGraph(ca.body) && hasGraph(cb.body);
  const strip = (c: Record<string, unknown>) => (bodies ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'body')) : c);
  const fields: FieldChange[] = [...fieldChanges(strip(ca), strip(cb), ['config']), ...fieldChanges(named(a), named(b))];
  const body = bodies ? diffGraphs(ca.body, cb.body) : undefined;
  const bodyChanged = body && (body.nodes.added.length || body.nodes.removed.length || body.nodes.changed.length || body.edges.added.length || body.edges.removed.length);
  const typeChanged = typeOf(a) !== typeOf(b);
  if (!fields.length && !bodyChanged && !typeChanged) return undefined;
  return { id, type: typeOf(b), ...(typeChanged ? { fromType: typeOf(a) } : {}), fields, ...(bodyChanged ? { body } : {}) };
}

/** Nodes added, removed and changed (by id) and edges added and removed (by source, target, handle). */
export function diffGraphs(from: unknown, to: unknown): GraphDiff {
  const a = nodesById(from);
  const b = nodesById(to);
  const added = [...b].filter(([id]) => !a.has(id)).map(([id, n]) => ({ id, type: typeOf(n) }));
  const removed = [...a].filter(([id]) => !b.has(id)).map(([id, n]) => ({ id, type: typeOf(n) }));
  const changed = [...b].flatMap(([id, n]) => {
    const before = a.get(id);
    const c = before && nodeChange(id, before, n);
    return c ? [c] : [];
  });
  const ea = edgesByKey(from);
  const eb = edgesByKey(to);
  return {
    nodes: { added, removed, changed },
    edges: { added: [...eb].filter(([k]) => !ea.has(k)).map(([, e]) => e), removed: [...ea].filter(([k]) => !eb.has(k)).map(([, e]) => e) },
  };
}
