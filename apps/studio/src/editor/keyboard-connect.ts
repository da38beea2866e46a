import type { KeyboardEvent } from 'react';
import { create } from 'zustand';
import { useEditor } from './store';

/** One end of an edge as the keyboard picks it: a node's output (by handle) or its input. */
export interface HandleRef {
  nodeId: string;
  type: 'source' | 'target';
  handleId?: string | null;
  /** What a screen reader says for it ("Output of fetch"). */
  label: string;
}

interface Connecting {
  from: HandleRef | null;
  /** The last thing said about connecting (an aria-live region reads it). */
  message: string;
}

/** Keyboard connecting in progress: the output picked first, and what to announce. */
export const useConnecting = create<Connecting>(() => ({ from: null, message: '' }));

const say = (message: string, from: HandleRef | null) => useConnecting.setState({ from, message });

/**
 * Connects two nodes from the keyboard: Enter (or Space) on an output starts, Enter on another
 * node's input (or on an output, which takes its node's input) ends; Escape cancels. Same rules
 * as drawing with the mouse: same group, not to itself, not twice.
 */
export function onHandleKey(e: KeyboardEvent<HTMLElement>, handle: HandleRef) {
  const { from } = useConnecting.getState();
  if (e.key === 'Escape' && from) {
    e.stopPropagation();
    return say('Connecting cancelled.', null);
  }
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  e.stopPropagation();
  if (!from) {
    if (handle.type !== 'source') return say(`${handle.label}: start from an output, then press Enter on this input.`, null);
    return say(`Connecting from ${handle.label}. Move to a node's input and press Enter; Escape cancels.`, handle);
  }
  say(connectTo(from, handle.nodeId), null);
}

/** Adds the edge from `from` to the input of `target`; answers what to announce. */
function connectTo(from: HandleRef, target: string): string {
  const s = useEditor.getState();
  const a = s.nodes.find((n) => n.id === from.nodeId);
  const b = s.nodes.find((n) => n.id === target);
  if (!a || !b) return 'That node is gone.';
  if (a.id === b.id) return 'A node cannot be connected to itself.';
  if (b.data.type === 'trigger') return 'The trigger has no input.';
  if (a.parentId !== b.parentId) return 'Both nodes must be in the same place (both in the same for_each body, or both outside).';
  const handle = from.handleId ?? null;
  if (s.edges.some((e) => e.source === a.id && e.target === b.id && (e.sourceHandle ?? null) === handle)) return 'These nodes are already connected.';
  s.connect({ source: a.id, target: b.id, sourceHandle: handle, targetHandle: null });
  return `Connected ${from.label} to ${b.data.name || b.data.localId}.`;
}
