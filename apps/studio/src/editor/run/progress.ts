import type { StepStatus } from '@weft/workflow-schema';

const FINISHED: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

/**
 * How far the shown run is, counted over every node of the workflow (not only the steps created
 * so far): a node whose latest step finished is done; a node not reached yet counts in the total.
 */
export function runProgress(s: { nodes: { parentId?: string; data: { localId: string } }[]; stepsByNode: Record<string, { status: StepStatus }> }): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const n of s.nodes) {
    if (n.parentId) continue;
    total++;
    const step = s.stepsByNode[n.data.localId];
    if (step && FINISHED.has(step.status)) done++;
  }
  return { done, total };
}
