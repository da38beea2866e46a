'use client';
import type { Run } from '@weft/workflow-schema';
import { liveLogEvent, withLiveLogLine } from '@weft/ui/live-logs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from './api';
import { TERMINAL_STATUSES } from './run-filters';

/** How long `follow()` waits for a retried run to move again before it stops polling. */
const RESTART_WAIT_MS = 30_000;

/**
 * A run, kept current: read once, then re-read (coalesced) on every message of the gateway's run
 * WebSocket, which this app's server relays as Server-Sent Events (`/api/live/:id`). When the
 * stream ends or fails while the run is still live, it re-reads every second until the run ends.
 * `follow()` after a retry: the run is still `failed` until the orchestrator takes the request,
 * so it polls until the run moves, then follows it live again.
 */
export function useLiveRun(id: string): { run: Run | null; error: string | null; follow: () => void } {
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reading = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const ended = useRef(false);
  const restartUntil = useRef(0);

  const reload = useCallback(async () => {
    if (reading.current) {
      again.current = true;
      return reading.current;
    }
    reading.current = (async () => {
      do {
        again.current = false;
        try {
          const r = await api.getFullRun(id);
          const terminal = TERMINAL_STATUSES.has(r.status);
          if (!terminal) restartUntil.current = 0;
          ended.current = terminal && Date.now() > restartUntil.current;
          setRun(r);
          setError(null);
        } catch (err) {
          setError(errorMessage(err));
        }
      } while (again.current);
      reading.current = null;
    })();
    return reading.current;
  }, [id]);

  useEffect(() => {
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | null = null;
    const poll = async () => {
      await reload();
      if (closed || ended.current) return;
      if (restartUntil.current) timer = setTimeout(() => void poll(), 500); // the retried run has not moved yet
      else if (!source) openLive(); // it moved: follow it live
      else timer = setTimeout(() => void poll(), 1000); // the live stream is gone: poll
    };
    const openLive = () => {
      source = new EventSource(`/api/live/${id}`);
      source.onmessage = (e: MessageEvent<string>) => {
        // A running step's log line is shown as it is said (stored only when the attempt ends): no re-read.
        const line = liveLogEvent(e.data);
        if (line) setRun((r) => (r ? withLiveLogLine(r, line) : r));
        else void reload();
      };
      let stopped = false;
      const stop = () => {
        source?.close();
        if (!closed && !stopped) void poll();
        stopped = true;
      };
      source.addEventListener('end', stop);
      source.onerror = stop;
    };
    if (generation === 0) {
      void reload();
      openLive();
    } else void poll();
    return () => {
      closed = true;
      source?.close();
      clearTimeout(timer);
    };
  }, [id, reload, generation]);

  const follow = useCallback(() => {
    restartUntil.current = Date.now() + RESTART_WAIT_MS;
    ended.current = false;
    setGeneration((g) => g + 1);
  }, []);

  return { run, error, follow };
}
