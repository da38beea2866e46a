'use client';
import type { RunEvent } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';

/** The run's append-only event history (`GET /v1/runs/:id/events`), read again when `version` changes. */
export function EventHistory({ runId, version }: { runId: string; version: string }) {
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.allRunEvents(runId).then(
      (e) => live && (setEvents(e), setError(null)),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [runId, version]);
  if (error) return <p className="error-note" role="alert">The history could not be read: {error}</p>;
  return (
    <ol className="events" data-testid="event-history">
      {events.map((e) => (
        <li key={e.seq}>
          <span className="mono muted">#{e.seq}</span> <time dateTime={e.createdAt}>{new Date(e.createdAt).toLocaleTimeString()}</time>{' '}
          <strong>{e.type}</strong>
          {e.nodeId && <span className="mono"> {e.nodeId}</span>}
        </li>
      ))}
    </ol>
  );
}
