import type { LiveMessage, Run } from '@weft/workflow-schema';
import { TERMINAL_RUN_STATUSES } from '@weft/workflow-schema';
import { withLiveLogLine } from '@weft/ui/live-logs';
import { api } from './api';

export interface RunSubscription {
  /** Stops listening. */
  close(): void;
}

/**
 * Calls `onRun` with each new state of a run until it ends. It follows the gateway's live
 * WebSocket through the studio's `/api/live/:id` event stream: the snapshot is shown as it is,
 * and each event triggers a re-read of the run (coalesced), so the state shown is always the
 * API's. Without live events (old browser, stream error) it polls `GET /v1/runs/:id` instead.
 * Every read is the whole run: past the API's step cap (`stepsNextCursor`), the rest of the steps
 * comes from `GET /v1/runs/:id/steps`, and a capped snapshot is replaced by such a read.
 */
export function subscribeRun(runId: string, onRun: (run: Run) => void, onError: (err: Error) => void): RunSubscription {
  if (typeof EventSource === 'undefined') return pollRun(runId, onRun, onError);
  let closed = false;
  let fallback: RunSubscription | null = null;
  let reading = false;
  let again = false;
  const reread = async () => {
    if (reading) return void (again = true);
    reading = true;
    try {
      const run = await api.getFullRun(runId);
      if (!closed) show(run);
    } catch {
      /* the next event or the end will read again */
    } finally {
      reading = false;
      if (again && !closed) {
        again = false;
        void reread();
      }
    }
  };
  /** The last state shown, to add a running step's log lines to as they are said (they are stored when the attempt ends). */
  let last: Run | null = null;
  const show = (run: Run) => {
    last = run;
    onRun(run);
  };
  const source = new EventSource(`/api/live/${runId}`);
  source.onmessage = (e: MessageEvent<string>) => {
    const m = JSON.parse(e.data) as LiveMessage;
    if (m.type === 'snapshot' && m.run.stepsNextCursor === null) show(m.run as Run);
    else if (m.type === 'event' && m.event.type === 'step.log' && last) show(withLiveLogLine(last, m.event));
    else void reread();
  };
  source.addEventListener('end', () => {
    source.close();
    if (closed) return;
    // Closed before the run ended (e.g. live events unavailable): keep following by polling.
    void api.getFullRun(runId).then((run) => {
      if (closed) return;
      onRun(run);
      if (!TERMINAL_RUN_STATUSES.has(run.status)) fallback = pollRun(runId, onRun, onError);
    }, onError);
  });
  source.onerror = () => {
    source.close();
    if (!closed && !fallback) fallback = pollRun(runId, onRun, onError);
  };
  return {
    close() {
      closed = true;
      source.close();
      fallback?.close();
    },
  };
}

/** Polls the whole run (`GET /v1/runs/:id`, and its steps past the cap) every `intervalMs` until the run ends. */
export function pollRun(runId: string, onRun: (run: Run) => void, onError: (err: Error) => void, intervalMs = 300): RunSubscription {
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  let failures = 0;
  const tick = async () => {
    try {
      const run = await api.getFullRun(runId);
      failures = 0;
      if (closed) return;
      const key = JSON.stringify(run);
      if (key !== last) {
        last = key;
        onRun(run);
      }
      if (TERMINAL_RUN_STATUSES.has(run.status)) return;
    } catch (err) {
      if (closed) return;
      if (++failures >= 5) return onError(err as Error);
    }
    timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
