import { compileOrThrow, type WorkflowGraph } from '@weft/engine';
import type { Pool } from 'pg';

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

  async get(versionId: string): Promise<WorkflowGraph> {
    const hit = this.graphs.get(versionId);
    if (hit) return hit;
    const { rows } = await this.pool.query<{ definition: unknown }>(
      'SELECT definition FROM workflow_versions WHERE id = $1',
      [versionId],
    );
    if (!rows[0]) throw new Error(`workflow version ${versionId} not found`);
    const graph = compileOrThrow(rows[0].definition);
    if (this.graphs.size >= this.max) this.graphs.delete(this.graphs.keys().next().value!);
    this.graphs.set(versionId, graph);
    return graph;
  }
}
