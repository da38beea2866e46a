import type { Edge as DefEdge, Node as DefNode, Settings, WorkflowDefinition } from '@weft/workflow-schema';
import { hasBody } from '@weft/workflow-schema/kinds';
import { layoutGraph } from './layout';
import { SCOPE_SEP, type AppEdge, type AppNode, type Doc } from './types';

export const NODE_W = 220;
export const NODE_H = 64;
const LOOP_PAD = 24;
const LOOP_HEADER = 56;

interface BodyGraph {
  nodes: DefNode[];
  edges: DefEdge[];
}

const canvasId = (scope: string, id: string) => (scope ? `${scope}${SCOPE_SEP}${id}` : id);

/** The canvas id of an edge: stable for the same endpoints and handle. */
export const edgeId = (source: string, target: string, handle?: string | null) =>
  `e:${source}${handle ? `:${handle}` : ''}->${target}`;

/** Turns a definition into canvas nodes and edges; for_each bodies become child nodes of a group. */
export function toCanvas(def: WorkflowDefinition): Doc {
  const nodes: AppNode[] = [];
  const edges: AppEdge[] = [];
  addGraph(ensurePositions({ nodes: def.nodes, edges: def.edges ?? [] }, { x: 0, y: 0 }), '', nodes, edges);
  return { nodes, edges, settings: def.settings ?? {} };
}

function addGraph(graph: BodyGraph, scope: string, nodes: AppNode[], edges: AppEdge[]) {
  for (const n of graph.nodes) {
    const id = canvasId(scope, n.id);
    const base = {
      id,
      position: { ...(n.position ?? { x: 0, y: 0 }) },
      ...(scope ? { parentId: scope, extent: 'parent' as const, expandParent: true } : {}),
    };
    if (hasBody(n.type) && isBody(n.config.body)) {
      const { body, ...config } = n.config;
      const size = loopSize(body);
      nodes.push({ ...base, type: 'loop', data: { type: n.type, config, localId: n.id, ...named(n) }, style: { width: size.width, height: size.height } });
      addGraph(normaliseBody(body), id, nodes, edges);
    } else {
      nodes.push({ ...base, type: 'step', data: { type: n.type, config: n.config, localId: n.id, ...named(n) } });
    }
  }
  for (const e of graph.edges) {
    const source = canvasId(scope, e.source);
    const target = canvasId(scope, e.target);
    edges.push({
      id: edgeId(source, target, e.sourceHandle),
      type: 'weft',
      source,
      target,
      ...(e.sourceHandle ? { sourceHandle: e.sourceHandle } : {}),
      data: e.id ? { defId: e.id } : {},
    });
  }
}

/** Turns canvas nodes and edges back into a definition; the exact inverse of `toCanvas`. */
export function toDefinition(doc: Doc): WorkflowDefinition {
  const def = collect(doc, undefined) as WorkflowDefinition;
  if (doc.settings && Object.keys(doc.settings).length) def.settings = { ...doc.settings };
  return def;
}

/** The definition graph of one scope (top level: `undefined`, else a loop's canvas id). */
export function collectScope(doc: Doc, scope: string | undefined): BodyGraph {
  return collect(doc, scope);
}

/** Canvas nodes and edges for a graph placed inside `scope` ('' = top level). */
export function toCanvasScoped(graph: BodyGraph, scope: string): { nodes: AppNode[]; edges: AppEdge[] } {
  const nodes: AppNode[] = [];
  const edges: AppEdge[] = [];
  addGraph(ensurePositions(graph, scope ? LOOP_BODY_ORIGIN : { x: 0, y: 0 }), scope, nodes, edges);
  return { nodes, edges };
}

function collect(doc: Doc, scope: string | undefined): BodyGraph {
  const nodes: DefNode[] = [];
  const ids = new Set<string>();
  for (const n of doc.nodes) {
    if (n.parentId !== scope) continue;
    ids.add(n.id);
    const config = n.type === 'loop' ? { ...n.data.config, body: collect(doc, n.id) } : n.data.config;
    const position = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
    nodes.push({ id: n.data.localId, type: n.data.type, ...named(n.data), config, position });
  }
  const edges: DefEdge[] = [];
  for (const e of doc.edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    edges.push({
      ...(e.data?.defId ? { id: e.data.defId } : {}),
      source: localOf(e.source),
      target: localOf(e.target),
      ...(e.sourceHandle ? { sourceHandle: e.sourceHandle } : {}),
    });
  }
  return { nodes, edges };
}

/** Gives positions (dagre) to graphs written without them; loop bodies first, so loop sizes are known. */
function ensurePositions(graph: BodyGraph, origin: { x: number; y: number }): BodyGraph {
  const nodes = graph.nodes.map((n) =>
    hasBody(n.type) && isBody(n.config.body)
      ? { ...n, config: { ...n.config, body: ensurePositions(normaliseBody(n.config.body), LOOP_BODY_ORIGIN) } }
      : n,
  );
  if (nodes.every((n) => n.position)) return { nodes, edges: graph.edges };
  const laid = layoutGraph(nodes.map((n) => ({ id: n.id, ...sizeOf(n) })), graph.edges);
  return {
    nodes: nodes.map((n) => {
      if (n.position) return n;
      const p = laid.get(n.id)!;
      return { ...n, position: { x: p.x + origin.x, y: p.y + origin.y } };
    }),
    edges: graph.edges,
  };
}

const localOf = (id: string) => id.slice(id.lastIndexOf(SCOPE_SEP) + 1);
const named = (n: { name?: string }) => (n.name !== undefined ? { name: n.name } : {});

function isBody(v: unknown): v is { nodes: unknown[]; edges?: unknown[] } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { nodes?: unknown }).nodes);
}

function normaliseBody(body: { nodes: unknown[]; edges?: unknown[] }): BodyGraph {
  return { nodes: body.nodes as DefNode[], edges: (body.edges ?? []) as DefEdge[] };
}

function sizeOf(n: DefNode) {
  return hasBody(n.type) && isBody(n.config.body) ? loopSize(n.config.body) : { width: NODE_W, height: NODE_H };
}

/** A group big enough for its body (laid out when it has no positions). */
export function loopSize(body: { nodes: unknown[] }) {
  const nodes = (body.nodes as DefNode[]).filter((n) => n.position);
  if (!nodes.length) return { width: NODE_W + 2 * LOOP_PAD, height: LOOP_HEADER + NODE_H + LOOP_PAD };
  const maxX = Math.max(...nodes.map((n) => n.position!.x + sizeOf(n).width));
  const maxY = Math.max(...nodes.map((n) => n.position!.y + sizeOf(n).height));
  return { width: Math.max(maxX + LOOP_PAD, NODE_W + 2 * LOOP_PAD), height: Math.max(maxY + LOOP_PAD, LOOP_HEADER + NODE_H + LOOP_PAD) };
}

export const LOOP_BODY_ORIGIN = { x: LOOP_PAD, y: LOOP_HEADER };

/** The definition with every `position` removed (to compare two definitions "modulo positions"). */
export function withoutPositions<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPositions) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'position') out[k] = withoutPositions(v);
  return out as T;
}

export type { Settings };
