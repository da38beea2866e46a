import type { Connection } from '@xyflow/react';
import { ERROR_HANDLE } from '@weft/workflow-schema';
import type { Catalog, Doc } from './types';

/** Why a connection cannot be made (null when it can): one scope, no trigger target, no cycle, no duplicate. */
export function connectionProblem(doc: Pick<Doc, 'nodes' | 'edges'>, c: Connection, catalog: Catalog): string | null {
  if (!c.source || !c.target) return 'Incomplete connection';
  if (c.source === c.target) return 'A node cannot connect to itself';
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'Unknown node';
  if (source.parentId !== target.parentId) return 'Connect nodes of the same graph (a loop body is its own graph)';
  if (target.data.type === 'trigger') return 'The trigger has no inputs';
  const entry = catalog[source.data.type];
  const handles = entry?.handles ?? [];
  if (c.sourceHandle === ERROR_HANDLE) {
    if (!entry?.errorHandle) return 'This node has no error output';
  } else if (handles.length && !handles.includes(c.sourceHandle ?? '')) return 'Pick one of the named outputs';
  if (doc.edges.some((e) => e.source === c.source && e.target === c.target && (e.sourceHandle ?? null) === (c.sourceHandle ?? null)))
    return 'These nodes are already connected';
  if (reaches(doc.edges, c.target, c.source)) return 'This would create a cycle';
  return null;
}

function reaches(edges: Doc['edges'], from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === to) return true;
    for (const t of out.get(n) ?? []) {
      if (seen.has(t)) continue;
      seen.add(t);
      stack.push(t);
    }
  }
  return false;
}
