import type { LiveMessage, Run } from '@weft/workflow-schema';

/** The run with one live `step.log` line added (a line already there, stored or live, is not added twice). */
export function withLiveLogLine(run: Run, event: { stepId: string | null; nodeId: string | null; data: unknown }): Run {
  const line = event.data as { ts: string; level: string; msg: string };
  if (run.logs.some((l) => l.stepId === event.stepId && l.ts === line.ts && l.msg === line.msg)) return run;
  return { ...run, logs: [...run.logs, { ts: line.ts, level: line.level, msg: line.msg, stepId: event.stepId, nodeId: event.nodeId }] };
}

/** The `step.log` event a live message carries, if it is one (a running step's line, said before it is stored). */
export function liveLogEvent(data: string): Extract<LiveMessage, { type: 'event' }>['event'] | undefined {
  try {
    const m = JSON.parse(data) as LiveMessage;
    return m.type === 'event' && m.event.type === 'step.log' ? m.event : undefined;
  } catch {
    return undefined;
  }
}
