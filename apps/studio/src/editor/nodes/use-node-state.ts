import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StepStatus } from '@weft/workflow-schema';
import { hasBody } from '@weft/workflow-schema/kinds';
import { validateConfig } from '../../lib/schema';
import type { StepData } from '../../lib/types';
import { loopItems } from '../run/progress';
import { useEditor } from '../store';

const NO_PROBLEMS: string[] = [];

/** What a node shows besides its data: catalog entry, run status, and problems (form checks + API). */
export function useNodeState(id: string, data: StepData, nested: boolean) {
  // One subscription per node, not one per field: hundreds of nodes subscribe (issue 4).
  const { entry, status, itemsTotal, itemsDone, itemsFailed, apiProblems } = useEditor(
    useShallow((s) => ({
      entry: s.catalog[data.type],
      // A for_each body's node shows its step in the iteration opened in the run view.
      status: (nested ? s.bodySteps[id]?.status : s.stepsByNode[data.localId]?.status) as StepStatus | undefined,
      // Numbers, not the object: the shallow comparison must see an unchanged loop as unchanged.
      ...itemFields(nested ? undefined : loopItems(s.stepsByNode[data.localId])),
      apiProblems: nested ? NO_PROBLEMS : (problemsByNode(s.problems)[data.localId] ?? NO_PROBLEMS),
    })),
  );
  const formProblems = useMemo(() => {
    const errors = validateConfig(entry, hasBody(data.type) ? { ...data.config, body: { nodes: [] } } : data.config);
    return Object.entries(errors).map(([path, msg]) => (path ? `${path}: ${msg}` : msg));
  }, [entry, data.config, data.type]);
  const problems = formProblems.length ? formProblems : apiProblems;
  const items = itemsTotal === undefined ? undefined : { total: itemsTotal, done: itemsDone ?? 0, failed: itemsFailed ?? 0 };
  return { entry, status, items, problems };
}

const itemFields = (i: { total: number; done: number; failed: number } | undefined) =>
  i ? { itemsTotal: i.total, itemsDone: i.done, itemsFailed: i.failed } : { itemsTotal: undefined, itemsDone: undefined, itemsFailed: undefined };

let lastProblems: unknown = null;
let lastIndex: Record<string, string[]> = {};

/** Issues grouped by node id, computed once per problems array (every node reads it). */
export function problemsByNode(problems: { nodeId?: string; message: string }[]): Record<string, string[]> {
  if (problems === lastProblems) return lastIndex;
  const index: Record<string, string[]> = {};
  for (const p of problems) if (p.nodeId) (index[p.nodeId] ??= []).push(p.message);
  lastProblems = problems;
  lastIndex = index;
  return index;
}
