import type { EditorState } from './store';

/** The id of the one selected node, or null (none or several). */
export function selectedNodeId(s: EditorState): string | null {
  let found: string | null = null;
  for (const n of s.nodes) {
    if (!n.selected) continue;
    if (found) return null;
    found = n.id;
  }
  return found;
}

/** How many nodes are selected. */
export const selectedCount = (s: EditorState) => s.nodes.reduce((k, n) => k + (n.selected ? 1 : 0), 0);
