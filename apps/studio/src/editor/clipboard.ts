import { fragmentOf, isFragment, type Fragment } from '../lib/ops';
import { useEditor } from './store';

const PASTE_OFFSET = 32;
/** What was copied in this page, and how many times it was pasted (each paste lands further off). */
let held: { fragment: Fragment; pastes: number } | null = null;

const state = () => useEditor.getState();
const selectedIds = () => new Set(state().nodes.filter((n) => n.selected).map((n) => n.id));

/** Copies the selection; answers the fragment (null when nothing is selected). */
export function copySelection(): Fragment | null {
  const f = fragmentOf(state(), selectedIds());
  if (f) held = { fragment: f, pastes: 0 };
  return f;
}

export function cutSelection() {
  if (copySelection()) state().removeSelected();
}

export const heldFragment = () => held?.fragment ?? null;

/** Pastes a fragment, each repeated paste of the same one a little further down and right. */
export function pasteFragmentHere(f: Fragment) {
  if (!held || JSON.stringify(held.fragment) !== JSON.stringify(f)) held = { fragment: f, pastes: 0 };
  const k = ++held.pastes;
  state().paste(f, { x: PASTE_OFFSET * k, y: PASTE_OFFSET * k });
}

export function duplicateSelection() {
  const f = fragmentOf(state(), selectedIds());
  if (f) state().paste(f, { x: PASTE_OFFSET, y: PASTE_OFFSET });
}

/** A fragment from clipboard text: our own format, or any workflow definition (its nodes and edges). */
export function fragmentFromText(text: string): Fragment | null {
  try {
    const v: unknown = JSON.parse(text);
    if (isFragment(v)) return v;
    if (typeof v !== 'object' || v === null || !Array.isArray((v as Fragment).nodes)) return null;
    const d = v as { nodes: Fragment['nodes']; edges?: Fragment['edges'] };
    return { weft: 'fragment', scope: null, nodes: d.nodes, edges: d.edges ?? [] };
  } catch {
    return null;
  }
}

/** Paste from a menu: the system clipboard when the browser allows reading it, else what was copied here. */
export async function pasteFromMenu() {
  try {
    const f = fragmentFromText(await navigator.clipboard.readText());
    if (f) return pasteFragmentHere(f);
  } catch {
    /* no clipboard permission */
  }
  if (held) pasteFragmentHere(held.fragment);
}
