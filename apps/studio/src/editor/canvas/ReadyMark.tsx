'use client';
import { useStore, type ReactFlowState } from '@xyflow/react';
import { useEffect, useState } from 'react';

/**
 * React Flow has its pan/zoom and the opening view, and every rendered node is measured, handles
 * included (so that its edges are drawn too).
 */
const isReady = (s: ReactFlowState) => {
  if (s.panZoom === null || !s.nodesInitialized || s.fitViewQueued) return false;
  for (const n of s.nodeLookup.values()) if (!n.hidden && !n.internals.handleBounds) return false;
  return true;
};

/**
 * Puts `weft:canvas-ready` in the page's Performance timeline (once per mount), at the first frame
 * after the canvas is ready: what bench/ (studio500) measures the opening of a workflow with.
 */
export function ReadyMark() {
  const [done, setDone] = useState(false);
  return done ? null : <ReadyWatch onReady={() => setDone(true)} />;
}

/** Watches the store until the canvas is ready (then unmounts: isReady walks every node). */
function ReadyWatch({ onReady }: { onReady(): void }) {
  const ready = useStore(isReady);
  useEffect(() => {
    if (!ready) return;
    // The rAF callback runs before that frame paints; the task queued from it runs after.
    requestAnimationFrame(() => setTimeout(() => performance.mark('weft:canvas-ready'), 0));
    onReady();
  }, [ready, onReady]);
  return null;
}
