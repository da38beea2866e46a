import type { Iteration } from '@weft/workflow-schema';
import { TERMINAL_RUN_STATUSES } from '@weft/workflow-schema';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/api';
import { subscribeRun, type RunSubscription } from '../../lib/subscribe-run';
import { useEditor } from '../store';

let subscription: RunSubscription | null = null;

/** Shows one item of the for_each `loopId` (canvas id) on its body nodes, live until its run ends. */
export function openIteration(loopId: string, item: Iteration) {
  subscription?.close();
  const parent = useEditor.getState().run?.id;
  subscription = subscribeRun(
    item.runId,
    (run) => {
      const s = useEditor.getState();
      // The run view moved on (another run, another item): this item is not shown any more.
      if (s.run?.id !== parent || (s.iteration && (s.iteration.loopId !== loopId || s.iteration.index !== item.index))) return;
      s.setIteration({ loopId, index: item.index, run });
      if (TERMINAL_RUN_STATUSES.has(run.status)) closeSubscription();
    },
    (err) => toast('error', `Could not read item ${item.index}: ${errorMessage(err)}`),
  );
  // Claims the view at once, so a reply of a previously opened item is dropped.
  useEditor.getState().setIteration({ loopId, index: item.index, run: { ...emptyRun(item.runId), status: item.status } });
}

/** Back to the loop's summary: the body nodes show no item. */
export function closeIteration() {
  closeSubscription();
  useEditor.getState().setIteration(null);
}

function closeSubscription() {
  subscription?.close();
  subscription = null;
}

function emptyRun(id: string) {
  const s = useEditor.getState();
  return { ...s.run!, id, steps: [], stepsTotal: 0, stepsNextCursor: null, logs: [], error: null, output: null };
}
