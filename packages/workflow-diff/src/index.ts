import type { WorkflowDiff } from '@weft/workflow-schema';
import { fieldChanges } from './fields';
import { diffGraphs } from './graph';

export { formatPath } from './paths';
export { diffGraphs } from './graph';

/**
 * The semantic difference between two workflow definitions (versions or drafts): nodes added,
 * removed and changed by id, with every config field changed old → new at its nested path; edges
 * added and removed; settings changed. Positions are layout and are left out. Pure.
 */
export function diffWorkflows(from: unknown, to: unknown): WorkflowDiff {
  const graph = diffGraphs(from, to);
  const settingsOf = (d: unknown) => {
    const s = typeof d === 'object' && d !== null ? (d as { settings?: unknown }).settings : undefined;
    return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
  };
  const settings = fieldChanges(settingsOf(from), settingsOf(to));
  const same = !graph.nodes.added.length && !graph.nodes.removed.length && !graph.nodes.changed.length && !graph.edges.added.length && !graph.edges.removed.length && !settings.length;
  return { ...graph, settings, same };
}
export { mergeWorkflows, type MergeConflict, type MergeResult, type MergeSide } from './merge';
