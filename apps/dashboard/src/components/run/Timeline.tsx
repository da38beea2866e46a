'use client';
import type { Run } from '@weft/workflow-schema';
import { formatDuration } from '../../lib/run-steps';
import { ticks, timeline, totals, type TimelineBar } from '../../lib/timeline';

const pct = (ms: number, span: number) => `${(100 * ms) / span}%`;

function Segment({ kind, range, span, label }: { kind: 'delay' | 'wait' | 'run'; range: [number, number] | null; span: number; label: string }) {
  if (!range) return null;
  const [a, b] = range;
  return <span className={`bar bar-${kind}`} style={{ left: pct(a, span), width: `max(2px, ${pct(b - a, span)})` }} title={`${label}: ${formatDuration(b - a)}`} />;
}

function describe(b: TimelineBar): string {
  const len = (r: [number, number] | null) => (r ? formatDuration(r[1] - r[0]) : null);
  return [b.delay && `retry delay ${len(b.delay)}`, b.wait && `queued ${len(b.wait)}`, b.run && `ran ${len(b.run)}`].filter(Boolean).join(', ') || 'not started';
}

/** A Gantt chart of every attempt of every step: retry delay, queue wait and execution on one axis. */
export function Timeline({ run }: { run: Run }) {
  const t = timeline(run, Date.now());
  if (!t.bars.length) return <p className="muted">No step has started yet.</p>;
  const sum = totals(t);
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-legend small muted" data-testid="timeline-totals">
        <span><i className="bar-key bar-delay" aria-hidden /> retry delay {formatDuration(sum.delay)}</span>
        <span><i className="bar-key bar-wait" aria-hidden /> queue wait {formatDuration(sum.wait)}</span>
        <span><i className="bar-key bar-run" aria-hidden /> execution {formatDuration(sum.run)}</span>
      </div>
      <ol className="timeline-rows">
        {t.bars.map((b) => (
          <li key={b.stepId} className="timeline-row" data-testid="timeline-bar" data-node={b.nodeId} data-status={b.status}>
            <span className="timeline-label mono" title={b.nodeId}>
              {b.nodeId}
              {b.attempt > 1 && <span className="muted"> #{b.attempt}</span>}
            </span>
            <span className="timeline-track" aria-label={`${b.nodeId} attempt ${b.attempt} (${b.status}): ${describe(b)}`} role="img">
              <Segment kind="delay" range={b.delay} span={t.span} label="retry delay" />
              <Segment kind="wait" range={b.wait} span={t.span} label="queue wait" />
              <Segment kind="run" range={b.run} span={t.span} label={`execution (${b.status})`} />
            </span>
          </li>
        ))}
      </ol>
      <div className="timeline-axis small muted" aria-hidden>
        {ticks(t.span).map((x) => (
          <span key={x} style={{ left: pct(x, t.span) }}>{formatDuration(x)}</span>
        ))}
      </div>
    </div>
  );
}
