'use client';
import type { Iteration, IterationsAnswer, RunStatus, Step } from '@weft/workflow-schema';
import { StatusBadge } from '@weft/ui/status-badge';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { useEditor } from '../store';
import { errorParts } from './ErrorBox';
import { closeIteration, openIteration } from './iterations';
import { ranInPlace } from './progress';

const ORDER: RunStatus[] = ['succeeded', 'failed', 'running', 'waiting', 'queued', 'cancelled'];

/**
 * The items of a for_each step in the run view: how many in each status, and every item (paged),
 * each of which opens on the body nodes. Re-read whenever the loop step moves.
 */
export function IterationList({ runId, step, loopId }: { runId: string; step: Step; loopId: string }) {
  const open = useEditor((s) => (s.iteration?.loopId === loopId ? s.iteration.index : null));
  const [page, setPage] = useState<IterationsAnswer | null>(null);
  const [more, setMore] = useState<Iteration[]>([]);
  const [error, setError] = useState<string | null>(null);
  const version = `${step.id}:${step.status}:${step.items?.done ?? 0}:${step.items?.failed ?? 0}:${step.items?.started ?? 0}`;
  useEffect(() => {
    let live = true;
    api.stepIterations(runId, step.id, { limit: 50 }).then(
      (p) => live && (setPage(p), setMore([]), setError(null)),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [runId, step.id, version]);

  if (ranInPlace(step)) {
    const n = step.items?.total ?? (Array.isArray(step.output) ? step.output.length : 0);
    return (
      <p className="muted" data-testid="iterations-in-place">
        The body ran in place for {n} item{n === 1 ? '' : 's'} (its nodes are all pure, so no step is recorded per item). The loop&apos;s output holds each item&apos;s result, in item order.
      </p>
    );
  }
  if (error) return <p className="field-error">Could not list the items: {error}</p>;
  if (!page) return <p className="muted">Loading the items…</p>;
  const items = [...page.items, ...more];
  const cursor = more.length ? (more.at(-1)?.index.toString() ?? null) : page.nextCursor;
  const notStarted = page.itemsTotal - ORDER.reduce((sum, s) => sum + page.counts[s], 0);
  const loadMore = async () => {
    const next = await api.stepIterations(runId, step.id, { limit: 50, cursor: cursor! }).catch((err: unknown) => (setError(errorMessage(err)), null));
    if (!next) return;
    setMore([...more, ...next.items]);
    setPage({ ...page, nextCursor: next.nextCursor });
  };
  return (
    <section className="iterations" aria-label="Items" data-testid="iterations">
      <p className="iteration-counts" data-testid="iteration-counts">
        {page.itemsTotal} item{page.itemsTotal === 1 ? '' : 's'}:
        {ORDER.filter((s) => page.counts[s] > 0).map((s) => (
          <span key={s} className="iteration-count">
            {page.counts[s]} {s}
          </span>
        ))}
        {notStarted > 0 && <span className="iteration-count">{notStarted} not started</span>}
      </p>
      <ol className="iteration-list">
        {items.map((it) => (
          <li key={it.runId}>
            <button
              type="button"
              className="iteration-item"
              aria-pressed={open === it.index}
              data-testid={`iteration-${it.index}`}
              onClick={() => (open === it.index ? closeIteration() : openIteration(loopId, it))}
              title={it.error ? errorParts(it.error).message : undefined}
            >
              <span className="mono">Item {it.index}</span>
              <StatusBadge status={it.status} />
            </button>
          </li>
        ))}
      </ol>
      {cursor && page.nextCursor !== null && (
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => void loadMore()}>
          More items
        </button>
      )}
      <p className="field-help">{open === null ? "Open an item to see its steps on the loop's body nodes." : `Item ${open} is shown on the body nodes; select one of them for its step.`}</p>
    </section>
  );
}
