import { runWithDefinition, type Queryable } from '@weft/run-store';
import type { RunStatus } from '@weft/workflow-schema';
import { notFound } from '../../errors';

interface RawNode {
  id?: unknown;
  type?: unknown;
  config?: { body?: { nodes?: unknown }; assignees?: unknown };
}

export interface RunWithGraph {
  id: string;
  status: RunStatus;
  cancelRequested: boolean;
  /** Node id → node type of the graph this run executes (the version, or a for_each body for an iteration run). */
  nodes: Map<string, string>;
}

/**
 * A run of the org with the nodes of the graph it executes; 404 when the run is not the org's.
 * Versions are immutable, so reading the definition apart from a later conditional write is safe.
 */
export async function loadRunGraph(q: Queryable, orgId: string, runId: string): Promise<RunWithGraph> {
  const r = await runWithDefinition(q, orgId, runId);
  if (!r) throw notFound('run', runId);
  return { id: r.id, status: r.status, cancelRequested: r.cancelRequested, nodes: graphNodes(r.definition, r.bodyPath) };
}

/** Node id → type of a definition, or of the for_each body graph at `bodyPath` ("loop" or "outer/inner"). */
export function graphNodes(definition: { nodes?: unknown }, bodyPath: string | null): Map<string, string> {
  return new Map(nodesAt(definition, bodyPath).filter((n) => typeof n.id === 'string').map((n) => [n.id as string, String(n.type)]));
}

/** The raw nodes of a definition, or of the for_each body graph at `bodyPath`. */
export function nodesAt(definition: { nodes?: unknown }, bodyPath: string | null): RawNode[] {
  let nodes = asNodes(definition.nodes);
  for (const seg of bodyPath ? bodyPath.split('/') : []) {
    nodes = asNodes(nodes.find((n) => n.id === seg)?.config?.body?.nodes);
  }
  return nodes;
}

const asNodes = (v: unknown): RawNode[] => (Array.isArray(v) ? (v as RawNode[]) : []);
