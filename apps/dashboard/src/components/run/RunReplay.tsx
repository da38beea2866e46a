'use client';
import type { Run, RunEvent } from '@weft/workflow-schema';
import { Pause, Play } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { frameAt } from '../../lib/replay';
import { TERMINAL_STATUSES } from '../../lib/run-filters';
import { RunGraph } from './RunGraph';

const STEP_MS = 400;

/**
 * The run's graph; once the run ended, a scrubber over its event history replays it step by step
 * (the graph recoloured as it stood after each event; Play walks through them).
 */
export function RunReplay({ run }: { run: Run }) {
  const ended = TERMINAL_STATUSES.has(run.status);
  const [events, setEvents] = useState<RunEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [at, setAt] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);

  useEffect(() => {
    if (!ended) return setEvents(null);
    let live = true;
    api.allRunEvents(run.id).then((e) => live && setEvents(e), (err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [run.id, ended, run.finishedAt]);

  useEffect(() => {
    if (!playing || !events) return;
    const t = setInterval(() => setAt((x) => {
      const next = (x ?? 0) + 1;
      if (next >= events.length) setPlaying(false);
      return Math.min(next, events.length);
    }), STEP_MS);
    return () => clearInterval(t);
  }, [playing, events]);

  const frame = useMemo(() => (events && at !== null ? frameAt(events, at) : null), [events, at]);
  const current = events && at ? events[at - 1] : null;
  return (
    <>
      <RunGraph versionId={run.workflowVersionId} steps={run.steps} override={frame?.nodes} />
      {error && <p className="error-note" role="alert">The history could not be read: {error}</p>}
      {events && events.length > 0 && (
        <div className="scrubber" data-testid="replay">
          <button type="button" className="btn" aria-label={playing ? 'Pause the replay' : 'Replay the run step by step'} data-testid="replay-play"
            onClick={() => { if (!playing && (at === null || at >= events.length)) setAt(0); setPlaying(!playing); }}>
            {playing ? <Pause size={14} aria-hidden /> : <Play size={14} aria-hidden />}
          </button>
          <input type="range" min={0} max={events.length} value={at ?? events.length} aria-label="Replay position (event)" data-testid="replay-range"
            onChange={(e) => { setPlaying(false); setAt(Number(e.target.value)); }} />
          <span className="small mono" data-testid="replay-position" aria-live="polite">
            {at === null || at === events.length ? `end · ${run.status}` : current ? `#${current.seq} ${current.type}${current.nodeId ? ` ${current.nodeId}` : ''} · run ${frame!.run}` : 'start'}
          </span>
        </div>
      )}
    </>
  );
}
