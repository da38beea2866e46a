import type { Db } from '@weft/db';
import { nodeKind, type Issue } from '@weft/workflow-schema';

/** A `sub_workflow` node's `workflowId`, where it is in the definition and the node it belongs to. */
export interface SubWorkflowRef {
  workflowId: string;
  /** e.g. `nodes[2].config.workflowId`, or `nodes[1].config.body.nodes[0].config.workflowId` in a for_each body. */
  path: string;
  /** The top-level node, as the engine names issues inside a for_each body (its owner). */
  nodeId: string;
  /** The node that holds the reference (differs from nodeId inside a for_each body). */
  localId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every sub_workflow reference of a definition, for_each bodies included (at any depth). It walks
 * the raw JSON, so a draft that does not compile still has its references checked; a workflowId
 * that is not a UUID is left to the schema's own issue.
 */
export function subWorkflowRefs(definition: unknown): SubWorkflowRef[] {
  const refs: SubWorkflowRef[] = [];
  // An explicit stack, not recursion: a definition is user input and may nest bodies deeply.
  // Breadth first, so the issues come in the order of the definition's top-level nodes, then bodies.
  const todo: { graph: unknown; prefix: string; ownerId?: string }[] = [{ graph: definition, prefix: '' }];
  for (let next = 0; next < todo.length; next++) {
    const item = todo[next]!;
    const nodes = (item.graph as { nodes?: unknown } | null)?.nodes;
    if (!Array.isArray(nodes)) continue;
    nodes.forEach((node: unknown, i) => {
      if (typeof node !== 'object' || node === null) return;
      const { id, type, config } = node as { id?: unknown; type?: unknown; config?: { workflowId?: unknown; body?: unknown } };
      const localId = typeof id === 'string' ? id : `nodes[${i}]`;
      const at = `${item.prefix}nodes[${i}].config`;
      const kind = typeof type === 'string' ? nodeKind(type) : undefined;
      if (kind === 'child' && typeof config?.workflowId === 'string' && UUID.test(config.workflowId)) {
        refs.push({ workflowId: config.workflowId.toLowerCase(), path: `${at}.workflowId`, nodeId: item.ownerId ?? localId, localId });
      }
      if (kind === 'loop' && config?.body !== undefined) todo.push({ graph: config.body, prefix: `${at}.body.`, ownerId: item.ownerId ?? localId });
    });
  }
  return refs;
}

/**
 * One issue per sub_workflow reference that is not a workflow of the org. A workflow of another org
 * is "not found" like one that never existed, so that its existence is never revealed.
 */
export async function checkSubWorkflowRefs(db: Db, orgId: string, definition: unknown): Promise<Issue[]> {
  const refs = subWorkflowRefs(definition);
  if (refs.length === 0) return [];
  const ids = [...new Set(refs.map((r) => r.workflowId))];
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM workflows WHERE org_id = $1 AND id = ANY($2::uuid[])', [orgId, ids]);
  const known = new Set(rows.map((r) => r.id));
  return refs
    .filter((r) => !known.has(r.workflowId))
    .map((r) => ({
      path: r.path,
      code: 'workflow_not_found',
      message: `${r.localId === r.nodeId ? '' : `node "${r.localId}" of the for_each body: `}workflow ${r.workflowId} is not a workflow of this org`,
      nodeId: r.nodeId,
    }));
}
