import type { Step, StepStatus } from '@weft/workflow-schema';

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

/** Whether a for_each step ran its (pure) body in place: no iteration runs, only the outputs. */
export const ranInPlace = (step: { input?: unknown } | undefined) => (step?.input as { inPlace?: unknown } | null | undefined)?.inPlace === true;

/**
 * A for_each step's items as its node shows them. A loop run in place counts no progress while it
 * runs (it ends within one decision): all its items are done when it succeeded.
 */
export function loopItems(step: Pick<Step, 'status' | 'input' | 'items'> | undefined) {
  if (!step?.items) return undefined;
  if (!ranInPlace(step)) return step.items;
  return { ...step.items, done: step.status === 'succeeded' ? step.items.total : 0 };
}
