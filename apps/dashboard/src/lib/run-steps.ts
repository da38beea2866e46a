import type { Run, Step } from '@weft/workflow-schema';

/** A waiting approval of a run: the node to resume and its rendered prompt. */
export interface WaitingApproval {
  runId: string;
  nodeId: string;
  prompt: string;
  since: string | null;
}

/** The run's steps that wait for a person: `waiting` with a prompt (wait_for_approval; a delay waits without one). */
export function waitingApprovals(run: Pick<Run, 'id' | 'steps'>): WaitingApproval[] {
  return run.steps
    .filter((s) => s.status === 'waiting' && typeof (s.input as { prompt?: unknown } | null)?.prompt === 'string')
    .map((s) => ({ runId: run.id, nodeId: s.nodeId, prompt: (s.input as { prompt: string }).prompt, since: s.startedAt }));
}

/** One node of a run: its attempts in order, the last one deciding its status. */
export interface NodeRow {
  nodeId: string;
  status: Step['status'];
  attempts: Step[];
  /** Sum of the attempts' durations, in ms (null while none finished). */
  durationMs: number | null;
}

/** The run's steps grouped by node, in the order nodes were first reached. */
export function nodeRows(steps: Step[]): NodeRow[] {
  const rows = new Map<string, NodeRow>();
  for (const s of steps) {
    const row = rows.get(s.nodeId) ?? { nodeId: s.nodeId, status: s.status, attempts: [], durationMs: null };
    row.attempts.push(s);
    rows.set(s.nodeId, row);
  }
  for (const row of rows.values()) {
    row.attempts.sort((a, b) => a.attempt - b.attempt);
    row.status = row.attempts[row.attempts.length - 1]!.status;
    const finished = row.attempts.filter((a) => a.durationMs !== null);
    row.durationMs = finished.length ? finished.reduce((t, a) => t + a.durationMs!, 0) : null;
  }
  return [...rows.values()];
}

/** The status of each node (its last attempt), for colouring the graph. */
export function statusByNode(steps: Step[]): Map<string, Step['status']> {
  return new Map(nodeRows(steps).map((r) => [r.nodeId, r.status]));
}

/** A duration for people: "340 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
