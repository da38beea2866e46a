import { compileOrThrow, type WorkflowGraph } from '@weft/engine';
import type { Pool } from 'pg';
import type { Queryable } from './sql';

/**
 * Workflow versions are immutable, so a compiled graph can be cached by version id forever;
 * the map is bounded to keep memory flat with many workflows.
 */
export class GraphCache {
  private readonly graphs = new Map<string, WorkflowGraph>();

  constructor(
    private readonly pool: Pool,
    private readonly max = 500,
  ) {}

  /**
   * The version's graph, or with `bodyPath` ("loop" or "outer/inner") a for_each body graph in it.
   * Inside a transaction pass its client as `q`: asking the pool for a second connection while
   * holding one deadlocks once every connection is held by a caller doing the same (a burst of
   * transitions on a cold cache).
   */
  async get(versionId: string, bodyPath?: string | null, q: Queryable = this.pool): Promise<WorkflowGraph> {
    const key = bodyPath ? `${versionId}#${bodyPath}` : versionId;
    const hit = this.graphs.get(key);
    if (hit) return hit;
    if (bodyPath) {
      let graph = await this.get(versionId, null, q);
      for (const nodeId of bodyPath.split('/')) {
        const body = graph.node(nodeId).body;
        if (!body) throw new Error(`node "${nodeId}" of workflow version ${versionId} has no body (path ${bodyPath})`);
        graph = body;
      }
      this.remember(key, graph);
      return graph;
    }
    const { rows } = await q.query<{ definition: unknown }>(
      'SELECT definition FROM workflow_versions WHERE id = $1',
      [versionId],
    );
    if (!rows[0]) throw new Error(`workflow version ${versionId} not found`);
    const graph = compileOrThrow(rows[0].definition);
    this.remember(key, graph);
    return graph;
  }

  private remember(key: string, graph: WorkflowGraph) {
    if (this.graphs.size >= this.max) this.graphs.delete(this.graphs.keys().next().value!);
    this.graphs.set(key, graph);
  }
}
